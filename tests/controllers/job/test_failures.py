"""How running Jobs fail end to end: OnFailure restarts (JOB-8), activeDeadlineSeconds (JOB-10,
JOB-11) and podFailurePolicy actions (JOB-15); a finished Job is left alone (JOB-14)."""

from __future__ import annotations

import pytest

from kubelite.api.batch import PodFailurePolicy, PodFailurePolicyOnExitCodesRequirement, PodFailurePolicyRule
from kubelite.api.core import Pod
from kubelite.clock import parse_rfc3339
from kubelite.controllers.job.pods import JOB_TRACKING_FINALIZER
from tests.controllers.job.support import job, running

pytestmark = pytest.mark.anyio


async def test_on_failure_restarts_count_towards_the_backoff_limit() -> None:
    """JOB-8, JOB-10: restartPolicy OnFailure, backoffLimit 2: the container restarts in place;
    at a restart sum of 2 the Job fails with BackoffLimitExceeded, its pod is deleted (and so
    counted as failed), no other pod was ever created."""
    async with running() as r:
        await r.cluster.client.create(job(script="exit 1", restart="OnFailure", backoff_limit=2))
        await r.until(lambda: r.finished())
        status = r.job().status
        reason = ("True", "BackoffLimitExceeded", "Job has reached the specified backoff limit")
        assert r.condition("FailureTarget") == reason and r.condition("Failed") == reason
        assert (status.active, status.succeeded, status.failed, status.completion_time) == (0, 0, 1, None)
        await r.until(lambda: not r.owned())
        (name,) = r.peak.restarts
        assert r.peak.restarts[name] == 2
        assert r.messages("SuccessfulCreate") == [f"Created pod: {name}"]


async def test_active_deadline_fails_the_job_exactly_at_the_deadline() -> None:
    """JOB-10, JOB-11: activeDeadlineSeconds 30 over a `sleep 3600` pod: DeadlineExceeded at
    startTime + 30 s (the controller requeues for that moment), the pod is deleted, no
    completionTime, event DeadlineExceeded."""
    async with running() as r:
        await r.cluster.client.create(job(script="sleep 3600", active_deadline_seconds=30))
        await r.until(lambda: r.finished())
        status = r.job().status
        reason = ("True", "DeadlineExceeded", "Job was active longer than specified deadline")
        assert r.condition("FailureTarget") == reason and r.condition("Failed") == reason
        target = next(c for c in status.conditions if c.type == "FailureTarget")
        assert status.start_time is not None and target.last_transition_time is not None
        assert parse_rfc3339(target.last_transition_time) - parse_rfc3339(status.start_time) == 30
        assert (status.active, status.failed, status.completion_time) == (0, 1, None)
        await r.until(lambda: not r.owned() and len(r.messages("DeadlineExceeded")) == 1)
        assert r.messages("DeadlineExceeded") == ["Job was active longer than specified deadline"]


async def test_a_finished_job_is_not_reconciled() -> None:
    """JOB-14: deleting the pods of a Complete Job creates none."""
    async with running() as r:
        await r.cluster.client.create(job(completions=2, parallelism=2))
        await r.until(lambda: r.finished())
        for pod in r.owned():
            await r.cluster.client.delete(Pod, pod.metadata.name, "default")
        await r.until(lambda: not r.owned())
        r.clock.advance(60)
        await r.until(lambda: r.clock.sleepers > 0)
        assert r.owned() == []
        assert r.job().status.succeeded == 2
        assert len(r.messages("SuccessfulCreate")) == 2


def policy(action: str, *codes: int) -> PodFailurePolicy:
    rule = PodFailurePolicyRule(
        action=action, on_exit_codes=PodFailurePolicyOnExitCodesRequirement(operator="In", values=list(codes))
    )
    return PodFailurePolicy(rules=[rule])


async def test_pod_failure_policy_fail_job() -> None:
    """JOB-15: exit 42 matching a FailJob rule fails the Job at once (backoffLimit 6 untouched),
    reason PodFailurePolicy with the matcher's message."""
    async with running() as r:
        await r.cluster.client.create(job(script="exit 42", pod_failure_policy=policy("FailJob", 42)))
        await r.until(lambda: r.finished())
        (pod,) = r.owned()
        message = (
            f"Container main for pod default/{pod.metadata.name} failed with exit code 42 "
            "matching FailJob rule at index 0"
        )
        assert r.condition("FailureTarget") == ("True", "PodFailurePolicy", message)
        assert r.condition("Failed") == ("True", "PodFailurePolicy", message)
        assert r.job().status.failed == 1
        assert JOB_TRACKING_FINALIZER not in pod.metadata.finalizers
        await r.until(lambda: r.messages("PodFailurePolicy") == [message])


async def test_pod_failure_policy_ignore_replaces_without_counting() -> None:
    """JOB-15: exit 3 matching an Ignore rule is not counted and the pod is replaced at once (no
    backoff): three pods in, still failed 0 and no condition."""
    async with running() as r:
        await r.cluster.client.create(
            job(script="exit 3", backoff_limit=0, pod_failure_policy=policy("Ignore", 3))
        )
        await r.until(lambda: len([p for p in r.owned() if p.status.phase == "Failed"]) >= 3)
        status = r.job().status
        assert (status.failed, status.succeeded) == (0, 0)
        assert not r.finished()
        created = sorted(parse_rfc3339(p.metadata.creation_timestamp or "") for p in r.owned())
        assert created[2] - created[0] < 10


async def test_pod_failure_policy_count_counts_as_usual() -> None:
    """JOB-15: exit 5 matching a Count rule counts: backoffLimit 0 fails the Job on it with
    BackoffLimitExceeded."""
    async with running() as r:
        await r.cluster.client.create(
            job(script="exit 5", backoff_limit=0, pod_failure_policy=policy("Count", 5))
        )
        await r.until(lambda: r.finished())
        assert r.condition("Failed") == (
            "True",
            "BackoffLimitExceeded",
            "Job has reached the specified backoff limit",
        )
        assert r.job().status.failed == 1
