"""Label selectors: the string syntax of API-8, matching, and meta/v1 `LabelSelector` (API-9).

`parse_selector(text)` reads Kubernetes' selector syntax: `k=v`, `k==v`, `k!=v`, `k in (a,b)`,
`k notin (a,b)`, `k` (exists), `!k` (absent), and the integer comparisons `k>1`, `k<1`; commas
mean AND and spaces, tabs and newlines around tokens are ignored. The empty string selects
everything. Bad syntax, keys or values raise `ValueError` with the message Kubernetes' parser
gives (e.g. `unable to parse requirement: found '', expected: in, notin, =, ==, !=, gt, lt`);
the apiserver returns that text in a 400.

A `Selector` is an immutable, hashable value: a tuple of `Requirement`s kept sorted, so equal
selectors compare equal and `str(selector)` is canonical (`app in (a,b),tier!=x`) with
`parse_selector(str(s)) == s`. `=` and `==` stay distinct operators (they render as written),
as in Kubernetes. `Selector.matches(labels)` follows Kubernetes: `!=` and `notin` also match
objects that lack the key. `Selector.nothing()` matches no object and renders as "".

`from_label_selector` converts a meta/v1 `LabelSelector` (None selects nothing, `{}` everything;
`matchLabels` and `matchExpressions` are ANDed); `to_label_selector` goes back for selectors that
can be expressed that way; `selector_string` is the text a Scale's `status.selector` carries.

`parse_selector` keeps an LRU cache (parsing is pure and results are immutable); list filtering
re-parses the same few selector strings constantly.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from kubelite.api.errors import FieldError, format_value, invalid, not_supported
from kubelite.api.meta import LabelSelector, LabelSelectorRequirement
from kubelite.api.validation import names
from kubelite.api.validation.fields import shown

EQUALS = "="
DOUBLE_EQUALS = "=="
NOT_EQUALS = "!="
IN = "in"
NOT_IN = "notin"
EXISTS = "exists"
DOES_NOT_EXIST = "!"
GREATER_THAN = "gt"
LESS_THAN = "lt"

BINARY_OPERATORS = (IN, NOT_IN, EQUALS, DOUBLE_EQUALS, NOT_EQUALS, GREATER_THAN, LESS_THAN)
OPERATORS = (*BINARY_OPERATORS, EXISTS, DOES_NOT_EXIST)

_SET_OPERATORS = frozenset({IN, NOT_IN})
_EXACT_OPERATORS = frozenset({EQUALS, DOUBLE_EQUALS, NOT_EQUALS})
_INTEGER_OPERATORS = frozenset({GREATER_THAN, LESS_THAN})
_INT64 = re.compile(r"[+-]?[0-9]+")
_MIN_INT64, _MAX_INT64 = -(2**63), 2**63 - 1

_TO_EXPRESSION = {IN: "In", NOT_IN: "NotIn", EXISTS: "Exists", DOES_NOT_EXIST: "DoesNotExist"}
_FROM_EXPRESSION = {name: operator for operator, name in _TO_EXPRESSION.items()}


@dataclass(frozen=True, slots=True, order=True)
class Requirement:
    """One condition on one key, unvalidated (see `new`); `values` are kept sorted and distinct."""

    key: str
    operator: str
    values: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        ordered = tuple(sorted(set(self.values)))
        if ordered != self.values:
            object.__setattr__(self, "values", ordered)

    @staticmethod
    def new(key: str, operator: str, values: Sequence[str] = (), *, path: str = "") -> Requirement:
        """A validated requirement (Kubernetes' `NewRequirement`); `ValueError` if invalid."""
        errors = requirement_errors(key, operator, values, path)
        if errors:
            raise ValueError(aggregate(errors))
        return Requirement(key, operator, tuple(values))

    def matches(self, labels: Mapping[str, str]) -> bool:
        value = labels.get(self.key)
        operator = self.operator
        if operator in _EXACT_OPERATORS or operator in _SET_OPERATORS:
            if operator in (NOT_EQUALS, NOT_IN):
                return value is None or value not in self.values
            return value is not None and value in self.values
        if operator == EXISTS:
            return value is not None
        if operator == DOES_NOT_EXIST:
            return value is None
        return value is not None and _compare(operator, value, self.values)

    def __str__(self) -> str:
        key, operator = self.key, self.operator
        if operator == EXISTS:
            return key
        if operator == DOES_NOT_EXIST:
            return "!" + key
        if operator in _SET_OPERATORS:
            return f"{key} {operator} ({','.join(self.values)})"
        symbol = {GREATER_THAN: ">", LESS_THAN: "<"}.get(operator, operator)
        return f"{key}{symbol}{','.join(self.values)}"


def _compare(operator: str, value: str, values: tuple[str, ...]) -> bool:
    have, want = _int64(value), _int64(values[0]) if len(values) == 1 else None
    if have is None or want is None:
        return False
    return have > want if operator == GREATER_THAN else have < want


def _int64(text: str) -> int | None:
    if not _INT64.fullmatch(text):
        return None
    number = int(text)
    return number if _MIN_INT64 <= number <= _MAX_INT64 else None


@dataclass(frozen=True, slots=True)
class Selector:
    """An AND of requirements (kept sorted); `is_nothing` marks the selector that matches nothing."""

    requirements: tuple[Requirement, ...] = ()
    is_nothing: bool = False

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.requirements))
        if ordered != self.requirements:
            object.__setattr__(self, "requirements", ordered)

    @staticmethod
    def everything() -> Selector:
        return _EVERYTHING

    @staticmethod
    def nothing() -> Selector:
        return _NOTHING

    @staticmethod
    def from_set(labels: Mapping[str, str]) -> Selector:
        """`k=v` for every pair, unvalidated (Kubernetes' `SelectorFromSet`); `{}` is everything."""
        return Selector(tuple(Requirement(key, EQUALS, (value,)) for key, value in labels.items()))

    @property
    def empty(self) -> bool:
        """True when the selector restricts nothing (it matches every object)."""
        return not self.requirements and not self.is_nothing

    def matches(self, labels: Mapping[str, str]) -> bool:
        if self.is_nothing:
            return False
        return all(requirement.matches(labels) for requirement in self.requirements)

    def requires_exact_match(self, key: str) -> str | None:
        """The single value `key` must have, if the selector pins it (`k=v`, `k==v`, `k in (v)`)."""
        for requirement in self.requirements:
            if requirement.key == key:
                exact = requirement.operator in (EQUALS, DOUBLE_EQUALS, IN)
                return requirement.values[0] if exact and len(requirement.values) == 1 else None
        return None

    def __str__(self) -> str:
        return ",".join(str(requirement) for requirement in self.requirements)


_EVERYTHING = Selector()
_NOTHING = Selector(is_nothing=True)


def requirement_errors(key: str, operator: str, values: Sequence[str], path: str = "") -> list[FieldError]:
    """What `NewRequirement` reports, with field paths under `path` (none for parsed text)."""
    prefix = f"{path}." if path else ""
    errors = _key_errors(key, f"{prefix}key")
    if operator not in OPERATORS:
        errors.append(not_supported(operator, f"{prefix}operator", OPERATORS))
    else:
        errors += _values_errors(operator, values, f"{prefix}values")
    for index, value in enumerate(values):
        problems = names.is_label_value(value)
        if problems:
            errors.append(invalid(value, f"{prefix}values[{index}][{key}]", "; ".join(problems)))
    return errors


def _key_errors(key: str, path: str) -> list[FieldError]:
    problems = names.is_qualified_name(key)
    return [invalid(key, path, "; ".join(problems))] if problems else []


def _values_errors(operator: str, values: Sequence[str], path: str) -> list[FieldError]:
    """The operator's rule on how many values it takes."""
    if operator in _SET_OPERATORS and not values:
        return [invalid(shown(list(values)), path, "for 'in', 'notin' operators, values set can't be empty")]
    if operator in _EXACT_OPERATORS and len(values) != 1:
        return [invalid(shown(list(values)), path, "exact-match compatibility requires one single value")]
    if operator in (EXISTS, DOES_NOT_EXIST) and values:
        detail = "values set must be empty for exists and does not exist"
        return [invalid(shown(list(values)), path, detail)]
    if operator in _INTEGER_OPERATORS:
        return _integer_errors(values, path)
    return []


def _integer_errors(values: Sequence[str], path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    if len(values) != 1:
        detail = "for 'Gt', 'Lt' operators, exactly one value is required"
        errors.append(invalid(shown(list(values)), path, detail))
    for index, value in enumerate(values):
        if _int64(value) is None:
            detail = "for 'Gt', 'Lt' operators, the value must be an integer"
            errors.append(invalid(value, f"{path}[{index}]", detail))
    return errors


def aggregate(errors: Iterable[FieldError]) -> str:
    """Kubernetes' error aggregation: distinct messages, bracketed when there are several."""
    messages = list(dict.fromkeys(str(error) for error in errors))
    return messages[0] if len(messages) == 1 else "[" + ", ".join(messages) + "]"


@functools.lru_cache(maxsize=1024)
def parse_selector(text: str) -> Selector:
    """Parse the string syntax of API-8; `ValueError` with Kubernetes' message if it is invalid."""
    return Selector(tuple(_Parser(text).parse()))


# Whitespace, an operator or punctuation (longest first), or a run of anything else (a word).
_TOKEN = re.compile(r"[ \t\r\n]+|(!=|==|[=!(),<>])|([^ \t\r\n=!(),<>]+)")
_END = "end of string"
_KEYWORDS = frozenset({IN, NOT_IN})
_REQUIREMENT_START = frozenset({"word", DOES_NOT_EXIST})
_OPERATOR_TOKENS = {
    IN: IN,
    NOT_IN: NOT_IN,
    "=": EQUALS,
    "==": DOUBLE_EQUALS,
    "!=": NOT_EQUALS,
    ">": GREATER_THAN,
    "<": LESS_THAN,
}


def _tokens(text: str) -> list[tuple[str, str]]:
    """(kind, literal) pairs; kind is the symbol itself, `in`/`notin`, "word", or the end."""
    tokens = []
    for symbol, word in _TOKEN.findall(text):
        if symbol:
            tokens.append((symbol, symbol))
        elif word:
            tokens.append((word if word in _KEYWORDS else "word", word))
    tokens.append((_END, ""))
    return tokens


class _Parser:
    """Kubernetes' recursive-descent selector parser, error messages included."""

    __slots__ = ("_position", "_tokens")

    def __init__(self, text: str) -> None:
        self._tokens = _tokens(text)
        self._position = 0

    def _peek(self, keywords_are_words: bool = True) -> tuple[str, str]:
        kind, literal = self._tokens[self._position]
        if keywords_are_words and kind in _KEYWORDS:
            kind = "word"  # `in` and `notin` are plain words where a key or value may stand
        return kind, literal

    def _take(self, keywords_are_words: bool = True) -> tuple[str, str]:
        token = self._peek(keywords_are_words)
        self._position = min(self._position + 1, len(self._tokens) - 1)
        return token

    def parse(self) -> list[Requirement]:
        requirements: list[Requirement] = []
        while True:
            kind, literal = self._peek()
            if kind == _END:
                return requirements
            if kind not in _REQUIREMENT_START:
                raise ValueError(f"found '{literal}', expected: !, identifier, or 'end of string'")
            requirements.append(self._requirement())
            kind, literal = self._take()
            if kind == _END:
                return requirements
            if kind != ",":
                raise ValueError(f"found '{literal}', expected: ',' or 'end of string'")
            kind, literal = self._peek()
            if kind not in _REQUIREMENT_START:
                raise ValueError(f"found '{literal}', expected: identifier after ','")

    def _requirement(self) -> Requirement:
        try:
            key, operator = self._key_and_operator()
            if operator in (EXISTS, DOES_NOT_EXIST):
                return Requirement.new(key, operator)
            operator = self._operator()
            values = self._values() if operator in _SET_OPERATORS else self._exact_value()
            return Requirement.new(key, operator, sorted(values))
        except ValueError as err:
            raise ValueError(f"unable to parse requirement: {err}") from None

    def _key_and_operator(self) -> tuple[str, str]:
        """The key, and the operator when it is implied (`k`, `!k`); "" when one follows."""
        kind, literal = self._take()
        operator = ""
        if kind == DOES_NOT_EXIST:
            operator = DOES_NOT_EXIST
            kind, literal = self._take()
        if kind != "word":
            raise ValueError(f"found '{literal}', expected: identifier")
        errors = _key_errors(literal, "<nil>")
        if errors:
            raise ValueError(str(errors[0]))
        if not operator and self._peek()[0] in (_END, ","):
            operator = EXISTS
        return literal, operator

    def _operator(self) -> str:
        kind, literal = self._take(keywords_are_words=False)
        operator = _OPERATOR_TOKENS.get(kind)
        if operator is None:
            raise ValueError(f"found '{literal}', expected: {', '.join(BINARY_OPERATORS)}")
        return operator

    def _values(self) -> set[str]:
        """A parenthesised value list; empty entries (`(a,,b)`, `()`) stand for the empty value."""
        kind, literal = self._take()
        if kind != "(":
            raise ValueError(f"found '{literal}' expected: '('")
        kind, literal = self._peek()
        if kind == ")":
            self._take()
            return {""}
        if kind not in ("word", ","):
            raise ValueError(f"found '{literal}', expected: ',', ')' or identifier")
        values = self._identifiers()
        if self._take()[0] != ")":
            raise ValueError(f"found '{literal}', expected: ')'")
        return values

    def _identifiers(self) -> set[str]:
        values: set[str] = set()
        while True:
            kind, literal = self._take()
            if kind == "word":
                values.add(literal)
                after, text = self._peek()
                if after == ")":
                    return values
                if after != ",":
                    raise ValueError(f"found '{text}', expected: ',' or ')'")
            elif kind == ",":
                if not values or self._peek()[0] in (")", ","):
                    values.add("")
                if self._peek()[0] == ")":
                    return values
                if self._peek()[0] == ",":
                    self._take()
            else:
                raise ValueError(f"found '{literal}', expected: ',', or identifier")

    def _exact_value(self) -> set[str]:
        if self._peek()[0] in (_END, ","):
            return {""}
        kind, literal = self._take()
        if kind != "word":
            raise ValueError(f"found '{literal}', expected: identifier")
        return {literal}


def from_label_selector(selector: LabelSelector | None) -> Selector:
    """The selector a meta/v1 `LabelSelector` stands for (API-9); `ValueError` if it is invalid."""
    if selector is None:
        return _NOTHING
    requirements = [Requirement.new(key, EQUALS, [value]) for key, value in selector.match_labels.items()]
    for expression in selector.match_expressions:
        operator = _FROM_EXPRESSION.get(expression.operator)
        if operator is None:
            raise ValueError(f"{format_value(expression.operator)} is not a valid label selector operator")
        requirements.append(Requirement.new(expression.key, operator, expression.values))
    return Selector(tuple(requirements))


def to_label_selector(selector: Selector) -> LabelSelector:
    """A `LabelSelector` that selects the same objects; `ValueError` for `gt`/`lt` and nothing().

    `k=v` goes to `matchLabels` (a second `=` on the same key becomes `In`), `k!=v` to `NotIn`.
    """
    if selector.is_nothing:
        raise ValueError("the selector that matches nothing has no LabelSelector form (use None)")
    labels: dict[str, str] = {}
    expressions: list[LabelSelectorRequirement] = []
    for requirement in selector.requirements:
        key, operator, values = requirement.key, requirement.operator, requirement.values
        if operator in _INTEGER_OPERATORS:
            raise ValueError(f"{format_value(operator)} isn't supported in label selectors")
        if operator in (EQUALS, DOUBLE_EQUALS) and key not in labels:
            labels[key] = values[0]
            continue
        operator = {EQUALS: IN, DOUBLE_EQUALS: IN, NOT_EQUALS: NOT_IN}.get(operator, operator)
        expressions.append(
            LabelSelectorRequirement(key=key, operator=_TO_EXPRESSION[operator], values=list(values))
        )
    return LabelSelector(match_labels=labels, match_expressions=expressions)


def selector_string(selector: LabelSelector | None) -> str:
    """The canonical string of a `LabelSelector` (a Scale's `status.selector`, e.g. `app=web`)."""
    return str(from_label_selector(selector))
