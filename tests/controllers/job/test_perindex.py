"""`backoffLimitPerIndex` end to end through the scheduler and fake kubelets on a virtual clock
(JOB-1, JOB-10, JOB-15): per-index retries and backoff, `failedIndexes`, `FailedIndexes`,
`MaxFailedIndexesExceeded` and the `FailIndex` rule."""

from __future__ import annotations

import functools
import itertools
from pathlib import Path
from typing import Any

import pytest

from kubelite.api.batch import PodFailurePolicy, PodFailurePolicyOnExitCodesRequirement, PodFailurePolicyRule
from kubelite.api.core import Pod
from kubelite.clock import parse_rfc3339
from kubelite.controllers.job.indexes import completion_index
from kubelite.controllers.job.perindex import FAILURE_COUNT
from kubelite.controllers.job.pods import JOB_TRACKING_FINALIZER
from kubelite.store.memory import MemoryStorage
from tests.controllers.job.harness import Alone, SelectiveFaults, alone, controller_on, sqlite_storage
from tests.controllers.job.support import Running, job, running
from tests.controllers.job.test_tracking import drops_finalizer, moves_counts

pytestmark = pytest.mark.anyio

INDEX_2_FAILS = "if [ $JOB_COMPLETION_INDEX = 2 ]; then exit 1; fi; exit 0"
FAILED_INDEXES = ("True", "FailedIndexes", "Job has failed indexes")
MAX_FAILED = (
    "True",
    "MaxFailedIndexesExceeded",
    "Job has exceeded the specified maximal number of failed indexes",
)


def of_index(r: Running, index: int) -> list[Pod]:
    return [p for p in r.owned() if completion_index(p) == index]


def finished(pod: Pod) -> float:
    state = pod.status.container_statuses[0].state.terminated
    assert state is not None and state.finished_at is not None
    return parse_rfc3339(state.finished_at)


async def test_an_index_past_its_limit_fails_alone_and_the_job_fails_with_failed_indexes() -> None:
    """JOB-1, JOB-10: backoffLimitPerIndex 1 (backoffLimit defaults to 2147483647), index 2 always
    `exit 1`: it runs twice (failure counts "0", "1", the retry 10 s after the failure), then
    failedIndexes "2"; the other indexes complete ("0,1,3"); once every index finished the Job
    fails with FailureTarget then Failed `FailedIndexes` "Job has failed indexes", no
    completionTime, and a Warning event with that reason and message."""
    async with running() as r:
        spec = job(script=INDEX_2_FAILS, completions=4, parallelism=4, completion_mode="Indexed")
        spec.spec.backoff_limit_per_index = 1
        created = await r.cluster.client.create(spec)
        assert created.spec.backoff_limit == 2147483647
        await r.until(lambda: r.finished())
        status = r.job().status
        assert (status.failed_indexes, status.completed_indexes) == ("2", "0,1,3")
        assert (status.succeeded, status.failed, status.active) == (3, 2, 0)
        assert r.condition("FailureTarget") == FAILED_INDEXES
        assert r.condition("Failed") == FAILED_INDEXES
        assert r.condition("Complete") is None and status.completion_time is None
        tries = sorted(of_index(r, 2), key=lambda p: p.metadata.annotations[FAILURE_COUNT])
        assert [p.metadata.annotations[FAILURE_COUNT] for p in tries] == ["0", "1"]
        assert all(p.status.phase == "Failed" for p in tries)
        gap = parse_rfc3339(tries[1].metadata.creation_timestamp or "") - finished(tries[0])
        assert gap >= 10 and round(gap) == 10
        for index in (0, 1, 3):
            assert [p.metadata.annotations[FAILURE_COUNT] for p in of_index(r, index)] == ["0"]
        assert all(JOB_TRACKING_FINALIZER not in p.metadata.finalizers for p in r.owned())
        await r.until(lambda: len(r.messages("FailedIndexes")) == 1)
        assert r.messages("FailedIndexes") == ["Job has failed indexes"]


async def test_max_failed_indexes_0_fails_the_job_at_the_first_failed_index() -> None:
    """JOB-10: maxFailedIndexes 0, backoffLimitPerIndex 0; index 0 `exit 1`, index 1 runs on:
    the first failure fails index 0 and the Job (`MaxFailedIndexesExceeded`); the running pod
    is deleted and counted as failed; active ends at 0."""
    async with running() as r:
        script = "if [ $JOB_COMPLETION_INDEX = 0 ]; then exit 1; fi; sleep 3600"
        spec = job(script=script, completions=4, parallelism=2, completion_mode="Indexed")
        spec.spec.backoff_limit_per_index, spec.spec.max_failed_indexes = 0, 0
        await r.cluster.client.create(spec)
        await r.until(lambda: r.finished())
        status = r.job().status
        assert (status.failed_indexes, status.completed_indexes) == ("0", "")
        assert (status.succeeded, status.failed, status.active) == (0, 2, 0)
        assert r.condition("FailureTarget") == MAX_FAILED
        assert r.condition("Failed") == MAX_FAILED
        assert [completion_index(p) for p in r.owned()] == [0]
        deleted = r.messages("SuccessfulDelete")
        assert len(deleted) == 1 and deleted[0].startswith("Deleted pod: work-1-")
        await r.until(lambda: len(r.messages("MaxFailedIndexesExceeded")) == 1)
        assert r.messages("MaxFailedIndexesExceeded") == [MAX_FAILED[2]]


async def test_fail_index_rule_fails_the_index_without_retries() -> None:
    """JOB-15, JOB-10: a FailIndex rule on exit code 42 with backoffLimitPerIndex 3: index 1
    exits 42 once and is failed at once (one pod, failedIndexes "1"); the others complete and the
    Job fails with `FailedIndexes`."""
    async with running() as r:
        script = "if [ $JOB_COMPLETION_INDEX = 1 ]; then exit 42; fi; exit 0"
        spec = job(script=script, completions=3, parallelism=3, completion_mode="Indexed")
        requirement = PodFailurePolicyOnExitCodesRequirement(operator="In", values=[42])
        rule = PodFailurePolicyRule(action="FailIndex", on_exit_codes=requirement)
        spec.spec.backoff_limit_per_index = 3
        spec.spec.pod_failure_policy = PodFailurePolicy(rules=[rule])
        await r.cluster.client.create(spec)
        await r.until(lambda: r.finished())
        status = r.job().status
        assert (status.failed_indexes, status.completed_indexes) == ("1", "0,2")
        assert (status.succeeded, status.failed, status.active) == (2, 1, 0)
        assert r.condition("Failed") == FAILED_INDEXES
        assert [p.metadata.annotations[FAILURE_COUNT] for p in of_index(r, 1)] == ["0"]


async def test_no_failure_leaves_failed_indexes_empty_not_unset() -> None:
    """JOB-10 (as upstream): a Job with backoffLimitPerIndex writes failedIndexes "" while no
    index failed, and completes as usual; without it the field stays unset."""
    async with running() as r:
        spec = job(completions=2, parallelism=2, completion_mode="Indexed")
        spec.spec.backoff_limit_per_index = 1
        await r.cluster.client.create(spec)
        await r.cluster.client.create(job("plain", completions=2, parallelism=2, completion_mode="Indexed"))
        await r.until(lambda: r.finished() and r.finished("plain"))
        assert r.job().status.failed_indexes == ""
        assert r.job("plain").status.failed_indexes is None
        assert r.condition("Complete") == (
            "True",
            "CompletionsReached",
            "Reached expected number of succeeded pods",
        )


def tracked(run: Alone, pod: Pod) -> bool:
    found = run.pods.get(pod.metadata.name, "default")
    return found is not None and JOB_TRACKING_FINALIZER in found.metadata.finalizers


def live_of(run: Alone, index: int) -> list[Pod]:
    return [p for p in run.running() if completion_index(p) == index]


def both_running(run: Alone, failed: int) -> bool:
    status = run.job().status
    return (status.active, status.failed) == (2, failed) and len(live_of(run, 0)) == len(live_of(run, 1)) == 1


async def test_restarts_keep_the_per_index_counts_exact() -> None:
    """JOB-10, JOB-1: backoffLimitPerIndex 2, index 0 fails three times with the controller
    restarted after each failure (the test plays the kubelet). The failed pod keeps its
    finalizer until its replacement exists, so each new controller reads the count back from
    the pods: the tries carry failure counts "0", "1", "2" and wait 10 s then 20 s after the
    failure; the third failure fails the index, index 1 succeeds, and the Job fails with
    `FailedIndexes`, failed 3 and succeeded 1, counts never going down."""
    async with MemoryStorage(history=10_000) as storage, alone(storage) as run:
        spec = job(completions=2, parallelism=2, completion_mode="Indexed")
        spec.spec.backoff_limit_per_index = 2
        tries: list[Pod] = []
        for attempt in range(3):
            async with controller_on(run):
                if attempt == 0:
                    await run.client.create(spec)
                await run.until(functools.partial(both_running, run, attempt))
                tries.append(live_of(run, 0)[0])
                await run.finish(tries[-1], "Failed", exit_code=1)
                await run.until(lambda: run.job().status.active == 1)
                if attempt == 2:
                    await run.until(lambda: run.job().status.failed == 3)
            if attempt < 2:
                assert run.job().status.failed == attempt
                assert tracked(run, tries[-1])
        async with controller_on(run):
            await run.finish(live_of(run, 1)[0], "Succeeded")
            await run.until(lambda: any(c.type == "Failed" for c in run.job().status.conditions))
        status = run.job().status
        assert (status.failed_indexes, status.completed_indexes) == ("0", "1")
        assert (status.succeeded, status.failed, status.active) == (1, 3, 0)
        assert next(c for c in status.conditions if c.type == "Failed").reason == "FailedIndexes"
        assert [p.metadata.annotations[FAILURE_COUNT] for p in tries] == ["0", "1", "2"]
        fresh = [run.pods.get(p.metadata.name, "default") or p for p in tries]
        gaps = [
            parse_rfc3339(later.metadata.creation_timestamp or "") - finished(earlier)
            for earlier, later in itertools.pairwise(fresh)
        ]
        assert [round(gap) for gap in gaps] == [10, 20]
        assert run.monotonic()
        assert not any(tracked(run, p) for p in tries)


def creates_replacement(resource: str, body: dict[str, Any]) -> bool:
    notes = body.get("metadata", {}).get("annotations", {})
    pending = body.get("status", {}).get("phase") in (None, "", "Pending")
    return body.get("kind") == "Pod" and notes.get(FAILURE_COUNT) == "1" and pending


@pytest.mark.parametrize(
    "matches",
    [creates_replacement, drops_finalizer, moves_counts],
    ids=["replacement-create", "held-pod-finalizer-removal", "count-write"],
)
async def test_a_store_fault_while_replacing_loses_and_doubles_nothing(tmp_path: Path, matches: Any) -> None:
    """JOB-10: a transient SQLite I/O error fails (twice) the replacement's create, the held
    pod's finalizer removal or the write counting it; the retried syncs create exactly one
    replacement, with failure count "1", and count the failure once."""
    faults = SelectiveFaults()
    async with sqlite_storage(tmp_path / "db", faults) as storage, alone(storage) as run:
        spec = job(completions=1, parallelism=1, completion_mode="Indexed")
        spec.spec.backoff_limit_per_index = 2
        async with controller_on(run):
            await run.client.create(spec)
            await run.until(lambda: len(run.running()) == 1)
            (first,) = run.running()
            faults.arm(matches, times=2)
            await run.finish(first, "Failed", exit_code=1)
            await run.until(
                lambda: faults.failed == 2 and run.job().status.failed == 1 and not tracked(run, first)
            )
            await run.until(lambda: len(run.running()) == 1)
            (second,) = run.running()
        assert second.metadata.annotations[FAILURE_COUNT] == "1"
        assert len(run.owned()) == 2
        assert run.monotonic() and run.counts[-1] == (0, 1)
