"""Label selectors at their edges (API-7, API-8): empty values in set lists and after `=`, `in` and
`notin` used as keys and values, the parser's error messages, Go's int64 range for `gt`/`lt`, and
the field errors `NewRequirement` reports, with their paths, when a LabelSelector is invalid."""

from __future__ import annotations

import pytest

from kubelite.api.labels import Requirement, parse_selector, requirement_errors
from tests.api.test_labels import NAME_RULE, VALUE_RULE

P = "spec.selector.matchExpressions[0]"
MAX, MIN = "9223372036854775807", "-9223372036854775808"


@pytest.mark.parametrize(
    ("text", "canonical", "values"),
    [
        ("a", "a", [()]),
        ("a=", "a=", [("",)]),
        ("a==", "a==", [("",)]),
        ("a=,b", "a=,b", [("",), ()]),
        ("x,a!=", "a!=,x", [("",), ()]),
        ("a in ()", "a in ()", [("",)]),
        ("a in (,)", "a in ()", [("",)]),
        ("a in (x,)", "a in (,x)", [("", "x")]),
        ("a in (,x)", "a in (,x)", [("", "x")]),
        ("a in (x,,y)", "a in (,x,y)", [("", "x", "y")]),
        ("in in (notin)", "in in (notin)", [("notin",)]),
        ("notin notin (in,)", "notin notin (,in)", [("", "in")]),
    ],
)
def test_api7_empty_values_and_keywords_as_words(
    text: str, canonical: str, values: list[tuple[str, ...]]
) -> None:
    selector = parse_selector(text)
    assert str(selector) == canonical
    assert [r.values for r in selector.requirements] == values


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a in (x y)", "unable to parse requirement: found 'y', expected: ',' or ')'"),
        ("a in x", "unable to parse requirement: found 'x' expected: '('"),
        ("a in (x", "unable to parse requirement: found '', expected: ',' or ')'"),
        ("a in (=)", "unable to parse requirement: found '=', expected: ',', ')' or identifier"),
        ("a in ((", "unable to parse requirement: found '(', expected: ',', ')' or identifier"),
        ("a in (x,=)", "unable to parse requirement: found '=', expected: ',', or identifier"),
        ("a in (x,,", "unable to parse requirement: found '', expected: ',', or identifier"),
        ("a gt 1", "unable to parse requirement: found 'gt', expected: in, notin, =, ==, !=, gt, lt"),
        ("!", "unable to parse requirement: found '', expected: identifier"),
        ("a=b c", "found 'c', expected: ',' or 'end of string'"),
        (", a", "found ',', expected: !, identifier, or 'end of string'"),
        ("a,", "found '', expected: identifier after ','"),
    ],
)
def test_api7_parse_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_selector(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("text", "value", "matches"),
    [
        (f"a>{int(MAX) - 1}", MAX, True),
        ("a>1", str(int(MAX) + 1), False),
        ("a<1", MIN, True),
        ("a<1", str(int(MIN) - 1), False),
        ("a<5", "5", False),
        ("a<5", "4", True),
        ("a>5", "5", False),
    ],
    ids=["max", "over-max", "min", "under-min", "lt-equal", "lt-below", "gt-equal"],
)
def test_api8_gt_lt_compare_go_int64_values_strictly(text: str, value: str, matches: bool) -> None:
    assert parse_selector(text).matches({"a": value}) is matches


@pytest.mark.parametrize(
    ("key", "operator", "values", "expected"),
    [
        (
            "a",
            "Has",
            ["x"],
            [
                '.operator: Unsupported value: "Has": supported values: "in", "notin", "=", "==", "!=", "gt", "lt", "exists", "!"'
            ],
        ),
        (
            "a",
            "in",
            [],
            [".values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty"],
        ),
        (
            "a",
            "=",
            ["x", "y"],
            ['.values: Invalid value: ["x","y"]: exact-match compatibility requires one single value'],
        ),
        (
            "a",
            "exists",
            ["x"],
            ['.values: Invalid value: ["x"]: values set must be empty for exists and does not exist'],
        ),
        (
            "a",
            "gt",
            [],
            [".values: Invalid value: null: for 'Gt', 'Lt' operators, exactly one value is required"],
        ),
        (
            "a",
            "gt",
            ["x", "2"],
            [
                ".values: Invalid value: [\"x\",\"2\"]: for 'Gt', 'Lt' operators, exactly one value is required",
                ".values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the value must be an integer",
            ],
        ),
        (
            "-" * 64,
            "in",
            ["-" * 64],
            [
                f'.key: Invalid value: "{"-" * 64}": name part must be no more than 63 characters; {NAME_RULE}',
                f'.values[0][{"-" * 64}]: Invalid value: "{"-" * 64}": must be no more than 63 characters; {VALUE_RULE}',
            ],
        ),
    ],
    ids=[
        "operator",
        "in-empty",
        "exact-two",
        "exists-values",
        "gt-none",
        "gt-two-not-integer",
        "two-problems-each",
    ],
)
def test_api9_requirement_errors_name_the_field_under_the_path(
    key: str, operator: str, values: list[str], expected: list[str]
) -> None:
    assert [str(e) for e in requirement_errors(key, operator, values, P)] == [P + e for e in expected]
    assert [str(e) for e in requirement_errors(key, operator, values)] == [e[1:] for e in expected]


def test_api9_several_errors_are_aggregated_in_brackets() -> None:
    with pytest.raises(ValueError) as caught:
        Requirement.new("a", "gt", ["x", "y"], path=P)
    not_integer = "for 'Gt', 'Lt' operators, the value must be an integer"
    assert str(caught.value) == (
        f"[{P}.values: Invalid value: [\"x\",\"y\"]: for 'Gt', 'Lt' operators, exactly one value is required, "
        f'{P}.values[0]: Invalid value: "x": {not_integer}, {P}.values[1]: Invalid value: "y": {not_integer}]'
    )
    with pytest.raises(ValueError) as single:
        Requirement.new("a", "in", [], path=P)
    assert (
        str(single.value)
        == f"{P}.values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty"
    )
