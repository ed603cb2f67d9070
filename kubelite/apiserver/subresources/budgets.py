"""The PodDisruptionBudget side of an eviction (NODE-15; upstream `EvictionREST.checkAndDecrement`).

- `covering_budgets(core, pod)`: the pod's namespace's PDBs whose selector matches it (an absent
  selector matches nothing, `{}` everything).
- `spend_budget(core, budget, pod_name, dry_run)`: verify and decrement, as one optimistic write
  of the PDB's status, re-reading the PDB and trying again on a conflict (at most
  `EVICTION_RETRIES` attempts, then the last 409). Refusals:
  - `status.observedGeneration < generation` → 429 TooManyRequests, `retryAfterSeconds: 10`, cause
    `DisruptionBudget` "The disruption budget NAME is still being processed by the server.";
  - `disruptionsAllowed < 0` → 403 `poddisruptionbudget.policy "NAME" is forbidden: pdb
    disruptions allowed is negative`; more than `MAX_DISRUPTED_PODS` entries in `disruptedPods` →
    403 "… DisruptedPods map too big - too many evictions not confirmed by PDB controller";
  - `disruptionsAllowed == 0` → 429 with cause "The disruption budget NAME needs D healthy pods and
    has C currently".
  Otherwise `disruptionsAllowed` drops by one (the `DisruptionAllowed` condition turns False
  `InsufficientPods` when it reaches 0) and `disruptedPods[pod]` = now; a dry run writes nothing.
- `multiple_budgets()`: the 500 for a pod covered by two or more PDBs (a Status without reason,
  as upstream returns it).

Retries do not wait: a conflict here means another writer has already been accepted, so the
re-read sees its write (upstream sleeps about 500 ms between attempts).
"""

from __future__ import annotations

import msgspec

from kubelite.api.core import Pod
from kubelite.api.errors import Conflict, Forbidden, InternalError, TooManyRequests
from kubelite.api.meta import Status, StatusCause, StatusDetails
from kubelite.api.policy import PodDisruptionBudget
from kubelite.api.policy.budget import DISRUPTION_BUDGET_CAUSE, covers, set_disruption_allowed
from kubelite.apiserver import update as updating
from kubelite.apiserver.context import RequestContext
from kubelite.apiserver.core import ServerCore
from kubelite.clock import rfc3339

EVICTION_RETRIES = 20
"""Attempts at the PDB status write (upstream `EvictionsRetry.Steps`)."""
MAX_DISRUPTED_PODS = 2000
"""Most `disruptedPods` entries a PDB may hold before evictions are refused (upstream)."""
TOO_MANY_DISRUPTED = "DisruptedPods map too big - too many evictions not confirmed by PDB controller"
VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget."
MULTIPLE = "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."


def covering_budgets(core: ServerCore, pod: Pod) -> list[PodDisruptionBudget]:
    info = core.registry.by_type(PodDisruptionBudget)
    records, _ = core.storage.list(info.qualified_plural, pod.metadata.namespace)
    budgets = [core.load(info, record) for record in records]
    return [b for b in budgets if isinstance(b, PodDisruptionBudget) and covers(b, pod)]


def multiple_budgets() -> InternalError:
    err = InternalError(MULTIPLE)
    err.status = Status(status="Failure", message=MULTIPLE, code=500)
    return err


def too_many_requests(cause: str, retry_after: int) -> TooManyRequests:
    details = StatusDetails(
        causes=[StatusCause(reason=DISRUPTION_BUDGET_CAUSE, message=cause)], retry_after_seconds=retry_after
    )
    return TooManyRequests(VIOLATION, details=details)


def still_processing(name: str) -> TooManyRequests:
    return too_many_requests(f"The disruption budget {name} is still being processed by the server.", 10)


def _forbidden(name: str, why: str) -> Forbidden:
    details = StatusDetails(name=name, group="policy", kind="poddisruptionbudget")
    return Forbidden(f'poddisruptionbudget.policy "{name}" is forbidden: {why}', details=details)


def check_budget(budget: PodDisruptionBudget) -> None:
    """Raise the refusal `budget`'s status calls for; return if it allows one more disruption."""
    status, name = budget.status, budget.metadata.name
    if status.observed_generation < budget.metadata.generation:
        raise still_processing(name)
    if status.disruptions_allowed < 0:
        raise _forbidden(name, "pdb disruptions allowed is negative")
    if len(status.disrupted_pods) > MAX_DISRUPTED_PODS:
        raise _forbidden(name, TOO_MANY_DISRUPTED)
    if status.disruptions_allowed == 0:
        needs = f"needs {status.desired_healthy} healthy pods and has {status.current_healthy} currently"
        raise too_many_requests(f"The disruption budget {name} {needs}", 0)


def decremented(budget: PodDisruptionBudget, pod_name: str, now: float) -> PodDisruptionBudget:
    """`budget` with one disruption spent on `pod_name` (a copy; the argument is not changed)."""
    status = budget.status
    status = msgspec.structs.replace(
        status,
        disruptions_allowed=status.disruptions_allowed - 1,
        disrupted_pods={**status.disrupted_pods, pod_name: rfc3339(now)},
    )
    if status.disruptions_allowed == 0:
        status = msgspec.structs.replace(status, conditions=set_disruption_allowed(status, rfc3339(now)))
    return msgspec.structs.replace(budget, status=status)


async def spend_budget(core: ServerCore, budget: PodDisruptionBudget, pod_name: str, dry_run: bool) -> None:
    info = core.registry.by_type(PodDisruptionBudget)
    last: Conflict | None = None
    for attempt in range(EVICTION_RETRIES):
        if attempt:
            _, fresh = core.latest(info, budget.metadata.namespace, budget.metadata.name)
            assert isinstance(fresh, PodDisruptionBudget)
            budget = fresh
        check_budget(budget)
        if dry_run:
            return
        spent = decremented(budget, pod_name, core.clock.now())
        try:
            meta = budget.metadata
            await updating.update(core, info, spent, meta.namespace, meta.name, RequestContext(), "status")
        except Conflict as err:
            last = err
            continue
        return
    assert last is not None
    raise last
