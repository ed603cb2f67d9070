"""The arithmetic of a PodDisruptionBudget's status (NODE-16; upstream `disruption.go`). Pure.

- `uses_scale(spec)`: whether `expectedPods` is the sum of the pods' controllers' scales (a
  `maxUnavailable`, or a percentage `minAvailable`) rather than the number of matching pods.
- `budget_targets(spec, expected, matching)` → `(expectedPods, desiredHealthy)`: an integer
  `minAvailable` gives `(matching, minAvailable)`; a percentage gives `ceil(p% · expected)`;
  `maxUnavailable` gives `max(0, expected − maxUnavailable)`, a percentage rounded up first;
  neither set gives `(0, 0)`.
- `live_disruptions(pods, recorded, now)`: the `disruptedPods` entries still in force: the pod
  exists, is not terminating and was evicted less than `DELETION_TIMEOUT` (2 min) ago; which pods'
  entries ran out (upstream warns about them); and when the next entry runs out (the sync is
  repeated then). An entry expires at exactly 2 min (upstream keeps it one instant longer but
  already counts the pod healthy).
- `count_healthy(pods, disrupted)`: pods that are Ready, not terminating and not disrupted.
- `plan_status(budget, ...)`: the status to write, or None when the stored one is current
  (C-2: no write without a change). `disruptionsAllowed = max(0, currentHealthy − desiredHealthy)`,
  and 0 while `expectedPods` is 0; `observedGeneration` is the budget's generation; the
  `DisruptionAllowed` condition follows (`SufficientPods` / `InsufficientPods`).
- `fail_safe_status(budget, message, now)`: after a failed sync, `disruptionsAllowed` 0 and
  `DisruptionAllowed` False `SyncFailed` with the error as message (upstream `failSafe`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import msgspec

from kubelite.api.core import Pod
from kubelite.api.meta import Condition
from kubelite.api.policy import PodDisruptionBudget, PodDisruptionBudgetSpec, PodDisruptionBudgetStatus
from kubelite.api.policy.budget import (
    DISRUPTION_ALLOWED,
    SYNC_FAILED,
    conditions_up_to_date,
    is_pod_ready,
    set_condition,
    set_disruption_allowed,
)
from kubelite.clock import parse_rfc3339, rfc3339

DELETION_TIMEOUT = 120.0
"""Seconds a `disruptedPods` entry keeps its pod out of `currentHealthy` (upstream 2 min)."""


def uses_scale(spec: PodDisruptionBudgetSpec) -> bool:
    return spec.max_unavailable is not None or isinstance(spec.min_available, str)


def scaled(value: int | str, total: int) -> int:
    """An int-or-percent against `total`, a percentage rounded up (C-4)."""
    if isinstance(value, int):
        return value
    if not value.endswith("%") or not value[:-1].isdigit():
        raise ValueError(
            f"invalid value for IntOrString: invalid type: string is not a percentage: {value!r}"
        )
    return -(-int(value[:-1]) * total // 100)


def budget_targets(spec: PodDisruptionBudgetSpec, expected: int, matching: int) -> tuple[int, int]:
    if spec.max_unavailable is not None:
        return expected, max(0, expected - scaled(spec.max_unavailable, expected))
    if isinstance(spec.min_available, int):
        return matching, spec.min_available
    if isinstance(spec.min_available, str):
        return expected, scaled(spec.min_available, expected)
    return 0, 0


@dataclass(frozen=True, slots=True)
class Disruptions:
    live: dict[str, str]
    """Pod name → eviction time, for the entries still in force."""
    expired: tuple[str, ...]
    """Pods whose entry ran out while the pod still exists, not terminating."""
    recheck_at: float | None
    """When the next live entry runs out."""


def live_disruptions(pods: Iterable[Pod], recorded: dict[str, str], now: float) -> Disruptions:
    live: dict[str, str] = {}
    expired: list[str] = []
    deadlines: list[float] = []
    for pod in pods:
        name = pod.metadata.name
        if pod.metadata.deletion_timestamp is not None or name not in recorded:
            continue
        deadline = _deadline(recorded[name])
        if deadline is None or now >= deadline:
            expired.append(name)
            continue
        live[name] = recorded[name]
        deadlines.append(deadline)
    return Disruptions(live, tuple(sorted(expired)), min(deadlines, default=None))


def _deadline(stamp: str) -> float | None:
    try:
        return parse_rfc3339(stamp) + DELETION_TIMEOUT
    except ValueError:
        return None


def count_healthy(pods: Iterable[Pod], disrupted: dict[str, str]) -> int:
    return sum(
        1
        for pod in pods
        if pod.metadata.deletion_timestamp is None
        and pod.metadata.name not in disrupted
        and is_pod_ready(pod)
    )


def plan_status(
    budget: PodDisruptionBudget,
    *,
    healthy: int,
    desired: int,
    expected: int,
    disrupted: dict[str, str],
    now: float,
) -> PodDisruptionBudgetStatus | None:
    allowed = max(0, healthy - desired) if expected > 0 else 0
    old = budget.status
    same = (old.current_healthy, old.desired_healthy, old.expected_pods, old.disruptions_allowed) == (
        healthy,
        desired,
        expected,
        allowed,
    )
    if same and old.disrupted_pods == disrupted and conditions_up_to_date(budget):
        return None
    status = PodDisruptionBudgetStatus(
        observed_generation=budget.metadata.generation,
        disrupted_pods=disrupted,
        disruptions_allowed=allowed,
        current_healthy=healthy,
        desired_healthy=desired,
        expected_pods=expected,
        conditions=old.conditions,
    )
    return msgspec.structs.replace(status, conditions=set_disruption_allowed(status, rfc3339(now)))


def fail_safe_status(budget: PodDisruptionBudget, message: str, now: float) -> PodDisruptionBudgetStatus:
    old = budget.status
    failed = Condition(
        type=DISRUPTION_ALLOWED,
        status="False",
        reason=SYNC_FAILED,
        message=message,
        observed_generation=old.observed_generation,
    )
    return msgspec.structs.replace(
        old, disruptions_allowed=0, conditions=set_condition(old.conditions, failed, rfc3339(now))
    )
