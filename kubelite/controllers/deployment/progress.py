"""The Progressing condition and the progress deadline (DEP-32, DEP-33), pure.

- `paused_conditions(conditions, paused, has_deadline, now)`: DEP-33: pausing sets Progressing
  Unknown `DeploymentPaused`, resuming Unknown `DeploymentResumed` (so the deadline counts from the
  resume); neither replaces `ProgressDeadlineExceeded`. None when nothing changes.
- `rollout_conditions(previous, status, ...)`: DEP-32 on a freshly computed status: without a
  deadline no Progressing condition; a completed rollout is True `NewReplicaSetAvailable` (and is
  not re-evaluated while every replica is updated); progress versus the previous status (updated
  up, old down, ready up, available up) is True `ReplicaSetUpdated`, refreshing `lastUpdateTime`
  and keeping `lastTransitionTime` of a True condition; no progress past `lastUpdateTime + deadline`
  is False `ProgressDeadlineExceeded`. An RS's ReplicaFailure is mirrored (DEP-34).
- `requeue_after(status, ...)`: seconds until the deadline check is due (deadline + 1 s after the
  last update), None when no check is pending.
"""

from __future__ import annotations

from dataclasses import dataclass

from kubelite.api.apps import DeploymentCondition, DeploymentStatus
from kubelite.clock import parse_rfc3339
from kubelite.controllers.deployment.status import (
    PROGRESSING,
    REPLICA_FAILURE,
    condition,
    get_condition,
    is_complete,
    remove_condition,
    set_condition,
)

NEW_RS_AVAILABLE = "NewReplicaSetAvailable"
RS_UPDATED = "ReplicaSetUpdated"
TIMED_OUT = "ProgressDeadlineExceeded"
PAUSED = "DeploymentPaused"
RESUMED = "DeploymentResumed"
NEW_RS_CREATED = "NewReplicaSetCreated"
FOUND_NEW_RS = "FoundNewReplicaSet"
RS_CREATE_ERROR = "ReplicaSetCreateError"


def paused_conditions(
    conditions: list[DeploymentCondition], *, paused: bool, has_deadline: bool, now: float
) -> list[DeploymentCondition] | None:
    current = get_condition(conditions, PROGRESSING)
    if not has_deadline or (current is not None and current.reason == TIMED_OUT):
        return None
    paused_now = current is not None and current.reason == PAUSED
    if paused and not paused_now:
        return set_condition(
            conditions, condition(PROGRESSING, "Unknown", PAUSED, "Deployment is paused", now)
        )
    if not paused and paused_now:
        return set_condition(
            conditions, condition(PROGRESSING, "Unknown", RESUMED, "Deployment is resumed", now)
        )
    return None


def made_progress(old: DeploymentStatus, new: DeploymentStatus) -> bool:
    return (
        new.updated_replicas > old.updated_replicas
        or new.replicas - new.updated_replicas < old.replicas - old.updated_replicas
        or new.ready_replicas > old.ready_replicas
        or new.available_replicas > old.available_replicas
    )


def timed_out(conditions: list[DeploymentCondition], deadline: int | None, now: float) -> bool:
    current = get_condition(conditions, PROGRESSING)
    if deadline is None or current is None or current.reason == NEW_RS_AVAILABLE:
        return False
    if current.reason == TIMED_OUT:
        return True
    return parse_rfc3339(current.last_update_time or "") + deadline < now


@dataclass(frozen=True, slots=True)
class Rollout:
    name: str
    """The Deployment's name."""
    new_rs: str | None
    replicas: int
    generation: int
    deadline: int | None
    now: float


def _subject(r: Rollout) -> str:
    return f'ReplicaSet "{r.new_rs}"' if r.new_rs is not None else f'Deployment "{r.name}"'


def _progress(previous: DeploymentStatus, status: DeploymentStatus, r: Rollout) -> DeploymentCondition | None:
    if is_complete(r.replicas, r.generation, status):
        return condition(
            PROGRESSING, "True", NEW_RS_AVAILABLE, f"{_subject(r)} has successfully progressed.", r.now
        )
    if made_progress(previous, status):
        return condition(PROGRESSING, "True", RS_UPDATED, f"{_subject(r)} is progressing.", r.now)
    if timed_out(status.conditions, r.deadline, r.now):
        return condition(PROGRESSING, "False", TIMED_OUT, f"{_subject(r)} has timed out progressing.", r.now)
    return None


def rollout_conditions(
    previous: DeploymentStatus, status: DeploymentStatus, r: Rollout, failure: DeploymentCondition | None
) -> list[DeploymentCondition]:
    conditions = list(status.conditions)
    current = get_condition(conditions, PROGRESSING)
    if r.deadline is None:
        conditions = remove_condition(conditions, PROGRESSING)
    complete = (
        status.replicas == status.updated_replicas
        and current is not None
        and current.reason == NEW_RS_AVAILABLE
    )
    if r.deadline is not None and not complete:
        conditions = _apply_progress(conditions, current, _progress(previous, status, r))
    if failure is not None:
        return set_condition(conditions, failure)
    return remove_condition(conditions, REPLICA_FAILURE)


def _apply_progress(
    conditions: list[DeploymentCondition],
    current: DeploymentCondition | None,
    new: DeploymentCondition | None,
) -> list[DeploymentCondition]:
    if new is None:
        return conditions
    if new.reason != RS_UPDATED:
        return set_condition(conditions, new)
    if current is not None and current.status == "True":
        new = DeploymentCondition(
            type=new.type, status=new.status, reason=new.reason, message=new.message,
            last_update_time=new.last_update_time, last_transition_time=current.last_transition_time,
        )  # fmt: skip
    return [*remove_condition(conditions, PROGRESSING), new]


def requeue_after(status: DeploymentStatus, r: Rollout) -> float | None:
    current = get_condition(status.conditions, PROGRESSING)
    if r.deadline is None or current is None or current.reason in (TIMED_OUT, NEW_RS_AVAILABLE):
        return None
    if is_complete(r.replicas, r.generation, status):
        return None
    after = parse_rfc3339(current.last_update_time or "") + r.deadline - r.now
    return max(after, 0.0) + 1.0
