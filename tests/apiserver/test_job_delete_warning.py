"""JOB-16: a Job DELETE that names no propagationPolicy (nor orphanDependents) orphans the Job's pods
(the batch/v1 default) and carries upstream's warning; a named policy carries none."""

from __future__ import annotations

import pytest

from kubelite.api.batch import Job, JobSpec
from kubelite.api.core import Container, Pod, PodSpec, PodTemplateSpec
from kubelite.api.errors import NotFound
from kubelite.api.meta import ObjectMeta
from kubelite.apiserver import APIServer, RequestContext
from kubelite.apiserver.strategies.workloads import JOB_ORPHAN_WARNING
from tests.controllers.gc.support import pod, ref, running
from tests.controllers.ttlafterfinished.support import finish

pytestmark = pytest.mark.anyio

WARNING = (
    "child pods are preserved by default when jobs are deleted; set propagationPolicy=Background to "
    "remove them or set propagationPolicy=Orphan to suppress this warning"
)


def job(name: str = "pi") -> Job:
    template = PodTemplateSpec(
        spec=PodSpec(restart_policy="Never", containers=[Container(name="c", image="busybox")])
    )
    return Job(
        metadata=ObjectMeta(name=name, namespace="default"), spec=JobSpec(template=template, suspend=True)
    )


def test_job16_warning_text_is_upstreams() -> None:
    assert JOB_ORPHAN_WARNING == WARNING


@pytest.mark.parametrize(
    ("options", "warnings", "finalizers"),
    [
        (None, [WARNING], ["orphan"]),
        ({}, [WARNING], ["orphan"]),
        ({"propagationPolicy": "Orphan"}, [], ["orphan"]),
        ({"orphanDependents": True}, [], ["orphan"]),
        ({"propagationPolicy": "Foreground"}, [], ["foregroundDeletion"]),
    ],
    ids=["no-options", "empty-options", "orphan", "orphan-dependents", "foreground"],
)
async def test_job16_delete_warns_only_without_a_policy(
    server: APIServer, options: dict[str, object] | None, warnings: list[str], finalizers: list[str]
) -> None:
    """JOB-16: the warning comes with the default (orphan) policy only."""
    await server.create(Job, job(), "default")
    ctx = RequestContext()
    kept = await server.delete(Job, "pi", "default", options, ctx)
    assert ctx.warnings == warnings
    assert isinstance(kept, Job) and kept.metadata.finalizers == finalizers


async def test_job16_background_names_a_policy_and_removes_at_once(server: APIServer) -> None:
    """JOB-16: Background is a named policy: no warning, and a Job with no finalizer is gone."""
    await server.create(Job, job(), "default")
    ctx = RequestContext()
    await server.delete(Job, "pi", "default", {"propagationPolicy": "Background"}, ctx)
    assert ctx.warnings == []
    with pytest.raises(NotFound):
        await server.get(Job, "pi", "default")


async def test_job16_warning_even_when_the_job_is_missing(server: APIServer) -> None:
    """JOB-16: upstream adds the warning before the delete, so a 404 carries it too."""

    ctx = RequestContext()
    with pytest.raises(NotFound):
        await server.delete(Job, "ghost", "default", None, ctx)
    assert ctx.warnings == [WARNING]


async def test_job16_default_delete_orphans_the_pods() -> None:
    """JOB-16: after a DELETE without a policy the Job is gone and its pods stay, without their
    ownerReference to it. (The Job is finished first, so a Job controller leaves its pods alone.)"""
    async with running() as r:
        client = r.cluster.client
        owner = await finish(client, await client.create(job()), r.clock.now())
        for name in ("pi-a", "pi-b"):
            owned = pod(name, ref(owner, block=True, controller=True))
            owned.metadata.labels = dict(owner.spec.template.metadata.labels)
            await client.create(owned)
        await r.until(lambda: len(r.lister(Pod).list("default")) == 2)
        await client.delete(Job, "pi", "default")
        await r.until(lambda: r.get(Job, "pi") is None)
        await r.until(lambda: all(not p.metadata.owner_references for p in r.lister(Pod).list("default")))
        live = {p.metadata.name: p for p in (await client.list(Pod, "default")).items}
        assert sorted(live) == ["pi-a", "pi-b"]
        assert all(
            p.metadata.owner_references == [] and p.metadata.deletion_timestamp is None for p in live.values()
        )
