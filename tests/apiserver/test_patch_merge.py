"""JSON merge patch (RFC 7386): the RFC's example table, the diff helper, and no mutation."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kubelite.apiserver.patch.merge import create_merge_patch, merge_patch

# RFC 7386 Appendix A, one row per example: target, patch, result.
RFC_EXAMPLES: list[tuple[Any, Any, Any]] = [
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    (["a", "b"], ["c", "d"], ["c", "d"]),
    ({"a": "b"}, ["c"], ["c"]),
    ({"a": "foo"}, None, None),
    ({"a": "foo"}, "bar", "bar"),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
]


@pytest.mark.parametrize(
    ("target", "patch", "expected"), RFC_EXAMPLES, ids=[f"rfc7386-a{i + 1}" for i in range(15)]
)
def test_rfc7386_examples(target: Any, patch: Any, expected: Any) -> None:
    before = copy.deepcopy((target, patch))
    assert merge_patch(target, patch) == expected
    assert (target, patch) == before


def test_arrays_in_a_patch_are_taken_verbatim_even_with_nulls_inside() -> None:
    result = merge_patch({"spec": {"args": ["a"]}}, {"spec": {"args": [None, {"x": None}]}})
    assert result == {"spec": {"args": [None, {"x": None}]}}


def test_kubectl_scale_and_rollout_bodies() -> None:
    """kubectl scale sends `{"spec":{"replicas":5}}`; resume sends `paused: null`."""
    doc = {"spec": {"replicas": 3, "paused": True}, "status": {"replicas": 3}}
    assert merge_patch(doc, {"spec": {"replicas": 5}}) == {
        "spec": {"replicas": 5, "paused": True},
        "status": {"replicas": 3},
    }
    assert merge_patch(doc, {"spec": {"paused": None}}) == {
        "spec": {"replicas": 3},
        "status": {"replicas": 3},
    }


@pytest.mark.parametrize(
    ("source", "target", "patch"),
    [
        ({"a": 1}, {"a": 1}, {}),
        ({"a": 1}, {"a": 2}, {"a": 2}),
        ({"a": 1, "b": 2}, {"a": 1}, {"b": None}),
        ({"a": {"x": 1, "y": 2}}, {"a": {"x": 1}}, {"a": {"y": None}}),
        ({"a": [1, 2]}, {"a": [2]}, {"a": [2]}),
        ({"a": "s"}, {"a": {"k": "v"}}, {"a": {"k": "v"}}),
        ({"a": True}, {"a": 1}, {"a": 1}),
    ],
    ids=[
        "equal",
        "changed",
        "removed",
        "nested-removed",
        "list-replaced",
        "type-changed",
        "bool-is-not-number",
    ],
)
def test_create_merge_patch(source: dict[str, Any], target: dict[str, Any], patch: dict[str, Any]) -> None:
    assert create_merge_patch(source, target) == patch


_SCALARS = st.booleans() | st.integers(-3, 3) | st.text("ab", max_size=2) | st.none()
_KEYS = st.text("abc", min_size=1, max_size=2)


def _no_null_members(leaves: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """JSON values whose objects have no null members (merge patches cannot express those)."""
    non_null = leaves.filter(lambda value: value is not None)
    return st.recursive(
        non_null,
        lambda inner: st.lists(inner | st.none(), max_size=3) | st.dictionaries(_KEYS, inner, max_size=3),
        max_leaves=12,
    )


_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=3),
    max_leaves=12,
)


@given(
    source=st.dictionaries(_KEYS, _JSON, max_size=4),
    target=st.dictionaries(_KEYS, _no_null_members(_SCALARS), max_size=4),
)
def test_merge_of_the_diff_gives_the_target(source: dict[str, Any], target: dict[str, Any]) -> None:
    before = copy.deepcopy((source, target))
    patch = create_merge_patch(source, target)
    assert merge_patch(source, patch) == target
    assert (source, target) == before


@given(target=_JSON, patch=_JSON)
def test_merge_never_mutates_its_inputs(target: Any, patch: Any) -> None:
    before = copy.deepcopy((target, patch))
    merge_patch(target, patch)
    assert (target, patch) == before
