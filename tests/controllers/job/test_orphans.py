"""Pods whose Job is gone never hang on the tracking finalizer (JOB-2, JOB-16)."""

from __future__ import annotations

import pytest

from kubelite.api.batch import Job
from kubelite.api.core import Pod
from kubelite.api.meta import DeleteOptions
from kubelite.controllers.job.pods import JOB_TRACKING_FINALIZER
from kubelite.controllers.runtime.claims import controller_of
from tests.controllers.job.support import Running, job, running

pytestmark = pytest.mark.anyio


def tracked(r: Running) -> list[Pod]:
    return [p for p in r.pods.list("default") if JOB_TRACKING_FINALIZER in p.metadata.finalizers]


def owned(r: Running) -> list[Pod]:
    return [p for p in r.pods.list("default") if controller_of(p) is not None]


async def test_orphaned_pods_lose_the_finalizer_and_can_be_deleted() -> None:
    """JOB-16, JOB-2: a Job deleted with propagationPolicy Orphan leaves its running pods without a
    controller; they lose the tracking finalizer, keep running, and a later delete removes them."""
    async with running() as r:
        await r.cluster.client.create(job(script="sleep 3600", completions=2, parallelism=2))
        await r.until(lambda: len([p for p in tracked(r) if p.status.phase == "Running"]) == 2)
        await r.cluster.client.delete(
            Job, "work", "default", options=DeleteOptions(propagation_policy="Orphan")
        )
        await r.until(lambda: r.jobs.get("work", "default") is None and not tracked(r) and not owned(r))
        pods = r.pods.list("default")
        assert len(pods) == 2
        assert all(controller_of(p) is None and p.status.phase == "Running" for p in pods)
        for pod in pods:
            await r.cluster.client.delete(Pod, pod.metadata.name, "default")
        await r.until(lambda: not r.pods.list("default"))


async def test_a_job_deleted_in_the_background_takes_its_pods_with_it() -> None:
    """JOB-2: Background deletion: the garbage collector deletes the pods and, the Job being gone,
    their tracking finalizers are removed, so none is left behind."""
    async with running() as r:
        await r.cluster.client.create(job(script="sleep 3600", completions=3, parallelism=3))
        await r.until(lambda: len(tracked(r)) == 3)
        await r.cluster.client.delete(
            Job, "work", "default", options=DeleteOptions(propagation_policy="Background")
        )
        await r.until(lambda: not r.pods.list("default"))
