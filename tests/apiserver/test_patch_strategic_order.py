"""Order of merged lists in strategic merge patch: the patch list's order and `$setElementOrder`.

Kubernetes' rule (see `kubelite.apiserver.patch.ordering`): elements named by the patch (or by
`$setElementOrder/<field>`) come in that order; live-only elements keep their place relative to
the live elements around them; elements new to the list come as early as they can. The cases
are apimachinery's own strategicpatch test cases, restated.
"""

from __future__ import annotations

from typing import Any

import pytest

from kubelite.apiserver.patch import ordering
from tests.apiserver.test_patch_strategic import smp, spec

# $setElementOrder cases from apimachinery's strategicpatch tests (live list, patch, result).
ORDERS: list[tuple[str, list[Any], dict[str, Any], list[Any]]] = [
    (
        "kubectl-apply-update",
        [{"name": "web", "image": "busybox:1.35"}],
        {
            "$setElementOrder/containers": [{"name": "web"}],
            "containers": [{"image": "busybox:1.36", "name": "web"}],
        },
        [{"name": "web", "image": "busybox:1.36"}],
    ),
    (
        "add-item-first",
        [{"name": "1"}, {"name": "2", "image": "2"}],
        {
            "$setElementOrder/containers": [{"name": "3"}, {"name": "1"}, {"name": "2"}],
            "containers": [{"name": "3"}],
        },
        [{"name": "3"}, {"name": "1"}, {"name": "2", "image": "2"}],
    ),
    (
        "add-items-between",
        [{"name": "1"}, {"name": "2"}],
        {
            "$setElementOrder/containers": [{"name": n} for n in "1423"],
            "containers": [{"name": "4"}, {"name": "3"}],
        },
        [{"name": n} for n in "1423"],
    ),
    (
        "reorder-only",
        [{"name": n} for n in "1342"],
        {"$setElementOrder/containers": [{"name": n} for n in "4231"]},
        [{"name": n} for n in "4231"],
    ),
    (
        "server-only-at-end",
        [{"name": n} for n in "13429"],
        {"$setElementOrder/containers": [{"name": n} for n in "4231"]},
        [{"name": n} for n in "42319"],
    ),
    (
        "server-only-interleaved",
        [{"name": n} for n in "12934"],
        {"$setElementOrder/containers": [{"name": n} for n in "2143"]},
        [{"name": n} for n in "21943"],
    ),
    (
        "server-only-run-interleaved",
        [{"name": n} for n in "1279834"],
        {"$setElementOrder/containers": [{"name": n} for n in "2143"]},
        [{"name": n} for n in "2179843"],
    ),
    (
        "unknown-names-ignored",
        [{"name": "1"}, {"name": "3"}],
        {
            "$setElementOrder/containers": [{"name": n} for n in "321"],
            "containers": [{"name": "3", "image": "3"}],
        },
        [{"name": "3", "image": "3"}, {"name": "1"}],
    ),
    (
        "patch-order-without-directive",
        [{"name": "1"}, {"name": "2", "image": "b"}, {"name": "3"}],
        {"containers": [{"name": "3", "image": "c"}, {"name": "1", "image": "a"}]},
        [{"name": "2", "image": "b"}, {"name": "3", "image": "c"}, {"name": "1", "image": "a"}],
    ),
]


@pytest.mark.parametrize(("live", "patch", "expected"), [c[1:] for c in ORDERS], ids=[c[0] for c in ORDERS])
def test_set_element_order(live: list[Any], patch: dict[str, Any], expected: list[Any]) -> None:
    assert smp(spec(containers=live), {"spec": patch}) == spec(containers=expected)


@pytest.mark.parametrize(
    ("live", "patch", "expected"),
    [
        ([1, 2, 3], {"numbers": [3, 1, 2]}, [3, 1, 2]),
        ([1, 2, 3], {"numbers": [3, 1]}, [2, 3, 1]),
        ([1, 3, 4, 2], {"$setElementOrder/numbers": [4, 2, 3, 1]}, [4, 2, 3, 1]),
        ([1, 2], {"$setElementOrder/numbers": [3, 1, 2], "numbers": [3]}, [3, 1, 2]),
        ([1, 3], {"$setElementOrder/numbers": [3, 2, 1]}, [3, 1]),
    ],
    ids=["patch-order", "patch-order-partial", "set-order", "set-order-with-add", "unknown-values-ignored"],
)
def test_set_order_of_scalar_sets(live: list[int], patch: dict[str, Any], expected: list[int]) -> None:
    assert smp(spec(numbers=live), {"spec": patch}) == spec(numbers=expected)


@pytest.mark.parametrize(
    ("keys", "order", "expected"),
    [
        ([1, 3], [1, 2, 3], True),
        ([3, 1], [1, 2, 3], False),
        ([], [1], True),
        ([1, 1], [1], False),
        ([2], [], False),
    ],
    ids=["gaps", "reversed", "empty", "repeated", "missing"],
)
def test_is_subsequence(keys: list[int], order: list[int], expected: bool) -> None:
    assert ordering.is_subsequence(keys, order) is expected


def test_union_keeps_first_occurrences_and_json_equality() -> None:
    assert ordering.union(["a", 1, "a"], [True, 1.0, "b"]) == ["a", 1, True, "b"]
