"""Elastic Indexed Jobs (JOB-6): `completions` and `parallelism` changed together mid-run.

Upstream recounts an Indexed Job's `succeeded` from `completedIndexes` below the current
`completions`, so scaling down past succeeded indexes drops them: they never make the Job
complete while lower indexes have not succeeded.
"""

from __future__ import annotations

import pytest

from kubelite.api.batch import Job
from kubelite.controllers.job.indexes import completion_index
from tests.controllers.job.support import Running, job, running

pytestmark = pytest.mark.anyio

HIGH_FAST_LOW_SLOW = "if [ $JOB_COMPLETION_INDEX -ge 2 ]; then exit 0; fi; sleep 100; exit 0"


def running_indexes(r: Running) -> list[int | None]:
    return sorted(
        completion_index(p)
        for p in r.owned()
        if p.status.phase == "Running" and p.metadata.deletion_timestamp is None
    )


async def test_scaling_down_past_succeeded_indexes_drops_them_and_does_not_complete() -> None:
    """JOB-6: completions = parallelism = 4; indexes 2 and 3 succeed ("2,3", succeeded 2) while
    0 and 1 run; scaled to 2/2, completedIndexes reads "" and succeeded 0 (only indexes below
    completions count), pods 0 and 1 keep running and the Job is not complete; once they
    succeed, completedIndexes "0,1", succeeded 2, Complete CompletionsReached."""
    async with running() as r:
        await r.cluster.client.create(
            job(script=HIGH_FAST_LOW_SLOW, completions=4, parallelism=4, completion_mode="Indexed")
        )
        await r.until(lambda: r.job().status.completed_indexes == "2,3" and running_indexes(r) == [0, 1])
        assert r.job().status.succeeded == 2
        await r.cluster.client.patch(Job, "work", {"spec": {"completions": 2, "parallelism": 2}}, "default")
        await r.until(lambda: r.job().metadata.generation == 2 and r.job().status.succeeded == 0)
        status = r.job().status
        assert (status.completed_indexes, status.active, status.failed) == ("", 2, 0)
        assert not r.finished() and running_indexes(r) == [0, 1]
        assert r.messages("SuccessfulDelete") == []
        r.clock.advance(100)
        await r.until(lambda: r.finished())
        status = r.job().status
        assert (status.completed_indexes, status.succeeded, status.failed) == ("0,1", 2, 0)
        assert r.condition("Complete") == (
            "True",
            "CompletionsReached",
            "Reached expected number of succeeded pods",
        )
