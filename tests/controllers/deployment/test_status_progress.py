"""Tables for status and conditions (DEP-29..34) on the pure planners."""

from __future__ import annotations

from kubelite.api.apps import (
    DeploymentCondition,
    DeploymentStatus,
    ReplicaSet,
    ReplicaSetCondition,
    ReplicaSetStatus,
)
from kubelite.api.meta import ObjectMeta
from kubelite.clock import rfc3339
from kubelite.controllers.deployment.fenceposts import fenceposts
from kubelite.controllers.deployment.model import RSView
from kubelite.controllers.deployment.progress import (
    Rollout,
    paused_conditions,
    requeue_after,
    rollout_conditions,
)
from kubelite.controllers.deployment.status import compute_status, is_complete, replica_failure, set_condition

T0 = 1_767_225_600.0


def _cond(type_: str, status: str, reason: str, at: float = T0, message: str = "") -> DeploymentCondition:
    return DeploymentCondition(
        type=type_, status=status, reason=reason, message=message,
        last_update_time=rfc3339(at), last_transition_time=rfc3339(at),
    )  # fmt: skip


def test_dep29_dep30_counts_and_the_available_condition() -> None:
    """DEP-29: replicas = Σ status.replicas, updated = new RS's status.replicas, ready/available summed,
    unavailable = max(0, Σ spec − available), collisionCount kept. DEP-30: Available True
    MinimumReplicasAvailable when available ≥ replicas − MaxUnavailable, else False."""
    new = RSView("n", replicas=2, status_replicas=1, ready=1, available=1)
    old = RSView("o", replicas=2, status_replicas=3, ready=3, available=2)
    previous = DeploymentStatus(collision_count=2)
    status = compute_status(previous, new, [new, old], fenceposts(4, 1, 1), 7, T0)
    assert (status.observed_generation, status.replicas, status.updated_replicas) == (7, 4, 1)
    assert (status.ready_replicas, status.available_replicas, status.unavailable_replicas) == (4, 3, 1)
    assert status.collision_count == 2
    assert status.conditions == [
        _cond("Available", "True", "MinimumReplicasAvailable", message="Deployment has minimum availability.")
    ]
    short = compute_status(previous, new, [new, old], fenceposts(4, 1, 0), 7, T0)
    assert short.conditions == [
        _cond(
            "Available",
            "False",
            "MinimumReplicasUnavailable",
            message="Deployment does not have minimum availability.",
        )
    ]


def test_dep31_complete_needs_every_count_and_the_observed_generation() -> None:
    done = DeploymentStatus(observed_generation=2, replicas=3, updated_replicas=3, available_replicas=3)
    assert is_complete(3, 2, done)
    assert not is_complete(3, 3, done)
    assert not is_complete(4, 2, done)


def test_dep34_same_status_and_reason_is_a_no_op_and_same_status_keeps_transition_time() -> None:
    first = _cond("Progressing", "True", "NewReplicaSetCreated", T0)
    assert set_condition([first], _cond("Progressing", "True", "NewReplicaSetCreated", T0 + 9)) == [first]
    moved = set_condition([first], _cond("Progressing", "True", "ReplicaSetUpdated", T0 + 9))
    assert moved[0].last_transition_time == rfc3339(T0) and moved[0].last_update_time == rfc3339(T0 + 9)
    flipped = set_condition([first], _cond("Progressing", "False", "ProgressDeadlineExceeded", T0 + 9))
    assert flipped[0].last_transition_time == rfc3339(T0 + 9)


def _rollout(now: float, deadline: int | None = 600) -> Rollout:
    return Rollout("web", "web-abc", 3, 1, deadline, now)


def test_dep32_progress_completion_and_deadline() -> None:
    """DEP-32: progress (e.g. available up) is True ReplicaSetUpdated refreshing lastUpdateTime only;
    completion True NewReplicaSetAvailable; no progress past lastUpdateTime + deadline is False
    ProgressDeadlineExceeded; later progress sets ReplicaSetUpdated again; no deadline: no
    Progressing; the re-check is due at lastUpdateTime + deadline + 1 s."""
    created = _cond("Progressing", "True", "NewReplicaSetCreated", T0, 'Created new replica set "web-abc"')
    before = DeploymentStatus(observed_generation=1, replicas=3, updated_replicas=1, conditions=[created])
    moving = DeploymentStatus(
        observed_generation=1, replicas=3, updated_replicas=1, available_replicas=1, conditions=[created]
    )
    [progressing] = rollout_conditions(before, moving, _rollout(T0 + 5), None)
    assert progressing == DeploymentCondition(
        type="Progressing", status="True", reason="ReplicaSetUpdated", message='ReplicaSet "web-abc" is progressing.',
        last_update_time=rfc3339(T0 + 5), last_transition_time=rfc3339(T0),
    )  # fmt: skip
    assert requeue_after(moving, _rollout(T0 + 5)) == 596.0
    stalled = DeploymentStatus(observed_generation=1, replicas=3, updated_replicas=1, conditions=[created])
    assert rollout_conditions(before, stalled, _rollout(T0 + 600), None) == [created]
    [timed_out] = rollout_conditions(before, stalled, _rollout(T0 + 601), None)
    assert (timed_out.status, timed_out.reason, timed_out.message) == (
        "False",
        "ProgressDeadlineExceeded",
        'ReplicaSet "web-abc" has timed out progressing.',
    )
    assert requeue_after(DeploymentStatus(conditions=[timed_out]), _rollout(T0 + 601)) is None
    recovered = DeploymentStatus(
        observed_generation=1, replicas=3, updated_replicas=3, available_replicas=3, conditions=[timed_out]
    )
    [done] = rollout_conditions(DeploymentStatus(conditions=[timed_out]), recovered, _rollout(T0 + 700), None)
    assert (done.status, done.reason, done.message) == (
        "True",
        "NewReplicaSetAvailable",
        'ReplicaSet "web-abc" has successfully progressed.',
    )
    assert rollout_conditions(before, moving, _rollout(T0, deadline=None), None) == []


def test_dep33_pause_and_resume_conditions_never_replace_a_timeout() -> None:
    """DEP-33: pause → Unknown DeploymentPaused "Deployment is paused"; resume → Unknown
    DeploymentResumed "Deployment is resumed"; neither overwrites ProgressDeadlineExceeded."""
    [paused] = paused_conditions([], paused=True, has_deadline=True, now=T0) or []
    assert (paused.status, paused.reason, paused.message) == (
        "Unknown",
        "DeploymentPaused",
        "Deployment is paused",
    )
    assert paused_conditions([paused], paused=True, has_deadline=True, now=T0) is None
    [resumed] = paused_conditions([paused], paused=False, has_deadline=True, now=T0 + 3) or []
    assert (resumed.status, resumed.reason, resumed.message) == (
        "Unknown",
        "DeploymentResumed",
        "Deployment is resumed",
    )
    assert resumed.last_update_time == rfc3339(T0 + 3)
    timeout = _cond("Progressing", "False", "ProgressDeadlineExceeded")
    assert paused_conditions([timeout], paused=True, has_deadline=True, now=T0) is None
    assert paused_conditions([], paused=True, has_deadline=False, now=T0) is None


def test_dep34_replica_failure_is_mirrored_and_removed() -> None:
    failure = _cond("ReplicaFailure", "True", "FailedCreate", message="quota")
    status = DeploymentStatus(conditions=[])
    assert rollout_conditions(status, status, _rollout(T0, None), failure) == [failure]
    assert rollout_conditions(status, DeploymentStatus(conditions=[failure]), _rollout(T0, None), None) == []


def _rs(name: str, *conditions: ReplicaSetCondition) -> ReplicaSet:
    return ReplicaSet(metadata=ObjectMeta(name=name), status=ReplicaSetStatus(conditions=list(conditions)))


def test_dep34_the_new_rs_replica_failure_is_mirrored_first() -> None:
    """DEP-34: an RS's ReplicaFailure becomes the Deployment's (type, status, reason, message, its
    transition time as both times), the new RS's before the old RSs'; none when no RS has one."""
    stamp = rfc3339(T0)
    quota = ReplicaSetCondition(
        type="ReplicaFailure",
        status="True",
        reason="FailedCreate",
        message="quota",
        last_transition_time=stamp,
    )
    old = ReplicaSetCondition(
        type="ReplicaFailure", status="True", reason="FailedDelete", message="old", last_transition_time=stamp
    )
    assert replica_failure(_rs("n", quota), [_rs("o", old)]) == _cond(
        "ReplicaFailure", "True", "FailedCreate", message="quota"
    )
    assert replica_failure(_rs("n"), [_rs("o", old)]) == _cond(
        "ReplicaFailure", "True", "FailedDelete", message="old"
    )
    assert replica_failure(None, [_rs("o")]) is None
