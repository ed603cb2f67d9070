"""The disruption controller's arithmetic (NODE-16), as tables: the budget's targets, healthy pods,
disruptedPods expiry, the status to write (or none) and the fail-safe status."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kubelite.api.core import Pod, PodCondition
from kubelite.api.meta import Condition, ObjectMeta
from kubelite.api.policy import PodDisruptionBudget, PodDisruptionBudgetSpec, PodDisruptionBudgetStatus
from kubelite.clock import rfc3339
from kubelite.controllers.disruption.plan import (
    DELETION_TIMEOUT,
    budget_targets,
    count_healthy,
    fail_safe_status,
    live_disruptions,
    plan_status,
    uses_scale,
)

NOW = 1_800_000_000.0


def spec(
    min_available: int | str | None = None, max_unavailable: int | str | None = None
) -> PodDisruptionBudgetSpec:
    return PodDisruptionBudgetSpec(min_available=min_available, max_unavailable=max_unavailable)


@pytest.mark.parametrize(
    ("budget", "expected", "matching", "targets"),
    [
        (spec(min_available=2), 10, 3, (3, 2)),
        (spec(min_available=5), 10, 3, (3, 5)),
        (spec(min_available="50%"), 3, 7, (3, 2)),
        (spec(min_available="50%"), 4, 7, (4, 2)),
        (spec(min_available="1%"), 3, 3, (3, 1)),
        (spec(min_available="100%"), 3, 3, (3, 3)),
        (spec(min_available="0%"), 3, 3, (3, 0)),
        (spec(max_unavailable=1), 3, 9, (3, 2)),
        (spec(max_unavailable=5), 3, 3, (3, 0)),
        (spec(max_unavailable="50%"), 3, 3, (3, 1)),
        (spec(max_unavailable="34%"), 3, 3, (3, 1)),
        (spec(max_unavailable="33%"), 3, 3, (3, 2)),
        (spec(max_unavailable="0%"), 5, 5, (5, 5)),
        (spec(), 3, 3, (0, 0)),
    ],
    ids=[
        "int-min-counts-matching-pods",
        "int-min-above-pods",
        "percent-min-ceil-1.5",
        "percent-min-exact",
        "percent-min-ceil-tiny",
        "percent-min-all",
        "percent-min-none",
        "int-max",
        "int-max-above-expected-floors-at-0",
        "percent-max-rounds-up-1.5",
        "percent-max-rounds-up-1.02",
        "percent-max-0.99-rounds-up-to-1",
        "percent-max-0",
        "neither-set",
    ],
)
def test_node16_expected_and_desired(
    budget: PodDisruptionBudgetSpec, expected: int, matching: int, targets: tuple[int, int]
) -> None:
    assert budget_targets(budget, expected, matching) == targets


@pytest.mark.parametrize(
    ("budget", "scaled"),
    [(spec(min_available=2), False), (spec(min_available="20%"), True), (spec(max_unavailable=1), True)],
    ids=["int-min", "percent-min", "max"],
)
def test_node16_which_budgets_need_the_controllers_scale(
    budget: PodDisruptionBudgetSpec, scaled: bool
) -> None:
    assert uses_scale(budget) is scaled


def pod(name: str, *, ready: bool = True, deleting: bool = False) -> Pod:
    p = Pod(metadata=ObjectMeta(name=name, namespace="default"))
    p.status.conditions = [PodCondition(type="Ready", status="True" if ready else "False")]
    if deleting:
        p.metadata.deletion_timestamp = rfc3339(NOW)
    return p


def test_node16_current_healthy_is_ready_not_terminating_not_disrupted() -> None:
    pods = [pod("a"), pod("b", ready=False), pod("c", deleting=True), pod("d"), pod("e")]
    assert count_healthy(pods, {"d": rfc3339(NOW)}) == 2


@pytest.mark.parametrize(
    ("age", "live"),
    [(0, True), (60, True), (DELETION_TIMEOUT - 1, True), (DELETION_TIMEOUT, False), (600, False)],
    ids=["now", "1-min", "just-before-2-min", "at-2-min", "10-min"],
)
def test_node16_disrupted_pods_expire_after_2_minutes(age: float, live: bool) -> None:
    stamp = rfc3339(NOW - age)
    found = live_disruptions([pod("a")], {"a": stamp}, NOW)
    assert found.live == ({"a": stamp} if live else {})
    assert found.expired == (() if live else ("a",))
    assert found.recheck_at == (NOW - age + DELETION_TIMEOUT if live else None)


def test_node16_disrupted_pods_entries_of_gone_or_terminating_pods_are_dropped_silently() -> None:
    recorded = {"gone": rfc3339(NOW), "going": rfc3339(NOW), "bad": "yesterday", "b": rfc3339(NOW - 30)}
    found = live_disruptions([pod("going", deleting=True), pod("bad"), pod("b")], recorded, NOW)
    assert (found.live, found.expired, found.recheck_at) == ({"b": recorded["b"]}, ("bad",), NOW - 30 + 120)


def budget(status: PodDisruptionBudgetStatus | None = None, generation: int = 1) -> PodDisruptionBudget:
    b = PodDisruptionBudget(metadata=ObjectMeta(name="web", namespace="default", generation=generation))
    b.status = status or PodDisruptionBudgetStatus()
    return b


@pytest.mark.parametrize(
    ("healthy", "desired", "expected", "allowed", "condition"),
    [
        (3, 2, 3, 1, ("True", "SufficientPods")),
        (2, 2, 3, 0, ("False", "InsufficientPods")),
        (1, 2, 3, 0, ("False", "InsufficientPods")),
        (5, 0, 5, 5, ("True", "SufficientPods")),
        (3, 0, 0, 0, ("False", "InsufficientPods")),
    ],
    ids=["one-spare", "exactly-desired", "short-never-negative", "all-spare", "no-expected-pods-allows-none"],
)
def test_node16_disruptions_allowed_and_condition(
    healthy: int, desired: int, expected: int, allowed: int, condition: tuple[str, str]
) -> None:
    status = plan_status(budget(), healthy=healthy, desired=desired, expected=expected, disrupted={}, now=NOW)
    assert status == PodDisruptionBudgetStatus(
        observed_generation=1,
        disruptions_allowed=allowed,
        current_healthy=healthy,
        desired_healthy=desired,
        expected_pods=expected,
        conditions=[
            Condition(
                type="DisruptionAllowed",
                status=condition[0],
                reason=condition[1],
                observed_generation=1,
                last_transition_time=rfc3339(NOW),
            )
        ],
    )


def test_node16_a_current_status_is_not_written_again() -> None:
    """C-2: the status just planned, planned again later, needs no write."""
    first = plan_status(budget(), healthy=3, desired=2, expected=3, disrupted={}, now=NOW)
    assert first is not None
    assert plan_status(budget(first), healthy=3, desired=2, expected=3, disrupted={}, now=NOW + 50) is None


def test_node16_a_new_generation_is_observed_and_the_transition_time_kept() -> None:
    first = plan_status(budget(), healthy=3, desired=2, expected=3, disrupted={}, now=NOW)
    assert first is not None
    again = plan_status(
        budget(first, generation=2), healthy=3, desired=2, expected=3, disrupted={}, now=NOW + 50
    )
    assert again is not None and again.observed_generation == 2
    assert [(c.observed_generation, c.last_transition_time) for c in again.conditions] == [(2, rfc3339(NOW))]


def test_node16_fail_safe_allows_nothing_with_sync_failed() -> None:
    current = plan_status(budget(), healthy=3, desired=2, expected=3, disrupted={}, now=NOW)
    assert current is not None
    failed = fail_safe_status(budget(current), 'found no controllers for pod "a"', NOW + 5)
    assert failed.disruptions_allowed == 0 and failed.current_healthy == 3
    assert failed.conditions == [
        Condition(
            type="DisruptionAllowed",
            status="False",
            reason="SyncFailed",
            message='found no controllers for pod "a"',
            observed_generation=1,
            last_transition_time=rfc3339(NOW + 5),
        )
    ]


@given(
    healthy=st.integers(0, 50),
    desired=st.integers(0, 50),
    expected=st.integers(0, 50),
)
def test_node16_disruptions_allowed_never_negative_and_never_beyond_the_spare(
    healthy: int, desired: int, expected: int
) -> None:
    status = plan_status(budget(), healthy=healthy, desired=desired, expected=expected, disrupted={}, now=NOW)
    assert status is not None
    assert 0 <= status.disruptions_allowed <= max(0, healthy - desired)
    condition = status.conditions[0]
    assert (condition.status == "True") == (status.disruptions_allowed > 0)
