"""Whether a running Job has failed, and when to look again (JOB-8, JOB-10, JOB-11, JOB-15), pure.

`decide_failure(job, census, now)`: the `Finish` to start, first match wins, in upstream's order:
1. a failed pod whose `podFailurePolicy` rule is `FailJob`: reason `PodFailurePolicy` with the
   rule's message;
2. `failed > backoffLimit` (JOB-7), or under `restartPolicy: OnFailure` the restart sum of the
   Pending/Running pods `≥ backoffLimit` (`> 0` when the limit is 0; JOB-8):
   `BackoffLimitExceeded`;
3. `now − startTime ≥ activeDeadlineSeconds`, never while suspended: `DeadlineExceeded` (JOB-11);
4. with `backoffLimitPerIndex`: more failed indexes than `maxFailedIndexes`
   (`MaxFailedIndexesExceeded`), or every index finished and some failed (`FailedIndexes`;
   `perindex.decide_indexes`).
`deadline_in(job, now)`: seconds until that deadline (None without one, before the start, or while
suspended): the controller requeues for exactly that moment.
"""

from __future__ import annotations

from collections.abc import Sequence

from kubelite.api.batch import Job
from kubelite.api.core import Pod
from kubelite.clock import parse_rfc3339
from kubelite.controllers.job import conditions, perindex, policy
from kubelite.controllers.job.census import Census
from kubelite.controllers.job.conditions import Finish
from kubelite.controllers.job.pods import restart_sum

DEFAULT_BACKOFF_LIMIT = 6


def decide_failure(job: Job, census: Census, pods: Sequence[Pod], now: float) -> Finish | None:
    message = policy.fail_job_message(job, pods)
    if message is not None:
        return conditions.failure(conditions.POD_FAILURE_POLICY, message)
    if past_backoff_limit(job, census):
        return conditions.failure(conditions.BACKOFF_LIMIT_EXCEEDED, conditions.BACKOFF_LIMIT_MESSAGE)
    remaining = deadline_in(job, now)
    if remaining is not None and remaining <= 0:
        return conditions.failure(conditions.DEADLINE_EXCEEDED, conditions.DEADLINE_MESSAGE)
    if perindex.has_per_index(job):
        return perindex.decide_indexes(job, census.failed_indexes, census.succeeded_indexes)
    return None


def past_backoff_limit(job: Job, census: Census) -> bool:
    limit = job.spec.backoff_limit if job.spec.backoff_limit is not None else DEFAULT_BACKOFF_LIMIT
    if census.failed > limit:
        return True
    if job.spec.template.spec.restart_policy != "OnFailure":
        return False
    restarts = restart_sum(census.active)
    return restarts > 0 if limit == 0 else restarts >= limit


def deadline_in(job: Job, now: float) -> float | None:
    seconds, start = job.spec.active_deadline_seconds, job.status.start_time
    if seconds is None or start is None or job.spec.suspend:
        return None
    return parse_rfc3339(start) + seconds - now
