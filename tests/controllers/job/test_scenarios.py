"""End to end through the scheduler and fake kubelets on a virtual clock: NonIndexed Jobs."""

from __future__ import annotations

import itertools

import pytest

from kubelite.api.core import Pod
from kubelite.clock import parse_rfc3339
from kubelite.controllers.job.pods import JOB_TRACKING_FINALIZER
from tests.controllers.job.support import job, running

pytestmark = pytest.mark.anyio


async def test_exit_0_pods_complete_5_completions_never_more_than_2_active() -> None:
    """JOB-2, JOB-3, JOB-4, JOB-5: completions 5, parallelism 2 of `sh -c "exit 0"`."""
    async with running() as r:
        await r.cluster.client.create(job(completions=5, parallelism=2))
        await r.until(lambda: r.finished())
        status = r.job().status
        assert (status.succeeded, status.failed, status.active) == (5, 0, 0)
        assert r.peak.peak["work"] == 2
        assert r.condition("SuccessCriteriaMet") == (
            "True",
            "CompletionsReached",
            "Reached expected number of succeeded pods",
        )
        assert r.condition("Complete") == (
            "True",
            "CompletionsReached",
            "Reached expected number of succeeded pods",
        )
        complete = next(c for c in status.conditions if c.type == "Complete")
        assert status.completion_time == complete.last_transition_time
        assert status.start_time is not None
        assert status.uncounted_terminated_pods is not None
        assert not status.uncounted_terminated_pods.succeeded and not status.uncounted_terminated_pods.failed
        await r.until(lambda: len(r.messages("Completed")) == 1)
        assert r.messages("Completed") == ["Job completed"]
        assert r.messages("TooManySucceededPods") == []
        pods = r.owned()
        assert len(pods) == 5
        assert all(p.status.phase == "Succeeded" for p in pods)
        assert all(JOB_TRACKING_FINALIZER not in p.metadata.finalizers for p in pods)
        assert all(p.metadata.generate_name == "work-" for p in pods)
        assert sorted(r.messages("SuccessfulCreate")) == sorted(
            f"Created pod: {p.metadata.name}" for p in pods
        )


async def test_exit_1_pods_fail_the_job_at_backoff_limit_plus_one_with_growing_delays() -> None:
    """JOB-7, JOB-9, JOB-10: backoffLimit 3 → the 4th failure fails the Job (BackoffLimitExceeded,
    FailureTarget then Failed, no completionTime); replacements wait 10, 20 then 40 s after the
    previous failure, never less."""
    async with running() as r:
        await r.cluster.client.create(job(script="exit 1", backoff_limit=3))
        await r.until(lambda: r.finished())
        status = r.job().status
        assert (status.failed, status.succeeded, status.active) == (4, 0, 0)
        reason = ("True", "BackoffLimitExceeded", "Job has reached the specified backoff limit")
        assert r.condition("FailureTarget") == reason
        assert r.condition("Failed") == reason
        assert r.condition("Complete") is None
        assert status.completion_time is None
        pods = r.owned()
        assert len(pods) == 4
        assert all(p.status.phase == "Failed" for p in pods)
        gaps = [
            parse_rfc3339(later.metadata.creation_timestamp or "") - finished(earlier)
            for earlier, later in itertools.pairwise(pods)
        ]
        assert [round(gap) for gap in gaps] == [10, 20, 40]
        assert all(gap >= delay for gap, delay in zip(gaps, [10, 20, 40], strict=True))
        await r.until(lambda: len(r.messages("BackoffLimitExceeded")) == 1)
        assert r.messages("BackoffLimitExceeded") == ["Job has reached the specified backoff limit"]


def finished(pod: Pod) -> float:
    state = pod.status.container_statuses[0].state.terminated
    assert state is not None and state.finished_at is not None
    return parse_rfc3339(state.finished_at)
