"""The status a ReplicaSet or ReplicationController should have after a sync (RS-8), pure.

`compute_status(pods, ...)` over the owner's claimed active pods:
- `replicas = |pods|`; `fullyLabeledReplicas`: pods whose labels include all template labels;
  `readyReplicas`: Ready=True; `availableReplicas`: ready for longer than `minReadySeconds`
  (`pods.is_available`); `observedGeneration = generation`.
- `failure` (a create or delete error of this sync) sets `ReplicaFailure=True` with reason
  `FailedCreate` (the sync had too few pods) or `FailedDelete` (too many) and the error as message,
  unless the condition is already there (upstream keeps the first); a clean sync removes it.
  Other condition types are kept as they are.

`resync_after(...)`: with `minReadySeconds > 0` and every replica ready but not all available, the
seconds until the next ready pod becomes available (at most `minReadySeconds`; upstream waits a
flat `minReadySeconds`), so the
status catches up without an outside event; otherwise None.
`status_patch(status)` is the merge patch writing the whole status (zero counts included).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kubelite.api.core import Pod
from kubelite.clock import rfc3339
from kubelite.controllers.replicaset.pods import is_available, is_ready, ready_since

REPLICA_FAILURE = "ReplicaFailure"
AVAILABILITY_MARGIN = 0.001
"""Seconds past `Ready + minReadySeconds` to resync at: availability needs a strictly later time."""


@dataclass(frozen=True, slots=True)
class Condition:
    type: str
    status: str
    reason: str = ""
    message: str = ""
    last_transition_time: str | None = None


@dataclass(frozen=True, slots=True)
class ReplicaStatus:
    replicas: int = 0
    fully_labeled_replicas: int = 0
    ready_replicas: int = 0
    available_replicas: int = 0
    observed_generation: int = 0
    conditions: tuple[Condition, ...] = ()


@dataclass(frozen=True, slots=True)
class ManageFailure:
    """The first create or delete error of a sync; `diff` is `active − replicas` of that sync."""

    diff: int
    message: str


def compute_status(
    pods: Sequence[Pod],
    *,
    template_labels: Mapping[str, str],
    min_ready_seconds: int,
    generation: int,
    now: float,
    previous: tuple[Condition, ...] = (),
    failure: ManageFailure | None = None,
) -> ReplicaStatus:
    labeled = sum(1 for p in pods if template_labels.items() <= p.metadata.labels.items())
    return ReplicaStatus(
        replicas=len(pods),
        fully_labeled_replicas=labeled,
        ready_replicas=sum(1 for pod in pods if is_ready(pod)),
        available_replicas=sum(1 for pod in pods if is_available(pod, min_ready_seconds, now)),
        observed_generation=generation,
        conditions=_conditions(previous, failure, now),
    )


def _conditions(
    previous: tuple[Condition, ...], failure: ManageFailure | None, now: float
) -> tuple[Condition, ...]:
    others = tuple(c for c in previous if c.type != REPLICA_FAILURE)
    if failure is None:
        return others
    current = next((c for c in previous if c.type == REPLICA_FAILURE), None)
    if current is None:
        reason = "FailedCreate" if failure.diff < 0 else "FailedDelete"
        current = Condition(REPLICA_FAILURE, "True", reason, failure.message, rfc3339(now))
    return (*others, current)


def resync_after(pods: Sequence[Pod], *, replicas: int, min_ready_seconds: int, now: float) -> float | None:
    ready = [pod for pod in pods if is_ready(pod)]
    if min_ready_seconds <= 0 or replicas == 0 or len(ready) != replicas:
        return None
    pending = [ready_since(pod) for pod in ready if not is_available(pod, min_ready_seconds, now)]
    if not pending:
        return None
    if any(since is None for since in pending):
        return float(min_ready_seconds)
    soonest = min(since for since in pending if since is not None)
    return min(max(0.0, soonest + min_ready_seconds - now) + AVAILABILITY_MARGIN, float(min_ready_seconds))


def status_patch(status: ReplicaStatus) -> dict[str, Any]:
    conditions = [_condition_json(c) for c in status.conditions]
    return {
        "status": {
            "replicas": status.replicas,
            "fullyLabeledReplicas": status.fully_labeled_replicas,
            "readyReplicas": status.ready_replicas,
            "availableReplicas": status.available_replicas,
            "observedGeneration": status.observed_generation,
            "conditions": conditions or None,
        }
    }


def _condition_json(condition: Condition) -> dict[str, Any]:
    body: dict[str, Any] = {"type": condition.type, "status": condition.status}
    if condition.last_transition_time:
        body["lastTransitionTime"] = condition.last_transition_time
    if condition.reason:
        body["reason"] = condition.reason
    if condition.message:
        body["message"] = condition.message
    return body
