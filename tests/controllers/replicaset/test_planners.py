"""Pure planners of the ReplicaSet controller, by table: claims (RS-2), active pods (RS-3),
scale and slow-start batches (RS-4, RS-5), status and ReplicaFailure (RS-8), RC selectors (RS-11)."""

from __future__ import annotations

import pytest

from kubelite.api.core import Pod, PodCondition, PodStatus, ReplicationController, ReplicationControllerSpec
from kubelite.api.labels import Selector
from kubelite.api.meta import ObjectMeta, OwnerReference
from kubelite.clock import rfc3339
from kubelite.controllers.replicaset import REPLICATION_CONTROLLER
from kubelite.controllers.replicaset.pods import is_active
from kubelite.controllers.replicaset.scale import ScalePlan, batch_sizes, plan_scale
from kubelite.controllers.replicaset.status import (
    Condition,
    ManageFailure,
    compute_status,
    resync_after,
    status_patch,
)
from kubelite.controllers.runtime.claims import plan_claims

NOW = 1_767_225_600.0
MATCH = Selector.from_set({"app": "web"})


def _pod(
    name: str = "p",
    *,
    labels: dict[str, str] | None = None,
    owner: str | None = None,
    deleting: bool = False,
    phase: str = "Running",
    ready_at: float | None = None,
) -> Pod:
    refs = [OwnerReference(api_version="apps/v1", kind="ReplicaSet", name="rs", uid=owner, controller=True)]
    conditions = []
    if ready_at is not None:
        conditions = [PodCondition(type="Ready", status="True", last_transition_time=rfc3339(ready_at))]
    meta = ObjectMeta(
        name=name,
        namespace="default",
        labels={"app": "web"} if labels is None else labels,
        owner_references=refs if owner else [],
        deletion_timestamp=rfc3339(NOW) if deleting else None,
    )
    return Pod(metadata=meta, status=PodStatus(phase=phase, conditions=conditions))


@pytest.mark.parametrize(
    ("pod", "active"),
    [
        (_pod(phase="Running"), True),
        (_pod(phase="Pending"), True),
        (_pod(phase="Unknown"), True),
        (_pod(phase="Succeeded"), False),
        (_pod(phase="Failed"), False),
        (_pod(deleting=True), False),
    ],
    ids=["running", "pending", "unknown", "succeeded", "failed", "terminating"],
)
def test_rs3_active_pods_are_not_terminal_and_not_terminating(pod: Pod, active: bool) -> None:
    assert is_active(pod) is active


@pytest.mark.parametrize(
    ("pod", "deleting", "outcome"),
    [
        (_pod(owner="mine"), False, "owned"),
        (_pod(owner="mine", labels={"app": "other"}), False, "release"),
        (_pod(owner="mine", labels={"app": "other"}), True, "ignored"),
        (_pod(owner="other"), False, "ignored"),
        (_pod(owner="other", labels={"app": "other"}), False, "ignored"),
        (_pod(), False, "adopt"),
        (_pod(), True, "ignored"),
        (_pod(deleting=True), False, "ignored"),
        (_pod(labels={"app": "other"}), False, "ignored"),
    ],
    ids=[
        "owned-matching-kept",
        "owned-not-matching-released",
        "no-release-while-owner-deleted",
        "other-controller-ignored",
        "other-controller-not-matching-ignored",
        "orphan-matching-adopted",
        "no-adoption-while-owner-deleted",
        "terminating-orphan-not-adopted",
        "orphan-not-matching-ignored",
    ],
)
def test_rs2_claims(pod: Pod, deleting: bool, outcome: str) -> None:
    claims = plan_claims("mine", MATCH, [pod], owner_deleting=deleting)
    found = {"owned": claims.owned, "release": claims.release, "adopt": claims.adopt}
    got = next((name for name, pods in found.items() if pods), "ignored")
    assert got == outcome
    assert sum(len(pods) for pods in found.values()) == (0 if outcome == "ignored" else 1)


@pytest.mark.parametrize(
    ("active", "replicas", "plan"),
    [
        (0, 3, ScalePlan(create=3)),
        (2, 3, ScalePlan(create=1)),
        (3, 3, ScalePlan()),
        (5, 3, ScalePlan(delete=2)),
        (0, 10_000, ScalePlan(create=500)),
        (1_000, 0, ScalePlan(delete=500)),
        (0, 500, ScalePlan(create=500)),
        (0, 501, ScalePlan(create=500)),
    ],
    ids=["create-3", "create-1", "steady", "delete-2", "rs4-burst-500", "rs5-burst-500", "500", "501"],
)
def test_rs4_rs5_at_most_500_creates_or_deletes_per_sync(active: int, replicas: int, plan: ScalePlan) -> None:
    assert plan_scale(active, replicas) == plan


@pytest.mark.parametrize(
    ("count", "batches"),
    [
        (0, []),
        (1, [1]),
        (2, [1, 1]),
        (3, [1, 2]),
        (7, [1, 2, 4]),
        (10, [1, 2, 4, 3]),
        (16, [1, 2, 4, 8, 1]),
        (500, [1, 2, 4, 8, 16, 32, 64, 128, 245]),
    ],
)
def test_rs4_slow_start_batches_double_and_end_with_the_remainder(count: int, batches: list[int]) -> None:
    assert batch_sizes(count) == batches
    assert sum(batches) == count


def test_rs8_status_counts_labels_ready_and_available_with_min_ready_seconds() -> None:
    pods = [
        _pod("old", ready_at=NOW - 30),  # ready 30 s: available with minReadySeconds 10
        _pod("exact", ready_at=NOW - 10),  # ready exactly 10 s: not yet (strictly after)
        _pod("new", ready_at=NOW - 1),
        _pod("unready"),
        _pod("partial", labels={"app": "web-other"}, ready_at=NOW - 100),
    ]
    status = compute_status(pods, template_labels={"app": "web"}, min_ready_seconds=10, generation=4, now=NOW)
    assert (status.replicas, status.fully_labeled_replicas, status.ready_replicas) == (5, 4, 4)
    assert (status.available_replicas, status.observed_generation, status.conditions) == (2, 4, ())
    instant = compute_status(pods, template_labels={"app": "web"}, min_ready_seconds=0, generation=4, now=NOW)
    assert instant.available_replicas == 4


@pytest.mark.parametrize(
    ("diff", "reason"), [(-2, "FailedCreate"), (3, "FailedDelete")], ids=["too-few", "too-many"]
)
def test_rs8_a_failed_sync_sets_replica_failure_and_a_clean_one_removes_it(diff: int, reason: str) -> None:
    failure = ManageFailure(diff, 'pods "web-x" is forbidden: quota')
    failed = compute_status(
        [], template_labels={}, min_ready_seconds=0, generation=1, now=NOW, failure=failure
    )
    expected = Condition("ReplicaFailure", "True", reason, 'pods "web-x" is forbidden: quota', rfc3339(NOW))
    assert failed.conditions == (expected,)
    again = compute_status(
        [],
        template_labels={},
        min_ready_seconds=0,
        generation=1,
        now=NOW + 60,
        previous=failed.conditions,
        failure=ManageFailure(diff, "another error"),
    )
    assert again.conditions == (expected,), "the first failure's condition is kept as it was"
    clean = compute_status(
        [], template_labels={}, min_ready_seconds=0, generation=1, now=NOW + 60, previous=failed.conditions
    )
    assert clean.conditions == ()
    patch = status_patch(clean)["status"]
    assert patch == {
        "replicas": 0,
        "fullyLabeledReplicas": 0,
        "readyReplicas": 0,
        "availableReplicas": 0,
        "observedGeneration": 1,
        "conditions": None,
    }


@pytest.mark.parametrize(
    ("ready_ats", "replicas", "min_ready", "delay"),
    [
        ([NOW - 2, NOW - 8], 2, 10, 2.001),
        ([NOW - 20, NOW - 30], 2, 10, None),
        ([NOW - 2], 2, 10, None),
        ([NOW - 2, NOW - 8], 2, 0, None),
    ],
    ids=["all-ready-not-all-available", "all-available", "not-all-ready", "no-min-ready"],
)
def test_rs8_resync_when_all_are_ready_but_not_all_available(
    ready_ats: list[float], replicas: int, min_ready: int, delay: float | None
) -> None:
    pods = [_pod(f"p{i}", ready_at=at) for i, at in enumerate(ready_ats)]
    got = resync_after(pods, replicas=replicas, min_ready_seconds=min_ready, now=NOW)
    assert got == (pytest.approx(delay) if delay is not None else None)
    assert got is None or got <= min_ready


@pytest.mark.parametrize(
    ("selector", "labels", "matches"),
    [
        ({"app": "web"}, {"app": "web", "tier": "x"}, True),
        ({"app": "web"}, {"app": "db"}, False),
        ({}, {}, False),
    ],
    ids=["equality-match", "equality-mismatch", "empty-selects-nothing"],
)
def test_rs11_rc_selector_is_an_equality_map(
    selector: dict[str, str], labels: dict[str, str], matches: bool
) -> None:
    rc = ReplicationController(spec=ReplicationControllerSpec(selector=selector))
    assert REPLICATION_CONTROLLER.selector(rc).matches(labels) is matches
