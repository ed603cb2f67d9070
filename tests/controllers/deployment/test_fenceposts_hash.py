"""Tables for the fenceposts (DEP-3..5) and the pod-template-hash (DEP-8)."""

from __future__ import annotations

import re

import msgspec
import pytest

from kubelite.api.core import Container, PodSpec, PodTemplateSpec
from kubelite.api.meta import ObjectMeta
from kubelite.controllers.deployment.fenceposts import fenceposts, scaled_value
from kubelite.controllers.deployment.hashing import equal_ignoring_hash, safe_encode, template_hash


@pytest.mark.parametrize(
    ("replicas", "surge", "unavailable", "expected"),
    [
        (1, "25%", "25%", (1, 0)),
        (3, "25%", "25%", (1, 0)),
        (4, "25%", "25%", (1, 1)),
        (10, "25%", "25%", (3, 2)),
        (0, "25%", "25%", (0, 0)),
        (5, 0, "10%", (0, 1)),
    ],
    ids=["1", "3", "4", "10", "0", "surge0-unavail10pct-of-5"],
)
def test_dep4_worked_fenceposts(
    replicas: int, surge: int | str, unavailable: int | str, expected: tuple[int, int]
) -> None:
    """DEP-4: with 25%/25%, replicas 1 → (1,0), 3 → (1,0), 4 → (1,1), 10 → (3,2), 0 → (0,0);
    maxSurge=0, maxUnavailable=10% with 5 replicas → (0,1)."""
    f = fenceposts(replicas, surge, unavailable)
    assert (f.max_surge, f.max_unavailable) == expected


@pytest.mark.parametrize(
    ("value", "total", "up", "expected"),
    [
        ("25%", 3, True, 1),
        ("25%", 3, False, 0),
        ("50%", 5, True, 3),
        ("50%", 5, False, 2),
        (7, 3, True, 7),
        ("0%", 9, True, 0),
    ],
)
def test_dep3_percentages_round_surge_up_and_unavailability_down(
    value: int | str, total: int, up: bool, expected: int
) -> None:
    assert scaled_value(value, total, round_up=up) == expected


def test_dep3_dep5_both_zero_allows_one_unavailable_capped_and_recreate_has_none() -> None:
    """DEP-3: both 0 → unavailable 1; MaxUnavailable ≤ desired (0 with desired 0); Recreate: (0,0).
    DEP-5: minAvailable = replicas − MaxUnavailable, maxTotal = replicas + MaxSurge."""
    assert (fenceposts(4, 0, 0).max_surge, fenceposts(4, 0, 0).max_unavailable) == (0, 1)
    assert fenceposts(0, 0, 0).max_unavailable == 0
    assert fenceposts(2, 1, 5).max_unavailable == 2
    recreate = fenceposts(4, "25%", "25%", rolling=False)
    assert (recreate.max_surge, recreate.max_unavailable) == (0, 0)
    f = fenceposts(10, 3, 2)
    assert (f.min_available, f.max_total) == (8, 13)


def _template(image: str = "busybox:1", labels: dict[str, str] | None = None) -> PodTemplateSpec:
    return PodTemplateSpec(
        metadata=ObjectMeta(labels=labels or {"app": "web"}),
        spec=PodSpec(containers=[Container(name="web", image=image)]),
    )


def test_dep8_hash_is_deterministic_safe_and_changes_with_template_and_collisions() -> None:
    """DEP-8: FNV-1a, safe alphabet (label matches ^[4-9bcdf]{1,10}$), deterministic, changes with the
    template and with collisionCount; digits map to 4 5 6 7 8 9 b c d f."""
    a = template_hash(_template())
    assert re.fullmatch(r"[4-9bcdf]{1,10}", a)
    assert template_hash(_template()) == a
    assert template_hash(_template("busybox:2")) != a
    assert template_hash(_template(), 1) not in {a, template_hash(_template(), 2)}
    assert template_hash(_template(), 0) != a  # a non-nil count is always fed
    assert safe_encode("0123456789") == "456789bcdf"


def test_dep7_templates_compare_without_the_hash_label() -> None:
    hashed = _template(labels={"app": "web", "pod-template-hash": "5b44"})
    assert equal_ignoring_hash(hashed, _template())
    assert not equal_ignoring_hash(hashed, _template("busybox:2"))
    assert msgspec.structs.replace(_template(), metadata=ObjectMeta(labels={"app": "x"})) != _template()
