"""Toleration matching (SCH-3): effect empty or equal, key empty or equal, operator Exists (any
value) or Equal/empty (values equal)."""

from __future__ import annotations

import pytest

from kubelite.api.core import Toleration
from kubelite.scheduler.plugins.tainttoleration import tolerates
from tests.scheduler.builders import taint

TAINT = taint("dedicated", "gpu", "NoSchedule")


@pytest.mark.parametrize(
    ("toleration", "expected"),
    [
        (Toleration(key="dedicated", operator="Equal", value="gpu", effect="NoSchedule"), True),
        (Toleration(key="dedicated", value="gpu"), True),
        (Toleration(key="dedicated", operator="Equal", value="cpu"), False),
        (Toleration(key="dedicated", operator="Exists"), True),
        (Toleration(key="dedicated", operator="Exists", effect="NoExecute"), False),
        (Toleration(key="other", operator="Exists"), False),
        (Toleration(operator="Exists"), True),
        (Toleration(operator="Exists", effect="NoSchedule"), True),
        (Toleration(operator="Exists", effect="PreferNoSchedule"), False),
        (Toleration(key="dedicated", operator="Bogus", value="gpu"), False),
        (Toleration(key="dedicated"), False),
    ],
    ids=[
        "equal-all",
        "empty-operator-is-equal",
        "value-differs",
        "exists-any-value",
        "effect-differs",
        "key-differs",
        "empty-key-exists-matches-all",
        "empty-key-same-effect",
        "empty-key-other-effect",
        "unknown-operator",
        "equal-empty-value",
    ],
)
def test_sch3_toleration_matches_taint(toleration: Toleration, expected: bool) -> None:
    assert tolerates(toleration, TAINT) is expected


def test_sch3_empty_value_taint_matches_equal_with_empty_value() -> None:
    assert tolerates(Toleration(key="k"), taint("k"))
    assert not tolerates(Toleration(key="k", value="v"), taint("k"))
