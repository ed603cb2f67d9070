"""C-4: "ceil"/"floor" act on the exact rational value; `round` rounds half away from zero.

Percentages are resolved in integer arithmetic, so a share whose float product lands a hair off an
integer (0.07·100 = 7.000000000000001, 0.29·100 = 28.999999999999996) still rounds as the exact
value does. Rounding is Go's `math.Round`, not Python's banker's rounding.
"""

from __future__ import annotations

import math

import pytest

from kubelite.controllers.deployment.fenceposts import scaled_value
from kubelite.controllers.deployment.proportion import go_round
from kubelite.controllers.disruption.plan import scaled


@pytest.mark.parametrize(
    ("percent", "total", "ceil", "floor"),
    [
        ("7%", 100, 7, 7),  # float ceil would say 8
        ("29%", 100, 29, 29),  # float floor would say 28
        ("25%", 10, 3, 2),  # 2.5 exactly: ceil 3, floor 2 (DEP-4)
        ("33%", 3, 1, 0),  # 0.99
        ("100%", 7, 7, 7),
        ("0%", 9, 0, 0),
    ],
    ids=lambda value: str(value),
)
def test_c4_percentages_round_the_exact_rational(percent: str, total: int, ceil: int, floor: int) -> None:
    assert scaled_value(percent, total, round_up=True) == ceil
    assert scaled_value(percent, total, round_up=False) == floor
    assert scaled(percent, total) == ceil  # PodDisruptionBudget percentages round up (NODE-16)


def test_c4_the_float_products_really_are_off_by_a_hair() -> None:
    """Guards the table above: these cases only prove something if floats get them wrong."""
    assert math.ceil(0.07 * 100) == 8
    assert math.floor(0.29 * 100) == 28


@pytest.mark.parametrize(
    ("value", "rounded"),
    [(0.5, 1), (1.5, 2), (2.5, 3), (-0.5, -1), (-2.5, -3), (2.49, 2), (-2.49, -2), (0.0, 0)],
    ids=lambda value: str(value),
)
def test_c4_round_is_half_away_from_zero(value: float, rounded: int) -> None:
    assert go_round(value) == rounded
    if value in (0.5, 2.5, -0.5, -2.5):
        assert round(value) != rounded  # Python's round would not do
