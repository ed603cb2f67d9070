"""Finished Jobs for tests that need one before (or without) a Job controller: a suspended Job whose
status is written directly, as the Job controller writes a finished Job's (JOB-5, JOB-10)."""

from __future__ import annotations

import msgspec

from kubelite.api.batch import Job, JobSpec
from kubelite.api.batch.job import JobCondition, JobStatus
from kubelite.api.core import Container, PodSpec, PodTemplateSpec
from kubelite.api.meta import ObjectMeta
from kubelite.client import Client
from kubelite.client.errors import Conflict
from kubelite.clock import rfc3339


def job(name: str = "pi", ttl: int | None = None) -> Job:
    template = PodTemplateSpec(
        spec=PodSpec(restart_policy="Never", containers=[Container(name="c", image="busybox")])
    )
    spec = JobSpec(template=template, suspend=True, ttl_seconds_after_finished=ttl)
    return Job(metadata=ObjectMeta(name=name, namespace="default"), spec=spec)


def finished_status(at: float, *, failed: bool = False) -> JobStatus:
    """A Complete (or Failed) status whose finishing condition moved at `at`."""
    stamp = rfc3339(at)
    if failed:
        reason, message = "BackoffLimitExceeded", "Job has reached the specified backoff limit"
        conditions = [
            JobCondition(type=t, status="True", reason=reason, message=message, last_transition_time=stamp)
            for t in ("FailureTarget", "Failed")
        ]
        return JobStatus(conditions=conditions, start_time=stamp, failed=1)
    conditions = [
        JobCondition(type=t, status="True", reason="CompletionsReached", last_transition_time=stamp)
        for t in ("SuccessCriteriaMet", "Complete")
    ]
    return JobStatus(conditions=conditions, start_time=stamp, completion_time=stamp, succeeded=1)


async def finish(client: Client, created: Job, at: float, *, failed: bool = False) -> Job:
    """Write the finished status onto the stored Job (retrying a Job controller's concurrent write)."""
    while True:
        current = await client.get(Job, created.metadata.name, created.metadata.namespace)
        try:
            return await client.update_status(
                msgspec.structs.replace(current, status=finished_status(at, failed=failed))
            )
        except Conflict:
            continue
