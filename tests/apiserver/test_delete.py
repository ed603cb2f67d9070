"""DELETE semantics: KUB-12 graceful pods, GC-4..GC-8 propagation and finalizers, API-10 preconditions."""

from __future__ import annotations

import pytest

from kubelite.api.apps import Deployment
from kubelite.api.batch import Job, JobSpec
from kubelite.api.core import Container, Namespace, Pod, PodSpec, PodStatus, PodTemplateSpec
from kubelite.api.errors import Conflict, Forbidden, Invalid, NotFound
from kubelite.api.meta import DeleteOptions, ObjectMeta, Preconditions, Status
from kubelite.apiserver import APIServer
from kubelite.clock import FakeClock, rfc3339

from .conftest import deployment, pod

pytestmark = pytest.mark.anyio


async def _running(server: APIServer, grace: int | None = None) -> Pod:
    sent = pod(node="node1")
    sent.spec.termination_grace_period_seconds = grace
    created = await server.create(Pod, sent, "default")
    assert isinstance(created, Pod)
    return created


async def test_kub12_scheduled_pod_gets_a_grace_period(server: APIServer, clock: FakeClock) -> None:
    await _running(server)
    kept = await server.delete(Pod, "web", "default")
    assert isinstance(kept, Pod)
    assert kept.metadata.deletion_timestamp == rfc3339(clock.now() + 30)
    assert kept.metadata.deletion_grace_period_seconds == 30
    stored = await server.get(Pod, "web", "default")
    assert stored.metadata.deletion_timestamp == kept.metadata.deletion_timestamp


async def test_kub12_grace_from_spec_and_request(server: APIServer, clock: FakeClock) -> None:
    await _running(server, grace=45)
    kept = await server.delete(Pod, "web", "default")
    assert isinstance(kept, Pod) and kept.metadata.deletion_grace_period_seconds == 45
    shorter = await server.delete(Pod, "web", "default", {"gracePeriodSeconds": 5})
    assert isinstance(shorter, Pod)
    assert shorter.metadata.deletion_grace_period_seconds == 5
    assert shorter.metadata.deletion_timestamp == rfc3339(clock.now() + 5)
    longer = await server.delete(Pod, "web", "default", {"gracePeriodSeconds": 60})
    assert isinstance(longer, Pod)
    assert longer.metadata.deletion_timestamp == rfc3339(clock.now() + 5), "never extended"


async def test_kub12_grace_zero_removes_at_once(server: APIServer) -> None:
    created = await _running(server)
    await server.delete(Pod, "web", "default")
    gone = await server.delete(Pod, "web", "default", DeleteOptions(grace_period_seconds=0))
    assert isinstance(gone, Status)
    assert gone.status == "Success"
    assert gone.details is not None and gone.details.uid == created.metadata.uid
    with pytest.raises(NotFound):
        await server.get(Pod, "web", "default")


@pytest.mark.parametrize("phase", ["Succeeded", "Failed"])
async def test_kub12_terminal_pods_are_removed_at_once(server: APIServer, phase: str) -> None:
    created = await _running(server)
    created.status = PodStatus(phase=phase)
    await server.update(Pod, created, "web", "default", subresource="status")
    assert isinstance(await server.delete(Pod, "web", "default"), Status)


async def test_kub12_unscheduled_pod_is_removed_at_once(server: APIServer) -> None:
    await server.create(Pod, pod(), "default")
    assert isinstance(await server.delete(Pod, "web", "default"), Status)
    with pytest.raises(NotFound):
        await server.get(Pod, "web", "default")


async def test_gc4_background_removes_owner_at_once(server: APIServer) -> None:
    await server.create(Deployment, deployment(), "default")
    result = await server.delete(Deployment, "web", "default", {"propagationPolicy": "Background"})
    assert isinstance(result, Status)
    with pytest.raises(NotFound):
        await server.get(Deployment, "web", "default")


@pytest.mark.parametrize(
    ("options", "finalizer"),
    [
        ({"propagationPolicy": "Foreground"}, "foregroundDeletion"),
        ({"propagationPolicy": "Orphan"}, "orphan"),
        ({"orphanDependents": True}, "orphan"),
    ],
    ids=["gc5-foreground", "gc6-orphan", "gc6-orphan-dependents"],
)
async def test_gc_policies_add_their_finalizer(
    server: APIServer, options: dict[str, object], finalizer: str
) -> None:
    await server.create(Deployment, deployment(), "default")
    kept = await server.delete(Deployment, "web", "default", options)
    assert isinstance(kept, Deployment)
    assert kept.metadata.finalizers == [finalizer]
    assert kept.metadata.deletion_timestamp is not None
    assert kept.metadata.generation == 2


def _job() -> Job:
    template = PodTemplateSpec(
        spec=PodSpec(restart_policy="Never", containers=[Container(name="c", image="busybox")])
    )
    return Job(metadata=ObjectMeta(name="pi"), spec=JobSpec(template=template))


async def test_gc6_job_and_rc_default_to_orphan(server: APIServer) -> None:
    await server.create(Job, _job(), "default")
    kept = await server.delete(Job, "pi", "default")
    assert isinstance(kept, Job) and kept.metadata.finalizers == ["orphan"]


async def test_gc6_both_policies_is_invalid(server: APIServer) -> None:
    await server.create(Deployment, deployment(), "default")
    with pytest.raises(Invalid):
        await server.delete(
            Deployment, "web", "default", {"orphanDependents": True, "propagationPolicy": "Orphan"}
        )
    await server.get(Deployment, "web", "default")


async def test_api10_delete_preconditions(server: APIServer) -> None:
    created = await server.create(Deployment, deployment(), "default")
    with pytest.raises(Conflict, match="Precondition failed: UID in precondition: nope"):
        await server.delete(
            Deployment, "web", "default", DeleteOptions(preconditions=Preconditions(uid="nope"))
        )
    with pytest.raises(Conflict, match="ResourceVersion in precondition: 1,"):
        await server.delete(Deployment, "web", "default", {"preconditions": {"resourceVersion": "1"}})
    await server.get(Deployment, "web", "default")
    ok = DeleteOptions(preconditions=Preconditions(uid=created.metadata.uid))
    assert isinstance(await server.delete(Deployment, "web", "default", ok), Status)


async def test_delete_missing_is_404(server: APIServer) -> None:
    with pytest.raises(NotFound, match='pods "ghost" not found'):
        await server.delete(Pod, "ghost", "default")


async def test_gc8_namespace_delete_marks_terminating(server: APIServer) -> None:
    await server.create(Namespace, Namespace(metadata=ObjectMeta(name="team")))
    kept = await server.delete(Namespace, "team")
    assert isinstance(kept, Namespace)
    assert kept.status.phase == "Terminating"
    assert kept.metadata.deletion_timestamp is not None
    with pytest.raises(Forbidden):
        await server.delete(Namespace, "default")
    await server.get(Namespace, "default")
