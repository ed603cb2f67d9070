"""Suspend and resume end to end (JOB-12), and the deadline not running while suspended (JOB-11)."""

from __future__ import annotations

import pytest

from kubelite.api.batch import Job
from kubelite.clock import parse_rfc3339
from tests.controllers.job.support import Running, job, running

pytestmark = pytest.mark.anyio


async def set_suspend(r: Running, value: bool) -> None:
    await r.cluster.client.patch(Job, "work", {"spec": {"suspend": value}}, "default")


def live(r: Running) -> int:
    return len(
        [p for p in r.owned() if p.metadata.deletion_timestamp is None and p.status.phase == "Running"]
    )


async def test_a_job_created_suspended_gets_no_pods_and_no_start_time() -> None:
    """JOB-12: Suspended=True JobSuspended "Job suspended", event Suspended, no pods, no startTime;
    resuming sets Suspended=False JobResumed "Job resumed", startTime and pods."""
    async with running() as r:
        await r.cluster.client.create(job(script="sleep 3600", suspend=True))
        await r.until(lambda: r.condition("Suspended") is not None)
        assert r.condition("Suspended") == ("True", "JobSuspended", "Job suspended")
        r.clock.advance(30)
        await r.until(lambda: r.messages("Suspended") == ["Job suspended"])
        assert r.owned() == [] and r.job().status.start_time is None
        await set_suspend(r, False)
        await r.until(lambda: live(r) == 1)
        assert r.condition("Suspended") == ("False", "JobResumed", "Job resumed")
        assert r.job().status.start_time is not None
        await r.until(lambda: r.messages("Resumed") == ["Job resumed"])


async def test_suspending_deletes_active_pods_without_counting_them_failed() -> None:
    """JOB-12, JOB-4, JOB-11: suspending a running Job (parallelism 2) deletes both pods after
    removing their finalizers: failed stays 0; while suspended the 60 s deadline does not fire;
    resume resets startTime to now, so the deadline counts from the resume."""
    async with running() as r:
        await r.cluster.client.create(
            job(script="sleep 3600", completions=2, parallelism=2, active_deadline_seconds=60)
        )
        await r.until(lambda: live(r) == 2)
        first_start = r.job().status.start_time
        await set_suspend(r, True)
        await r.until(lambda: not r.owned())
        status = r.job().status
        assert (status.active, status.failed, status.succeeded) == (0, 0, 0)
        assert r.condition("Suspended") == ("True", "JobSuspended", "Job suspended")
        assert len(r.messages("SuccessfulDelete")) == 2
        r.clock.advance(120)
        await r.until(lambda: r.clock.sleepers > 0)
        assert not r.finished()
        await set_suspend(r, False)
        await r.until(lambda: live(r) == 2)
        resumed = r.job().status.start_time
        assert resumed is not None and first_start is not None
        assert parse_rfc3339(resumed) - parse_rfc3339(first_start) >= 120
        await r.until(lambda: r.finished())
        assert r.condition("Failed") == (
            "True",
            "DeadlineExceeded",
            "Job was active longer than specified deadline",
        )
        failed = next(c for c in r.job().status.conditions if c.type == "FailureTarget")
        assert parse_rfc3339(failed.last_transition_time or "") - parse_rfc3339(resumed) == 60
        assert r.job().status.failed == 2
