"""Repeat DELETEs follow Kubernetes' `rest.BeforeDelete` and the generic store (issue 9 items 1, 2).

KUB-12 and GC-7: a shorter grace shortens a terminating object's deadline, finalizers or not; an
update that removes the last finalizer of an object whose grace is 0 removes it; a negative grace
means 1 s. GC-5/GC-6: a DELETE without a policy keeps an existing `orphan` or `foregroundDeletion`
finalizer (it overrides the kind's default).
"""

from __future__ import annotations

import pytest

from kubelite.api.apps import Deployment
from kubelite.api.batch import Job
from kubelite.api.core import ConfigMap, Pod
from kubelite.api.errors import NotFound
from kubelite.api.meta import ObjectMeta, Status
from kubelite.apiserver import APIServer
from kubelite.clock import FakeClock, rfc3339

from .conftest import deployment, pod
from .test_delete import _job

pytestmark = pytest.mark.anyio
MERGE = "application/merge-patch+json"
JOB_TRACKING = "batch.kubernetes.io/job-tracking"


async def _tracked_pod(server: APIServer, grace: int = 30) -> Pod:
    sent = pod(node="node1")
    sent.metadata.finalizers = [JOB_TRACKING]
    sent.spec.termination_grace_period_seconds = grace
    created = await server.create(Pod, sent, "default")
    assert isinstance(created, Pod)
    return created


async def test_kub12_job_pod_deleted_then_forced_then_finalized_is_gone(
    server: APIServer, clock: FakeClock
) -> None:
    """The Job controller's pod: DELETE (30 s), DELETE with grace 0, finalizer removed → gone."""
    start = clock.now()
    await _tracked_pod(server)
    first = await server.delete(Pod, "web", "default")
    assert isinstance(first, Pod)
    assert first.metadata.deletion_timestamp == rfc3339(start + 30)
    clock.advance(4)
    forced = await server.delete(Pod, "web", "default", {"gracePeriodSeconds": 0})
    assert isinstance(forced, Pod), "the finalizer still holds it"
    assert forced.metadata.deletion_grace_period_seconds == 0
    assert forced.metadata.deletion_timestamp == rfc3339(clock.now()), "moved back, not before now"
    assert forced.metadata.finalizers == [JOB_TRACKING]
    stored = await server.get(Pod, "web", "default")
    assert stored.metadata.deletion_grace_period_seconds == 0
    await server.patch(Pod, "web", {"metadata": {"finalizers": None}}, MERGE, "default")
    with pytest.raises(NotFound):
        await server.get(Pod, "web", "default")


async def test_kub12_removing_the_finalizer_while_grace_runs_keeps_the_pod(server: APIServer) -> None:
    """Only an object whose grace is over (deletionGracePeriodSeconds 0) goes when finalized."""
    await _tracked_pod(server)
    await server.delete(Pod, "web", "default")
    finalized = await server.patch(Pod, "web", {"metadata": {"finalizers": None}}, MERGE, "default")
    assert finalized.metadata.finalizers == []
    assert finalized.metadata.deletion_grace_period_seconds == 30
    await server.get(Pod, "web", "default")
    gone = await server.delete(Pod, "web", "default", {"gracePeriodSeconds": 0})
    assert isinstance(gone, Status) and gone.status == "Success"


async def test_kub12_shorter_grace_moves_the_deadline_back_by_the_difference(
    server: APIServer, clock: FakeClock
) -> None:
    """Kubernetes moves deletionTimestamp back by (old grace − new grace), from the first DELETE."""
    start = clock.now()
    await _tracked_pod(server, grace=60)
    await server.delete(Pod, "web", "default")
    clock.advance(10)
    shorter = await server.delete(Pod, "web", "default", {"gracePeriodSeconds": 20})
    assert isinstance(shorter, Pod)
    assert shorter.metadata.deletion_timestamp == rfc3339(start + 20)
    assert shorter.metadata.deletion_grace_period_seconds == 20
    same = await server.delete(Pod, "web", "default", {"gracePeriodSeconds": 20})
    assert isinstance(same, Pod) and same.metadata.deletion_timestamp == rfc3339(start + 20)


async def test_kub12_shortening_past_now_keeps_a_graceful_delete_graceful(
    server: APIServer, clock: FakeClock
) -> None:
    """A shorter grace that would put the deadline in the past: deadline now, grace 1 s (not 0)."""
    await _tracked_pod(server, grace=60)
    await server.delete(Pod, "web", "default")
    clock.advance(25)
    late = await server.delete(Pod, "web", "default", {"gracePeriodSeconds": 10})
    assert isinstance(late, Pod)
    assert late.metadata.deletion_timestamp == rfc3339(clock.now())
    assert late.metadata.deletion_grace_period_seconds == 1


async def test_kub12_negative_grace_on_a_pod_means_one_second(server: APIServer, clock: FakeClock) -> None:
    created = await server.create(Pod, pod(node="node1"), "default")
    kept = await server.delete(Pod, "web", "default", {"gracePeriodSeconds": -5})
    assert isinstance(kept, Pod), "a negative grace is not an immediate delete"
    assert kept.metadata.deletion_grace_period_seconds == 1
    assert kept.metadata.deletion_timestamp == rfc3339(clock.now() + 1)
    assert kept.metadata.generation == created.metadata.generation + 1


async def test_gc7_repeat_delete_never_moves_a_finalized_deadline_later(
    server: APIServer, clock: FakeClock
) -> None:
    cm = ConfigMap(metadata=ObjectMeta(name="cfg", finalizers=["example.com/hold"]))
    await server.create(ConfigMap, cm, "default")
    first = await server.delete(ConfigMap, "cfg", "default")
    assert isinstance(first, ConfigMap)
    clock.advance(60)
    again = await server.delete(ConfigMap, "cfg", "default")
    assert isinstance(again, ConfigMap)
    assert again.metadata.deletion_timestamp == first.metadata.deletion_timestamp
    assert again.metadata.resource_version == first.metadata.resource_version, "nothing written"


@pytest.mark.parametrize(
    ("policy", "finalizer"),
    [("Orphan", "orphan"), ("Foreground", "foregroundDeletion")],
    ids=["gc6-orphan", "gc5-foreground"],
)
async def test_gc_repeat_delete_without_policy_keeps_the_gc_finalizer(
    server: APIServer, policy: str, finalizer: str
) -> None:
    await server.create(Deployment, deployment(), "default")
    first = await server.delete(Deployment, "web", "default", {"propagationPolicy": policy})
    assert isinstance(first, Deployment)
    again = await server.delete(Deployment, "web", "default")
    assert isinstance(again, Deployment), "the finalizer overrides the Background default"
    assert again.metadata.finalizers == [finalizer]
    assert again.metadata.resource_version == first.metadata.resource_version
    stored = await server.get(Deployment, "web", "default")
    assert stored.metadata.finalizers == [finalizer]


async def test_gc6_existing_foreground_finalizer_overrides_the_orphan_default_of_jobs(
    server: APIServer,
) -> None:
    await server.create(Job, _job(), "default")
    await server.delete(Job, "pi", "default", {"propagationPolicy": "Foreground"})
    again = await server.delete(Job, "pi", "default")
    assert isinstance(again, Job) and again.metadata.finalizers == ["foregroundDeletion"]


async def test_gc_explicit_policy_on_a_repeat_delete_still_wins(server: APIServer) -> None:
    await server.create(Deployment, deployment(), "default")
    await server.delete(Deployment, "web", "default", {"propagationPolicy": "Orphan"})
    switched = await server.delete(Deployment, "web", "default", {"propagationPolicy": "Foreground"})
    assert isinstance(switched, Deployment) and switched.metadata.finalizers == ["foregroundDeletion"]
    gone = await server.delete(Deployment, "web", "default", {"propagationPolicy": "Background"})
    assert isinstance(gone, Status)
    with pytest.raises(NotFound):
        await server.get(Deployment, "web", "default")


async def test_kub12_terminating_pod_ignores_gc_policy_changes(server: APIServer) -> None:
    """While a pod's grace period runs, a DELETE that does not shorten it changes nothing at all."""
    await server.create(Pod, pod(node="node1"), "default")
    first = await server.delete(Pod, "web", "default")
    assert isinstance(first, Pod)
    again = await server.delete(Pod, "web", "default", {"propagationPolicy": "Orphan"})
    assert isinstance(again, Pod)
    assert again.metadata.finalizers == []
    assert again.metadata.resource_version == first.metadata.resource_version
