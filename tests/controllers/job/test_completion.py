"""Completion edges with the controller alone (the test plays the kubelet): work-queue Jobs
(JOB-4, JOB-5) and more successes than completions (JOB-5's TooManySucceededPods)."""

from __future__ import annotations

import pytest

from kubelite.api.core import Pod
from kubelite.api.meta import ObjectMeta
from kubelite.client import InProcessClient
from kubelite.controllers.job.pods import JOB_TRACKING_FINALIZER
from kubelite.controllers.replicaset.kinds import owner_reference
from kubelite.store.memory import MemoryStorage
from tests.controllers.job.harness import Alone, alone, controller_on
from tests.controllers.job.support import job
from tests.controllers.lagging import LaggingClient
from tests.controllers.replicaset.harness import QUOTA_MESSAGE, QuotaClient

pytestmark = pytest.mark.anyio


def messages(run: Alone, reason: str) -> list[str]:
    return [e.message for e in run.events.list("default") if e.reason == reason]


def complete(run: Alone) -> bool:
    return any(c.type == "Complete" and c.status == "True" for c in run.job().status.conditions)


async def test_a_work_queue_job_stops_creating_after_the_first_success() -> None:
    """JOB-4, JOB-5: completions unset, parallelism 3: after one pod succeeds no pod is created
    and the Job completes once the other two finish (succeeded 3)."""
    async with MemoryStorage(history=10_000) as storage, alone(storage) as run, controller_on(run):
        await run.client.create(job(completions=None, parallelism=3))
        await run.until(lambda: len(run.running()) == 3)
        first, *rest = run.running()
        await run.finish(first, "Succeeded")
        await run.until(lambda: run.job().status.succeeded == 1)
        assert len(run.owned()) == 3 and not complete(run)
        for pod in rest:
            await run.finish(pod, "Succeeded")
        await run.until(lambda: complete(run))
        status = run.job().status
        assert (status.succeeded, status.active, len(run.owned())) == (3, 0, 3)
        assert messages(run, "TooManySucceededPods") == []


async def test_more_successes_than_completions_is_a_warning() -> None:
    """JOB-5: a third pod of the Job (made while the controller was down) also succeeds:
    succeeded 3 > completions 2 gives Warning TooManySucceededPods next to Completed."""
    async with MemoryStorage(history=10_000) as storage, alone(storage) as run:
        async with controller_on(run):
            created = await run.client.create(job(completions=2, parallelism=2))
            await run.until(lambda: len(run.running()) == 2)
        template = created.spec.template
        extra = Pod(
            metadata=ObjectMeta(
                name="work-extra",
                namespace="default",
                labels=dict(template.metadata.labels),
                finalizers=[JOB_TRACKING_FINALIZER],
                owner_references=[owner_reference(created)],
            ),
            spec=template.spec,
        )
        await run.client.create(extra)
        await run.until(lambda: len(run.running()) == 3)
        for pod in run.running():
            await run.finish(pod, "Succeeded")
        async with controller_on(run):
            await run.until(lambda: complete(run) and len(messages(run, "Completed")) == 1)
            await run.until(lambda: len(messages(run, "TooManySucceededPods")) == 1)
        assert run.job().status.succeeded == 3
        assert messages(run, "TooManySucceededPods") == [
            "Too many succeeded pods running after completion count reached"
        ]
        assert messages(run, "Completed") == ["Job completed"]
        event = next(e for e in run.events.list("default") if e.reason == "TooManySucceededPods")
        assert event.type == "Warning"


async def test_refused_creates_stop_the_slow_start_and_are_retried_without_over_creating() -> None:
    """JOB-2: parallelism 6 with room for 2 pods: batches 1, 2 (one refused), the rest never
    tried; Warning FailedCreate "Error creating: …"; once there is room the Job gets exactly 6."""
    async with MemoryStorage(history=10_000) as storage, alone(storage) as run:
        quota = QuotaClient(run.server, run.clock, allowance=2)
        async with controller_on(run, quota):
            await run.client.create(job(script="sleep 3600", completions=6, parallelism=6))
            await run.until(lambda: len(quota.attempts) >= 3 and len(messages(run, "FailedCreate")) >= 1)
            assert [len(batch) for batch in quota.batches[:2]] == [1, 2]
            assert quota.attempts[:3] == [True, True, False]
            assert messages(run, "FailedCreate")[0] == f"Error creating: {QUOTA_MESSAGE}"
            quota.allowance = 100
            await run.until(lambda: len(run.owned()) == 6 and run.job().status.active == 6)
            run.clock.advance(30)
            await run.until(lambda: run.clock.sleepers > 0)
        assert len(run.owned()) == 6 and sum(quota.attempts) == 6


@pytest.mark.parametrize("seed", [1, 7, 42])
async def test_a_late_and_repetitive_pod_feed_never_over_creates_nor_double_counts(seed: int) -> None:
    """JOB-2, JOB-4, JOB-5: the controller's pod informer gets every event up to 1 s late and half
    of them twice; completions 10 at parallelism 3, pods finishing as soon as they appear: never
    more than 3 active, exactly 10 pods, succeeded ends at 10 and never goes past it."""
    async with MemoryStorage(history=10_000) as storage, alone(storage) as run:
        lagging = LaggingClient(run.server, run.clock, seed=seed)
        async with controller_on(run, InProcessClient(run.server), reader=lagging):
            await run.client.create(job(completions=10, parallelism=3))
            while not complete(run):
                await run.until(lambda: bool(run.running()) or complete(run))
                for pod in run.running():
                    await run.finish(pod, "Succeeded")
        assert run.peak.peak["work"] <= 3
        assert len(run.owned()) == 10
        assert run.monotonic() and max(s for s, _ in run.counts) == 10
        assert run.job().status.succeeded == 10
