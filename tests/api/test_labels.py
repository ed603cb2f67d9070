"""API-7/API-8/API-9: label selector syntax, canonical strings, matching and LabelSelector conversion."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kubelite.api.labels import (
    DOES_NOT_EXIST,
    DOUBLE_EQUALS,
    EQUALS,
    EXISTS,
    GREATER_THAN,
    IN,
    LESS_THAN,
    NOT_EQUALS,
    NOT_IN,
    Requirement,
    Selector,
    from_label_selector,
    parse_selector,
    selector_string,
    to_label_selector,
)
from kubelite.api.meta import LabelSelector, LabelSelectorRequirement

Req = LabelSelectorRequirement

VALUE_RULE = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and "
    "must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', "
    "regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)
NAME_RULE = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
OPERATORS_EXPECTED = "in, notin, =, ==, !=, gt, lt"


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("", ""),
        ("app=web", "app=web"),
        ("app==web", "app==web"),
        ("app!=web", "app!=web"),
        ("app in (b,a)", "app in (a,b)"),
        ("app notin (b,a,b)", "app notin (a,b)"),
        ("app", "app"),
        ("!app", "!app"),
        ("x>1", "x>1"),
        ("x<10", "x<10"),
        ("tier!=x,app in (b,a)", "app in (a,b),tier!=x"),
        ("  app = web ,\ttier\n", "app=web,tier"),
        ("app=", "app="),
        ("app in ()", "app in ()"),
        ("x in (foo,,baz),y,z notin ()", "x in (,baz,foo),y,z notin ()"),
        ("in in (in,notin)", "in in (in,notin)"),
        ("example.com/role=db", "example.com/role=db"),
    ],
    ids=[
        "empty",
        "equals",
        "double-equals",
        "not-equals",
        "in",
        "notin-dedup",
        "exists",
        "does-not-exist",
        "greater-than",
        "less-than",
        "sorted-by-key",
        "whitespace",
        "empty-value",
        "in-empty-list",
        "empty-entries",
        "keywords-as-words",
        "prefixed-key",
    ],
)
def test_api8_parse_renders_canonical_string(text: str, canonical: str) -> None:
    selector = parse_selector(text)
    assert str(selector) == canonical
    assert parse_selector(canonical) == selector


def test_api8_parse_builds_requirements() -> None:
    selector = parse_selector("tier notin (x),app=web,!gone,ready")
    assert selector.requirements == (
        Requirement("app", EQUALS, ("web",)),
        Requirement("gone", DOES_NOT_EXIST),
        Requirement("ready", EXISTS),
        Requirement("tier", NOT_IN, ("x",)),
    )


@pytest.mark.parametrize(
    ("text", "labels", "expected"),
    [
        ("app=web", {"app": "web"}, True),
        ("app=web", {"app": "db"}, False),
        ("app=web", {}, False),
        ("app==web", {"app": "web"}, True),
        ("app!=web", {"app": "db"}, True),
        ("app!=web", {"app": "web"}, False),
        ("app!=web", {}, True),
        ("app in (a,b)", {"app": "b"}, True),
        ("app in (a,b)", {"app": "c"}, False),
        ("app in (a,b)", {}, False),
        ("app notin (a,b)", {"app": "c"}, True),
        ("app notin (a,b)", {"app": "a"}, False),
        ("app notin (a,b)", {}, True),
        ("app", {"app": ""}, True),
        ("app", {}, False),
        ("!app", {}, True),
        ("!app", {"app": "x"}, False),
        ("app=", {"app": ""}, True),
        ("app=", {}, False),
        ("x>5", {"x": "6"}, True),
        ("x>5", {"x": "5"}, False),
        ("x>5", {"x": "abc"}, False),
        ("x>5", {}, False),
        ("x<5", {"x": "4"}, True),
        ("app=web,tier=db", {"app": "web", "tier": "db"}, True),
        ("app=web,tier=db", {"app": "web"}, False),
        ("", {}, True),
        ("", {"any": "thing"}, True),
    ],
    ids=[
        "eq-hit",
        "eq-miss",
        "eq-absent",
        "double-eq",
        "neq-other",
        "neq-same",
        "neq-absent-matches",
        "in-hit",
        "in-miss",
        "in-absent",
        "notin-other",
        "notin-listed",
        "notin-absent-matches",
        "exists-empty-value",
        "exists-absent",
        "absent-absent",
        "absent-present",
        "eq-empty-value",
        "eq-empty-absent",
        "gt-hit",
        "gt-equal",
        "gt-not-integer",
        "gt-absent",
        "lt-hit",
        "and-both",
        "and-one",
        "empty-matches-nothing-labels",
        "empty-matches-everything",
    ],
)
def test_api8_matching_semantics(text: str, labels: dict[str, str], expected: bool) -> None:
    assert parse_selector(text).matches(labels) is expected


def test_api8_everything_and_nothing() -> None:
    assert Selector.everything().matches({}) and Selector.everything().empty
    assert parse_selector("") == Selector.everything()
    assert not Selector.nothing().matches({}) and not Selector.nothing().matches({"a": "b"})
    assert not Selector.nothing().empty
    assert str(Selector.nothing()) == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a b", f"unable to parse requirement: found 'b', expected: {OPERATORS_EXPECTED}"),
        ("a=b c", "found 'c', expected: ',' or 'end of string'"),
        ("a=b,", "found '', expected: identifier after ','"),
        (",a", "found ',', expected: !, identifier, or 'end of string'"),
        ("(", "found '(', expected: !, identifier, or 'end of string'"),
        ("a in a", "unable to parse requirement: found 'a' expected: '('"),
        ("a in (a b)", "unable to parse requirement: found 'b', expected: ',' or ')'"),
        ("a in (a", "unable to parse requirement: found '', expected: ',' or ')'"),
        ("a in ((", "unable to parse requirement: found '(', expected: ',', ')' or identifier"),
        ("a in (a,=)", "unable to parse requirement: found '=', expected: ',', or identifier"),
        ("a=(", "unable to parse requirement: found '(', expected: identifier"),
        ("a!b", f"unable to parse requirement: found '!', expected: {OPERATORS_EXPECTED}"),
        ("!a=b", "found '=', expected: ',' or 'end of string'"),
        ("a=b,!", "unable to parse requirement: found '', expected: identifier"),
        ("a=b$", f'unable to parse requirement: values[0][a]: Invalid value: "b$": {VALUE_RULE}'),
        ("a b$=c", f"unable to parse requirement: found 'b$', expected: {OPERATORS_EXPECTED}"),
        ("a$=b", f'unable to parse requirement: <nil>: Invalid value: "a$": {NAME_RULE}'),
        ("-a", f'unable to parse requirement: <nil>: Invalid value: "-a": {NAME_RULE}'),
        (
            "a" * 64,
            f'unable to parse requirement: <nil>: Invalid value: "{"a" * 64}": name part must be no more than 63 characters',
        ),
        (
            "x>a",
            "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer",
        ),
        ("app in (a,b$)", f'unable to parse requirement: values[1][app]: Invalid value: "b$": {VALUE_RULE}'),
    ],
    ids=[
        "two-words",
        "trailing-word",
        "trailing-comma",
        "leading-comma",
        "lone-paren",
        "in-without-paren",
        "in-missing-comma",
        "in-unclosed",
        "in-double-paren",
        "in-operator-value",
        "eq-paren",
        "bang-operator",
        "absent-with-value",
        "trailing-bang",
        "bad-value",
        "bad-operator-word",
        "bad-key",
        "key-leading-dash",
        "key-too-long",
        "gt-not-integer",
        "bad-value-index",
    ],
)
def test_api8_invalid_selectors_raise_kubernetes_messages(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_selector(text)
    assert str(caught.value) == message


def test_api9_from_label_selector_nil_and_empty() -> None:
    assert from_label_selector(None) == Selector.nothing()
    assert not from_label_selector(None).matches({})
    assert from_label_selector(LabelSelector()) == Selector.everything()
    assert from_label_selector(LabelSelector()).matches({"any": "thing"})


def test_api9_match_labels_and_expressions_are_anded() -> None:
    selector = from_label_selector(
        LabelSelector(
            match_labels={"app": "web"},
            match_expressions=[
                Req(key="tier", operator="In", values=["b", "a"]),
                Req(key="env", operator="NotIn", values=["prod"]),
                Req(key="ready", operator="Exists"),
                Req(key="gone", operator="DoesNotExist"),
            ],
        )
    )
    assert str(selector) == "app=web,env notin (prod),!gone,ready,tier in (a,b)"
    assert selector.matches({"app": "web", "tier": "a", "ready": ""})
    assert not selector.matches({"app": "web", "tier": "a"})
    assert not selector.matches({"app": "db", "tier": "a", "ready": ""})
    assert not selector.matches({"app": "web", "tier": "a", "ready": "", "env": "prod"})


@pytest.mark.parametrize(
    ("selector", "message"),
    [
        (
            LabelSelector(match_expressions=[Req(key="a", operator="In")]),
            "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty",
        ),
        (
            LabelSelector(match_expressions=[Req(key="a", operator="Exists", values=["x"])]),
            'values: Invalid value: ["x"]: values set must be empty for exists and does not exist',
        ),
        (
            LabelSelector(match_expressions=[Req(key="a", operator="Gt", values=["1"])]),
            '"Gt" is not a valid label selector operator',
        ),
        (LabelSelector(match_labels={"a b": "c"}), f'key: Invalid value: "a b": {NAME_RULE}'),
        (LabelSelector(match_labels={"a": "c d"}), f'values[0][a]: Invalid value: "c d": {VALUE_RULE}'),
    ],
    ids=["in-without-values", "exists-with-values", "unknown-operator", "bad-key", "bad-value"],
)
def test_api9_invalid_label_selectors_raise(selector: LabelSelector, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        from_label_selector(selector)
    assert str(caught.value) == message


def test_api9_to_label_selector_shapes() -> None:
    converted = to_label_selector(parse_selector("a=1,a==2,b!=3,c,!d,e in (y,x)"))
    assert converted == LabelSelector(
        match_labels={"a": "1"},
        match_expressions=[
            Req(key="a", operator="In", values=["2"]),
            Req(key="b", operator="NotIn", values=["3"]),
            Req(key="c", operator="Exists"),
            Req(key="d", operator="DoesNotExist"),
            Req(key="e", operator="In", values=["x", "y"]),
        ],
    )
    assert to_label_selector(Selector.everything()) == LabelSelector()


@pytest.mark.parametrize(
    ("selector", "message"),
    [
        (parse_selector("x>1"), '"gt" isn\'t supported in label selectors'),
        (Selector.nothing(), "the selector that matches nothing has no LabelSelector form (use None)"),
    ],
    ids=["gt", "nothing"],
)
def test_api9_to_label_selector_rejects_inexpressible(selector: Selector, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        to_label_selector(selector)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("selector", "text"),
    [
        (LabelSelector(match_labels={"app": "web"}), "app=web"),
        (LabelSelector(match_labels={"tier": "db", "app": "web"}), "app=web,tier=db"),
        (LabelSelector(match_expressions=[Req(key="app", operator="In", values=["b", "a"])]), "app in (a,b)"),
        (LabelSelector(), ""),
        (None, ""),
    ],
    ids=["one-label", "sorted", "expression", "empty", "nil"],
)
def test_selector_string_for_scale_status(selector: LabelSelector | None, text: str) -> None:
    assert selector_string(selector) == text


def test_from_set_and_requires_exact_match() -> None:
    selector = Selector.from_set({"tier": "db", "app": "web"})
    assert str(selector) == "app=web,tier=db"
    assert selector.requires_exact_match("app") == "web"
    assert selector.requires_exact_match("other") is None
    assert parse_selector("app in (a)").requires_exact_match("app") == "a"
    assert parse_selector("app in (a,b)").requires_exact_match("app") is None
    assert Selector.from_set({}) == Selector.everything()


def test_selectors_are_immutable_and_hashable() -> None:
    selector = parse_selector("b=1,a=2")
    assert selector == Selector((Requirement("b", EQUALS, ("1",)), Requirement("a", EQUALS, ("2",))))
    assert len({selector, parse_selector("a=2,b=1")}) == 1
    with pytest.raises(AttributeError):
        selector.requirements = ()  # type: ignore[misc]  # the point: frozen dataclasses refuse assignment


# --- properties -----------------------------------------------------------------------------

KEYS = st.one_of(
    st.sampled_from(["app", "tier", "example.com/role", "a.b-c_d", "in", "notin", "x"]),
    st.from_regex(
        r"([a-z0-9]{1,5}(\.[a-z0-9]{1,4})?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,6}[A-Za-z0-9])?", fullmatch=True
    ),
)
VALUES = st.one_of(
    st.sampled_from(["", "a", "b", "web", "1", "20"]),
    st.from_regex(r"([A-Za-z0-9]([-A-Za-z0-9_.]{0,6}[A-Za-z0-9])?)?", fullmatch=True),
)
NUMBERS = st.integers(min_value=0, max_value=30).map(str)


@st.composite
def requirements(draw: st.DrawFn, integers: bool = True) -> Requirement:
    key = draw(KEYS)
    operators = [EQUALS, DOUBLE_EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST]
    operator = draw(st.sampled_from([*operators, GREATER_THAN, LESS_THAN] if integers else operators))
    if operator in (EXISTS, DOES_NOT_EXIST):
        return Requirement.new(key, operator)
    if operator in (IN, NOT_IN):
        return Requirement.new(key, operator, draw(st.lists(VALUES, min_size=1, max_size=3)))
    return Requirement.new(
        key, operator, [draw(NUMBERS if operator in (GREATER_THAN, LESS_THAN) else VALUES)]
    )


SELECTORS = st.lists(requirements(), max_size=5).map(lambda items: Selector(tuple(items)))
SET_SELECTORS = st.lists(requirements(integers=False), max_size=5).map(lambda items: Selector(tuple(items)))
LABELS = st.dictionaries(KEYS, st.one_of(VALUES, NUMBERS), max_size=6)


@given(SELECTORS, LABELS)
def test_api8_property_string_round_trip_preserves_selector_and_matching(
    selector: Selector, labels: dict[str, str]
) -> None:
    parsed = parse_selector(str(selector))
    assert parsed == selector
    assert parsed.matches(labels) == selector.matches(labels)


@given(SET_SELECTORS, LABELS)
def test_api9_property_label_selector_round_trip_agrees(selector: Selector, labels: dict[str, str]) -> None:
    back = from_label_selector(to_label_selector(selector))
    assert back.matches(labels) == selector.matches(labels)
    assert from_label_selector(to_label_selector(back)) == back


@given(SELECTORS, LABELS)
def test_api8_property_selector_is_and_of_its_requirements(
    selector: Selector, labels: dict[str, str]
) -> None:
    expected = all(Selector((requirement,)).matches(labels) for requirement in selector.requirements)
    assert selector.matches(labels) == expected


def test_requirement_values_are_normalised() -> None:
    assert Requirement("app", IN, ("b", "a", "b")) == Requirement("app", IN, ("a", "b"))
    assert str(Requirement("app", NOT_IN, ("b", "a"))) == "app notin (a,b)"
