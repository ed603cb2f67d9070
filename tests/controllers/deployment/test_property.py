"""Property (STYLE §14): random rolling updates on the pure planner with a simulated RS controller
never exceed replicas + maxSurge, never drop available below replicas − maxUnavailable once they
were there (DEP-17), and always complete once pods become ready."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from kubelite.controllers.deployment.fenceposts import fenceposts
from kubelite.controllers.deployment.model import RSView
from kubelite.controllers.deployment.proportion import plan_proportional
from tests.controllers.deployment.sim import Rollout, full

int_or_percent = st.one_of(st.integers(0, 5), st.sampled_from(["0%", "10%", "25%", "50%", "100%"]))


def _rescale(sim: Rollout, replicas: int, surge: int | str, unavailable: int | str) -> None:
    """A scale event mid-rollout: the proportional (scale-only) sync, as the controller runs it."""
    f = fenceposts(replicas, surge, unavailable)
    assert sim.new is not None
    steps = {s.name: s.replicas for s in plan_proportional(sim.new, sim.olds, f, status_replicas=sim.total)}
    mark = {"desired": replicas, "max_replicas": f.max_total}
    sim.new = dataclasses.replace(sim.new, replicas=steps.get(sim.new.name, sim.new.replicas), **mark)
    sim.olds = [dataclasses.replace(rs, replicas=steps.get(rs.name, rs.replicas), **mark) for rs in sim.olds]
    sim.f = f


@settings(max_examples=150, deadline=None)
@given(
    replicas=st.integers(0, 12),
    surge=int_or_percent,
    unavailable=int_or_percent,
    olds=st.lists(st.integers(0, 8), min_size=1, max_size=3),
    readiness=st.lists(st.integers(0, 3), min_size=1, max_size=40),
    rescale=st.one_of(st.none(), st.tuples(st.integers(0, 30), st.integers(0, 12))),
)
def test_dep17_random_rolling_updates_stay_within_bounds_and_complete(
    replicas: int,
    surge: int | str,
    unavailable: int | str,
    olds: list[int],
    readiness: list[int],
    rescale: tuple[int, int] | None,
) -> None:
    f = fenceposts(replicas, surge, unavailable)
    if f.max_surge == 0 and f.max_unavailable == 0 and replicas > 0:
        return  # rejected by validation (DEP-2)
    sets = [full(f"old{i}", n, created=str(i)) for i, n in enumerate(olds)]
    sim = Rollout(f, sets)
    was_available = False
    for step, ready in enumerate(readiness):
        if rescale is not None and step == rescale[0] and sim.new is not None:
            _rescale(sim, rescale[1], surge, unavailable)
            was_available = False
        sim.sync()
        assert sim.total <= max(sim.f.max_total, _start_total(olds, sim))
        if was_available:
            assert sim.available >= sim.f.min_available
        _become_ready(sim, ready)
        was_available = was_available or sim.available >= sim.f.min_available
    for _ in range(200):  # every pod now becomes ready: the rollout completes
        sim.sync()
        sim.settle()
        if _complete(sim):
            break
    assert _complete(sim), sim


def _start_total(olds: list[int], sim: Rollout) -> int:
    """Old RSs larger than maxTotal before the rollout only ever shrink."""
    return sum(olds) if sim.new is not None and sim.new.replicas == 0 else 0


def _become_ready(sim: Rollout, count: int) -> None:
    """The RS controllers create pods for every spec; `count` more new pods become available."""
    assert sim.new is not None
    sim.settle(ready_new=sim.new.available + count)


def _complete(sim: Rollout) -> bool:
    assert sim.new is not None
    return (
        sim.new.replicas == sim.f.replicas
        and sim.new.available == sim.f.replicas
        and all(rs.replicas == 0 for rs in sim.olds)
    )


def test_property_helper_full_view_is_fully_available() -> None:
    assert full("a", 2) == RSView("a", "a", 2, 2, 2, 2)
