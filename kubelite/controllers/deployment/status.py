"""A Deployment's status counts and its Available condition (DEP-29..31, DEP-34), pure.

- `compute_status(previous, new, sets, f, generation, now)`: the counts of DEP-29 over the owned
  RSs (`replicas`, `readyReplicas`, `availableReplicas` summed from their status, `updatedReplicas`
  from the new RS, `unavailableReplicas = max(0, Σ spec.replicas − available)`), the previous
  conditions and `collisionCount` kept, and the Available condition of DEP-30 set.
- `set_condition(conditions, condition)`: DEP-34: the same status and reason is a no-op; an
  unchanged status keeps `lastTransitionTime`; the condition otherwise replaces the old one.
- `is_complete(replicas, generation, status)`: DEP-31.
- `replica_failure(new, olds)`: the first RS `ReplicaFailure` condition (the new RS's first, then the
  old RSs'), as the Deployment condition that mirrors it (DEP-34); None when no RS has one.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from kubelite.api.apps import DeploymentCondition, DeploymentStatus, ReplicaSet
from kubelite.clock import rfc3339
from kubelite.controllers.deployment.fenceposts import Fenceposts
from kubelite.controllers.deployment.model import RSView

AVAILABLE = "Available"
PROGRESSING = "Progressing"
REPLICA_FAILURE = "ReplicaFailure"


def condition(type_: str, status: str, reason: str, message: str, now: float) -> DeploymentCondition:
    stamp = rfc3339(now)
    return DeploymentCondition(
        type=type_,
        status=status,
        reason=reason,
        message=message,
        last_update_time=stamp,
        last_transition_time=stamp,
    )


def get_condition(conditions: Sequence[DeploymentCondition], type_: str) -> DeploymentCondition | None:
    return next((c for c in conditions if c.type == type_), None)


def set_condition(
    conditions: Sequence[DeploymentCondition], new: DeploymentCondition
) -> list[DeploymentCondition]:
    current = get_condition(conditions, new.type)
    if current is not None and current.status == new.status and current.reason == new.reason:
        return list(conditions)
    if current is not None and current.status == new.status:
        new = msgspec.structs.replace(new, last_transition_time=current.last_transition_time)
    return [*remove_condition(conditions, new.type), new]


def remove_condition(conditions: Sequence[DeploymentCondition], type_: str) -> list[DeploymentCondition]:
    return [c for c in conditions if c.type != type_]


def available_condition(available: int, f: Fenceposts, now: float) -> DeploymentCondition:
    if available >= f.min_available:
        return condition(
            AVAILABLE, "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", now
        )
    return condition(
        AVAILABLE,
        "False",
        "MinimumReplicasUnavailable",
        "Deployment does not have minimum availability.",
        now,
    )


def compute_status(
    previous: DeploymentStatus,
    new: RSView | None,
    sets: Sequence[RSView],
    f: Fenceposts,
    generation: int,
    now: float,
) -> DeploymentStatus:
    available = sum(rs.available for rs in sets)
    status = DeploymentStatus(
        observed_generation=generation,
        replicas=sum(rs.status_replicas for rs in sets),
        updated_replicas=new.status_replicas if new is not None else 0,
        ready_replicas=sum(rs.ready for rs in sets),
        available_replicas=available,
        unavailable_replicas=max(0, sum(rs.replicas for rs in sets) - available),
        terminating_replicas=previous.terminating_replicas,
        conditions=list(previous.conditions),
        collision_count=previous.collision_count,
    )
    status.conditions = set_condition(status.conditions, available_condition(available, f, now))
    return status


def is_complete(replicas: int, generation: int, status: DeploymentStatus) -> bool:
    return (
        status.updated_replicas == replicas
        and status.replicas == replicas
        and status.available_replicas == replicas
        and status.observed_generation >= generation
    )


def replica_failure(new: ReplicaSet | None, olds: Sequence[ReplicaSet]) -> DeploymentCondition | None:
    for rs in [*([new] if new is not None else []), *olds]:
        for c in rs.status.conditions:
            if c.type == REPLICA_FAILURE:
                return DeploymentCondition(
                    type=c.type, status=c.status, reason=c.reason, message=c.message,
                    last_update_time=c.last_transition_time, last_transition_time=c.last_transition_time,
                )  # fmt: skip
    return None
