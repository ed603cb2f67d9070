"""How a Job's `podFailurePolicy` (JOB-15) judges a failed pod, for the planners.

`judge(job, pod)` is the matching rule's `PolicyMatch` (`kubelite.controllers.job.failurepolicy`)
or None when the Job has no policy or no rule matches. `counts(job, pod)`: whether a failed pod
adds to `status.failed` and to the backoff (every action but `Ignore`). `fail_job_message(job,
pods)`: the message of the first failed pod (in the given order) whose matching rule is `FailJob`,
else None.
"""

from __future__ import annotations

from collections.abc import Iterable

from kubelite.api.batch import Job
from kubelite.api.core import Pod
from kubelite.controllers.job.failurepolicy import PolicyMatch, match_pod_failure_policy
from kubelite.controllers.job.pods import is_failed

IGNORE, FAIL_JOB = "Ignore", "FailJob"


def judge(job: Job, pod: Pod) -> PolicyMatch | None:
    policy = job.spec.pod_failure_policy
    if policy is None:
        return None
    return match_pod_failure_policy(policy, pod)


def counts(job: Job, pod: Pod) -> bool:
    match = judge(job, pod)
    return match is None or match.action != IGNORE


def fail_job_message(job: Job, pods: Iterable[Pod]) -> str | None:
    if job.spec.pod_failure_policy is None:
        return None
    for pod in pods:
        if not is_failed(pod, job):
            continue
        match = judge(job, pod)
        if match is not None and match.action == FAIL_JOB:
            return match.message
    return None
