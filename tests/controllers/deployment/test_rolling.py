"""Tables for RollingUpdate (DEP-13..19) and Recreate (DEP-21) on the pure planners."""

from __future__ import annotations

import pytest

from kubelite.controllers.deployment.fenceposts import fenceposts
from kubelite.controllers.deployment.model import Resize, RSView
from kubelite.controllers.deployment.recreate import RecreatePlan, plan_recreate
from kubelite.controllers.deployment.rolling import plan_rolling, plan_scale_down, plan_scale_up
from tests.controllers.deployment.sim import Rollout, full


def test_dep18_three_replicas_with_defaults_roll_one_at_a_time() -> None:
    """DEP-18: replicas=3, surge 1, unavailable 0: the new RS starts at 1 with the old at 3; once the
    new pod is available: old→2, new→2, old→1, new→3, old→0; never more than 4 in total and never
    fewer than 3 available."""
    sim = Rollout(fenceposts(3, "25%", "25%"), [full("old", 3)])
    sim.sync()
    assert sim.history == [(3, 1)]
    while sim.sync() or sim.history[-1] != (0, 3):
        assert sim.total <= 4 and sim.available >= 3
        sim.settle()
        assert sim.available >= 3
    assert sim.history == [(3, 1), (2, 1), (2, 2), (1, 2), (1, 3), (0, 3)]


def test_dep19_ten_replicas_surge_3_unavailable_2_and_the_halt_when_nothing_becomes_available() -> None:
    """DEP-19: replicas=10, maxSurge=3, maxUnavailable=2: new starts at 3 (total 13); maxScaledDown =
    13−8−3 = 2, so old 10→8; then new 3→5. If the new pods never become available, 13−8−5 = 0 and the
    rollout halts at old=8, new=5."""
    sim = Rollout(fenceposts(10, 3, 2), [full("old", 10)])
    sim.sync()
    assert sim.history == [(10, 3)]
    sim.settle(ready_new=0)
    assert plan_scale_down(sim.new, sim.olds, sim.f) == [Resize("old", 8)]  # type: ignore[arg-type]
    for _ in range(5):
        sim.sync()
        sim.settle(ready_new=0)
    assert sim.history == [(10, 3), (8, 3), (8, 5)]
    assert plan_rolling(sim.new, sim.olds, sim.f) == []  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("new", "olds", "expected"),
    [
        (RSView("n", replicas=5), [], Resize("n", 3)),
        (RSView("n", replicas=3), [RSView("o", replicas=1)], None),
        (RSView("n", replicas=0), [full("o", 3)], Resize("n", 1)),
        (RSView("n", replicas=1), [full("o", 2)], Resize("n", 2)),
        (RSView("n", replicas=1), [full("o", 3)], None),
    ],
    ids=["above-replicas-goes-down", "at-replicas", "surge-one", "room-for-one", "at-max-total"],
)
def test_dep13_scale_up_step(new: RSView, olds: list[RSView], expected: Resize | None) -> None:
    """DEP-13: a new RS above replicas goes to replicas; else it grows by min(maxTotal − total,
    replicas − new.replicas) (replicas 3, surge 1, unavailable 0)."""
    assert plan_scale_up(new, olds, fenceposts(3, 1, 0)) == expected


def test_dep14_dep15_dep16_unhealthy_old_replicas_go_first_then_available_ones_oldest_first() -> None:
    """DEP-14: maxScaledDown = total − minAvailable − (new.replicas − new.available); DEP-15: old RSs
    oldest-first lose their unavailable replicas within that budget (skipping fully available ones);
    DEP-16: then up to Σavailable − minAvailable more, oldest first."""
    f = fenceposts(10, 3, 2)  # minAvailable 8
    new = RSView("n", created="3", replicas=3, status_replicas=3, available=3)
    older = RSView("a", created="1", replicas=4, status_replicas=4, available=2)
    newer = RSView("b", created="2", replicas=6, status_replicas=6, available=6)
    # total 13, maxScaledDown = 13 − 8 − 0 = 5: 2 unhealthy from a (a→2); avail 11 − 8 = 3: a→0, b→5
    assert plan_scale_down(new, [newer, older], f) == [Resize("a", 0), Resize("b", 5)]
    # nothing may go when the new RS's unavailable pods eat the budget (DEP-14 stop)
    stuck = RSView("n", created="3", replicas=5, status_replicas=5, available=0)
    assert plan_scale_down(stuck, [full("a", 8)], f) == []
    # old RSs already at 0 stop the step
    assert plan_scale_down(new, [RSView("a", replicas=0)], f) == []


def test_dep17_dep20_rollover_scales_the_previous_new_rs_down_as_an_old_one() -> None:
    """DEP-20: a template change mid-rollout makes a third RS; the previous new RS is old and goes down
    by DEP-14..16 while Σ replicas ≤ replicas + MaxSurge and available ≥ replicas − MaxUnavailable."""
    f = fenceposts(4, 1, 1)
    sim = Rollout(f, [full("v1", 2, "1"), full("v2", 3, "2")])
    sim.sync()
    while sim.sync() or sim.history[-1] != (0, 0, 4):
        assert sim.total <= 5
        sim.settle()
        assert sim.available >= 3
    assert sim.olds == [RSView("v1", "1", 0, 0, 2, 0), RSView("v2", "2", 0, 0, 3, 0)]


@pytest.mark.parametrize(
    ("new", "olds", "running", "expected"),
    [
        (None, [full("o", 3)], True, RecreatePlan(scale_down=[Resize("o", 0)])),
        (None, [RSView("o", replicas=0, status_replicas=2)], False, RecreatePlan(wait=True)),
        (None, [RSView("o", replicas=0)], True, RecreatePlan(wait=True)),
        (None, [RSView("o", replicas=0)], False, RecreatePlan(create=True)),
        (RSView("n", replicas=1), [RSView("o", replicas=0)], False, RecreatePlan(scale_up=Resize("n", 3))),
        (RSView("n", replicas=3), [], False, RecreatePlan()),
    ],
    ids=["scale-old-to-0", "old-status-replicas", "old-pods-running", "create-new", "size-new", "done"],
)
def test_dep21_recreate_steps(
    new: RSView | None, olds: list[RSView], running: bool, expected: RecreatePlan
) -> None:
    """DEP-21: active old RSs go to 0 first (ending the sync); while any old RS has status.replicas > 0
    or a Pending/Running/Unknown pod, nothing more; then the new RS is created or sized to replicas."""
    assert plan_recreate(new, olds, 3, old_pods_running=running) == expected
