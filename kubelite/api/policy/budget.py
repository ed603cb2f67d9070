"""Rules about a PodDisruptionBudget shared by the eviction subresource and the disruption
controller (upstream's `component-helpers/apps/poddisruptionbudget`). Pure functions.

- `budget_selector(budget)`: the pods it covers (policy/v1: an absent selector covers none, an
  empty one `{}` every pod of the namespace; an unparsable one none).
- `covers(budget, pod)`: same namespace and the selector matches the pod's labels.
- `is_pod_ready(pod)`: the pod's `Ready` condition is True (upstream's `IsPodReady`, the health
  test of NODE-15 and NODE-16).
- `set_disruption_allowed(status, now)` (`now` an RFC 3339 time): the status's conditions with
  `DisruptionAllowed` True `SufficientPods` when `disruptionsAllowed > 0`, else False `InsufficientPods`, its
  observedGeneration the status's; `lastTransitionTime` moves only when the status flips
  (NODE-16). Returns a new list.
- `conditions_up_to_date(budget)`: that condition is present and agrees with the status and the
  generation (a status write that changes nothing else is still needed otherwise).
"""

from __future__ import annotations

from kubelite.api.core import Pod
from kubelite.api.labels import Selector, from_label_selector
from kubelite.api.meta import Condition
from kubelite.api.policy.poddisruptionbudget import PodDisruptionBudget, PodDisruptionBudgetStatus

DISRUPTION_ALLOWED = "DisruptionAllowed"
SUFFICIENT_PODS = "SufficientPods"
INSUFFICIENT_PODS = "InsufficientPods"
SYNC_FAILED = "SyncFailed"
DISRUPTION_BUDGET_CAUSE = "DisruptionBudget"
"""`details.causes[].type` of a 429 refusal (policy/v1 `DisruptionBudgetCause`)."""


def budget_selector(budget: PodDisruptionBudget) -> Selector:
    try:
        return from_label_selector(budget.spec.selector)
    except ValueError:
        return Selector.nothing()


def covers(budget: PodDisruptionBudget, pod: Pod) -> bool:
    if budget.metadata.namespace != pod.metadata.namespace:
        return False
    return budget_selector(budget).matches(pod.metadata.labels)


def is_pod_ready(pod: Pod) -> bool:
    return any(c.type == "Ready" and c.status == "True" for c in pod.status.conditions)


def set_disruption_allowed(status: PodDisruptionBudgetStatus, now: str) -> list[Condition]:
    allowed = status.disruptions_allowed > 0
    wanted = Condition(
        type=DISRUPTION_ALLOWED,
        status="True" if allowed else "False",
        reason=SUFFICIENT_PODS if allowed else INSUFFICIENT_PODS,
        observed_generation=status.observed_generation,
    )
    return set_condition(status.conditions, wanted, now)


def set_condition(conditions: list[Condition], wanted: Condition, now: str) -> list[Condition]:
    """meta/v1 `SetStatusCondition`: replace the condition of `wanted.type`, keeping its
    `lastTransitionTime` unless the status changed."""
    old = next((c for c in conditions if c.type == wanted.type), None)
    since = old.last_transition_time if old is not None and old.status == wanted.status else None
    placed = Condition(
        type=wanted.type,
        status=wanted.status,
        observed_generation=wanted.observed_generation,
        last_transition_time=since or wanted.last_transition_time or now,
        reason=wanted.reason,
        message=wanted.message,
    )
    if old is None:
        return [*conditions, placed]
    return [placed if c.type == wanted.type else c for c in conditions]


def conditions_up_to_date(budget: PodDisruptionBudget) -> bool:
    status = budget.status
    cond = next((c for c in status.conditions if c.type == DISRUPTION_ALLOWED), None)
    if cond is None or status.observed_generation != budget.metadata.generation:
        return False
    if cond.observed_generation != status.observed_generation:
        return False
    if status.disruptions_allowed > 0:
        return cond.status == "True" and cond.reason == SUFFICIENT_PODS
    return cond.status == "False" and cond.reason == INSUFFICIENT_PODS
