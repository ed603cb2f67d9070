"""What a Job's pods count as (JOB-3, JOB-7, JOB-8), pure predicates over one pod.

- active: not Succeeded/Failed and no `deletionTimestamp`; terminating: not Succeeded/Failed but
  with a `deletionTimestamp` (JOB-3); ready: Ready=True.
- `is_failed(pod, job)` (JOB-7): phase Failed; or, unless the Job has a `podFailurePolicy` or
  `podReplacementPolicy: Failed`, deleted while not Succeeded (such a pod may never reach
  Failed: its node may be gone).
- `finished_at(pod)`: when the pod finished, for the replacement backoff (JOB-9): the latest
  container `finishedAt`, else its `deletionTimestamp`, else None (the caller uses now).
- `restart_sum(pods)` (JOB-8): container and init container restarts of Pending/Running pods.
- `tracking_finalizer(pod)`: whether the pod still carries `batch.kubernetes.io/job-tracking`.
"""

from __future__ import annotations

from collections.abc import Iterable

from kubelite.api.batch import Job
from kubelite.api.core import Pod
from kubelite.clock import parse_rfc3339
from kubelite.controllers.replicaset.pods import TERMINAL_PHASES, is_active, is_ready

JOB_TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking"

__all__ = [
    "JOB_TRACKING_FINALIZER",
    "finished_at",
    "is_active",
    "is_failed",
    "is_ready",
    "is_terminating",
    "restart_sum",
    "tracking_finalizer",
]


def is_terminating(pod: Pod) -> bool:
    return pod.status.phase not in TERMINAL_PHASES and pod.metadata.deletion_timestamp is not None


def tracking_finalizer(pod: Pod) -> bool:
    return JOB_TRACKING_FINALIZER in pod.metadata.finalizers


def only_replace_failed(job: Job) -> bool:
    return job.spec.pod_replacement_policy == "Failed" or job.spec.pod_failure_policy is not None


def is_failed(pod: Pod, job: Job) -> bool:
    if pod.status.phase == "Failed":
        return True
    if only_replace_failed(job):
        return False
    return pod.metadata.deletion_timestamp is not None and pod.status.phase != "Succeeded"


def finished_at(pod: Pod) -> float | None:
    times = [
        parse_rfc3339(status.state.terminated.finished_at)
        for status in (*pod.status.init_container_statuses, *pod.status.container_statuses)
        if status.state.terminated is not None and status.state.terminated.finished_at
    ]
    if times:
        return max(times)
    stamp = pod.metadata.deletion_timestamp
    return parse_rfc3339(stamp) if stamp else None


def restart_sum(pods: Iterable[Pod]) -> int:
    return sum(
        status.restart_count
        for pod in pods
        if pod.status.phase in ("Pending", "Running")
        for status in (*pod.status.init_container_statuses, *pod.status.container_statuses)
    )
