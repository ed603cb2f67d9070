"""API-9: LabelSelector operators and values; selector-vs-template matching used by workloads."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kubelite.api.core import PodTemplateSpec
from kubelite.api.meta import LabelSelector, LabelSelectorRequirement, ObjectMeta
from kubelite.api.validation.selectors import selector_matches, validate_label_selector
from kubelite.api.validation.workloads import selector_and_template

Req = LabelSelectorRequirement


def errors_of(selector: LabelSelector | None) -> list[str]:
    return [str(e) for e in validate_label_selector(selector, "spec.selector")]


@pytest.mark.parametrize(
    "selector",
    [
        None,
        LabelSelector(),
        LabelSelector(match_labels={"app": "web"}),
        LabelSelector(
            match_expressions=[
                Req(key="app", operator="In", values=["a", "b"]),
                Req(key="tier", operator="NotIn", values=["x"]),
                Req(key="example.com/x", operator="Exists"),
                Req(key="y", operator="DoesNotExist"),
            ]
        ),
    ],
    ids=["nil", "empty", "match-labels", "all-operators"],
)
def test_api9_valid_selectors(selector: LabelSelector | None) -> None:
    assert errors_of(selector) == []


CASES = [
    (
        "in-without-values",
        Req(key="app", operator="In"),
        [
            "spec.selector.matchExpressions[0].values: Required value: "
            "must be specified when `operator` is 'In' or 'NotIn'"
        ],
    ),
    (
        "notin-without-values",
        Req(key="app", operator="NotIn"),
        [
            "spec.selector.matchExpressions[0].values: Required value: "
            "must be specified when `operator` is 'In' or 'NotIn'"
        ],
    ),
    (
        "exists-with-values",
        Req(key="app", operator="Exists", values=["x"]),
        [
            "spec.selector.matchExpressions[0].values: Forbidden: "
            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"
        ],
    ),
    (
        "doesnotexist-with-values",
        Req(key="app", operator="DoesNotExist", values=["x"]),
        [
            "spec.selector.matchExpressions[0].values: Forbidden: "
            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"
        ],
    ),
    (
        "unknown-operator",
        Req(key="app", operator="Near"),
        ['spec.selector.matchExpressions[0].operator: Invalid value: "Near": not a valid selector operator'],
    ),
    (
        "bad-value",
        Req(key="app", operator="In", values=["a b"]),
        [
            'spec.selector.matchExpressions[0].values[0]: Invalid value: "a b": a valid label must be an empty '
            "string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
            "alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation "
            "is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
        ],
    ),
]


@pytest.mark.parametrize(("requirement", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_api9_selector_rejections(requirement: LabelSelectorRequirement, expected: list[str]) -> None:
    assert errors_of(LabelSelector(match_expressions=[requirement])) == expected


def test_bad_match_labels_key() -> None:
    (error,) = errors_of(LabelSelector(match_labels={"a b": "x"}))
    assert error.startswith('spec.selector.matchLabels: Invalid value: "a b": name part must consist of')


@pytest.mark.parametrize(
    ("selector", "labels", "matches"),
    [
        (None, {"app": "web"}, False),
        (LabelSelector(), {}, True),
        (LabelSelector(match_labels={"app": "web"}), {"app": "web", "x": "y"}, True),
        (LabelSelector(match_labels={"app": "web"}), {"app": "db"}, False),
        (
            LabelSelector(match_expressions=[Req(key="app", operator="In", values=["web"])]),
            {"app": "web"},
            True,
        ),
        (LabelSelector(match_expressions=[Req(key="app", operator="In", values=["web"])]), {}, False),
        (LabelSelector(match_expressions=[Req(key="app", operator="NotIn", values=["web"])]), {}, True),
        (LabelSelector(match_expressions=[Req(key="app", operator="Exists")]), {"app": ""}, True),
        (LabelSelector(match_expressions=[Req(key="app", operator="DoesNotExist")]), {"app": ""}, False),
    ],
    ids=[
        "nil",
        "empty",
        "labels-subset",
        "labels-differ",
        "in",
        "in-absent",
        "notin-absent",
        "exists",
        "doesnotexist",
    ],
)
def test_api9_matching(selector: LabelSelector | None, labels: dict[str, str], matches: bool) -> None:
    assert selector_matches(selector, labels) is matches


def test_template_mismatch_and_nil_selector() -> None:
    template = PodTemplateSpec(metadata=ObjectMeta(labels={"app": "web"}))
    mismatch, usable = selector_and_template(
        LabelSelector(match_labels={"app": "zzz"}), template, "spec", "x"
    )
    assert usable
    assert [str(e) for e in mismatch] == [
        'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`'
    ]
    missing, usable = selector_and_template(None, PodTemplateSpec(), "spec", "x")
    assert usable
    assert [str(e) for e in missing] == [
        "spec.selector: Required value",
        "spec.template.metadata.labels: Invalid value: null: `selector` does not match template `labels`",
    ]


def test_unusable_selector_is_reported_instead_of_a_mismatch() -> None:
    bad = LabelSelector(match_expressions=[Req(key="app", operator="Near")])
    errors, usable = selector_and_template(bad, PodTemplateSpec(), "spec", "x")
    assert not usable
    assert [e.field for e in errors] == ["spec.selector.matchExpressions[0].operator", "spec.selector"]
    assert errors[1].detail == "invalid label selector"


@given(st.dictionaries(st.sampled_from("abc"), st.sampled_from("xyz")))
def test_a_selector_built_from_labels_matches_them(labels: dict[str, str]) -> None:
    assert selector_matches(LabelSelector(match_labels=labels), labels)
    exprs = [Req(key=k, operator="In", values=[v]) for k, v in labels.items()]
    assert selector_matches(LabelSelector(match_expressions=exprs), labels)
