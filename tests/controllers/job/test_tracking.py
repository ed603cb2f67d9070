"""The finalizer counting protocol (JOB-5, JOB-7) across a controller restart and injected store
faults at each step: `succeeded`/`failed` end exact, never go down, never count a pod twice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kubelite.api.batch import Job
from kubelite.api.core import Pod
from kubelite.controllers.job.pods import JOB_TRACKING_FINALIZER
from kubelite.store.memory import MemoryStorage
from tests.controllers.job.harness import (
    Alone,
    GateClient,
    SelectiveFaults,
    alone,
    controller_on,
    sqlite_storage,
)
from tests.controllers.job.support import job

pytestmark = pytest.mark.anyio


def untracked(run: Alone) -> bool:
    return all(JOB_TRACKING_FINALIZER not in p.metadata.finalizers for p in run.owned())


def settled(run: Alone, succeeded: int, failed: int = 0) -> bool:
    status = run.job().status
    uncounted = status.uncounted_terminated_pods
    return (
        (status.succeeded, status.failed) == (succeeded, failed)
        and uncounted is not None
        and not uncounted.succeeded
        and not uncounted.failed
    )


async def finish_all(run: Alone, phase: str = "Succeeded") -> None:
    for pod in run.running():
        await run.finish(pod, phase)


@pytest.mark.parametrize(
    "gate", ["release", "count"], ids=["after-uncounted-write", "after-finalizer-removal"]
)
async def test_a_restart_mid_way_counts_each_finished_pod_once(gate: str) -> None:
    """JOB-5, JOB-7: the controller stops between the uncounted write and the finalizer removal,
    or between the removal and the write moving the UID into `succeeded`; the next one resumes."""
    async with MemoryStorage(history=10_000) as storage, alone(storage) as run:
        gated = GateClient(run.server, gate)
        async with controller_on(run, gated):
            await run.client.create(job(completions=3, parallelism=3))
            await run.until(lambda: len(run.running()) == 3)
            first = run.running()[0]
            await run.finish(first, "Succeeded")
            await run.until(gated.hit.is_set)
            gated.crash()
        status = (await run.client.get(Job, "work", "default")).status
        assert status.uncounted_terminated_pods is not None
        assert status.uncounted_terminated_pods.succeeded == [first.metadata.uid]
        assert status.succeeded == 0
        async with controller_on(run):
            await run.until(lambda: settled(run, 1) and untracked_pod(run, first))
            await finish_all(run)
            await run.until(lambda: any(c.type == "Complete" for c in run.job().status.conditions))
        assert settled(run, 3)
        assert run.monotonic() and max(s for s, _ in run.counts) == 3
        assert untracked(run)


def untracked_pod(run: Alone, pod: Pod) -> bool:
    found = run.pods.get(pod.metadata.name, "default")
    return found is not None and JOB_TRACKING_FINALIZER not in found.metadata.finalizers


def adds_uncounted(resource: str, body: dict[str, Any]) -> bool:
    uncounted = body.get("status", {}).get("uncountedTerminatedPods", {})
    return body.get("kind") == "Job" and bool(uncounted.get("succeeded") or uncounted.get("failed"))


def drops_finalizer(resource: str, body: dict[str, Any]) -> bool:
    finished = body.get("status", {}).get("phase") in ("Succeeded", "Failed")
    return (
        body.get("kind") == "Pod"
        and finished
        and JOB_TRACKING_FINALIZER not in body["metadata"].get("finalizers", [])
    )


def moves_counts(resource: str, body: dict[str, Any]) -> bool:
    status = body.get("status", {})
    return body.get("kind") == "Job" and (status.get("succeeded", 0) > 0 or status.get("failed", 0) > 0)


@pytest.mark.parametrize(
    "matches",
    [adds_uncounted, drops_finalizer, moves_counts],
    ids=["uncounted-write", "finalizer-removal", "count-write"],
)
@pytest.mark.parametrize("phase", ["Succeeded", "Failed"])
async def test_a_store_fault_at_each_step_loses_and_doubles_nothing(
    tmp_path: Path, matches: Any, phase: str
) -> None:
    """JOB-5, JOB-7: a transient SQLite I/O error fails the write of one step (twice); the sync is
    retried and every finished pod is counted exactly once."""
    faults = SelectiveFaults()
    async with sqlite_storage(tmp_path / "db", faults) as storage, alone(storage) as run:
        async with controller_on(run):
            await run.client.create(job(completions=2, parallelism=2, backoff_limit=5))
            await run.until(lambda: len(run.running()) == 2)
            faults.arm(matches, times=2)
            done = run.running()[0]
            await run.finish(done, phase)
            await run.until(
                lambda: faults.failed == 2 and settled(run, *_pair(phase, 1)) and untracked_pod(run, done)
            )
            await run.until(lambda: len(run.running()) == 2 - (phase == "Succeeded"))
        assert run.monotonic()
        assert run.counts[-1] == _pair(phase, 1)


def _pair(phase: str, count: int) -> tuple[int, int]:
    return (count, 0) if phase == "Succeeded" else (0, count)


async def test_a_pod_deleted_while_running_counts_as_failed_once() -> None:
    """JOB-7: a pod deleted before it finished (its node gone, say) is a failure, counted once,
    and replaced after the 10 s backoff."""
    async with MemoryStorage(history=10_000) as storage, alone(storage) as run, controller_on(run):
        await run.client.create(job(completions=1, parallelism=1))
        await run.until(lambda: len(run.running()) == 1)
        (victim,) = run.running()
        await run.client.delete(Pod, victim.metadata.name, "default")
        await run.until(lambda: settled(run, 0, 1) and run.pods.get(victim.metadata.name, "default") is None)
        await run.until(lambda: len(run.running()) == 1)
        (replacement,) = run.running()
        assert replacement.metadata.uid != victim.metadata.uid
        assert run.counts[-1] == (0, 1) and run.monotonic()
