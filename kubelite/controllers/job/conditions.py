"""Job conditions (JOB-5, JOB-10, JOB-12), pure.

`ensure(conditions, type, status, reason, message, now)` is upstream's `ensureJobConditionStatus`:
an existing condition of `type` is replaced (both times now) when its status, reason or message
differ; a missing one is added unless `status` is False; the result says whether anything
changed. The input list is never mutated.

A Job is finished (JOB-14) when `Complete` or `Failed` is True. The interim conditions
`SuccessCriteriaMet` and `FailureTarget` come first; `terminal(interim)` is the condition that
follows it with the same reason and message (`Complete` / `Failed`).
"""

from __future__ import annotations

from dataclasses import dataclass

from kubelite.api.batch import Job, JobCondition
from kubelite.clock import rfc3339

COMPLETE, FAILED = "Complete", "Failed"
SUCCESS_CRITERIA_MET, FAILURE_TARGET = "SuccessCriteriaMet", "FailureTarget"
SUSPENDED = "Suspended"

COMPLETIONS_REACHED = "CompletionsReached"
COMPLETIONS_REACHED_MESSAGE = "Reached expected number of succeeded pods"
BACKOFF_LIMIT_EXCEEDED = "BackoffLimitExceeded"
BACKOFF_LIMIT_MESSAGE = "Job has reached the specified backoff limit"
DEADLINE_EXCEEDED = "DeadlineExceeded"
DEADLINE_MESSAGE = "Job was active longer than specified deadline"
POD_FAILURE_POLICY = "PodFailurePolicy"
JOB_SUSPENDED, JOB_SUSPENDED_MESSAGE = "JobSuspended", "Job suspended"
JOB_RESUMED, JOB_RESUMED_MESSAGE = "JobResumed", "Job resumed"

_TERMINAL = {SUCCESS_CRITERIA_MET: COMPLETE, FAILURE_TARGET: FAILED}


@dataclass(frozen=True, slots=True)
class Finish:
    """Why a Job is finishing: the interim condition type, its reason and message."""

    type: str
    reason: str
    message: str

    @property
    def terminal(self) -> str:
        return _TERMINAL[self.type]

    @property
    def succeeded(self) -> bool:
        return self.type == SUCCESS_CRITERIA_MET


SUCCESS = Finish(SUCCESS_CRITERIA_MET, COMPLETIONS_REACHED, COMPLETIONS_REACHED_MESSAGE)


def failure(reason: str, message: str) -> Finish:
    return Finish(FAILURE_TARGET, reason, message)


def find(conditions: list[JobCondition], type: str) -> JobCondition | None:
    return next((c for c in conditions if c.type == type), None)


def is_true(conditions: list[JobCondition], type: str) -> bool:
    found = find(conditions, type)
    return found is not None and found.status == "True"


def is_finished(job: Job) -> bool:
    return is_true(job.status.conditions, COMPLETE) or is_true(job.status.conditions, FAILED)


def recorded_finish(job: Job) -> Finish | None:
    """The interim condition a previous sync wrote, if any."""
    for type in (FAILURE_TARGET, SUCCESS_CRITERIA_MET):
        found = find(job.status.conditions, type)
        if found is not None and found.status == "True":
            return Finish(type, found.reason, found.message)
    return None


def ensure(
    conditions: list[JobCondition], type: str, status: str, reason: str, message: str, now: float
) -> tuple[list[JobCondition], bool]:
    stamp = rfc3339(now)
    fresh = JobCondition(
        type=type,
        status=status,
        reason=reason,
        message=message,
        last_probe_time=stamp,
        last_transition_time=stamp,
    )
    current = find(conditions, type)
    if current is None:
        return (conditions, False) if status == "False" else ([*conditions, fresh], True)
    if (current.status, current.reason, current.message) == (status, reason, message):
        return conditions, False
    return [fresh if c.type == type else c for c in conditions], True


def suspend_transition(job: Job, now: float) -> tuple[list[JobCondition], str | None]:
    """The conditions after this sync's suspend or resume (JOB-12), and the event reason
    (`Suspended` / `Resumed`) when the `Suspended` condition changed."""
    if job.spec.suspend:
        updated, changed = ensure(
            job.status.conditions, SUSPENDED, "True", JOB_SUSPENDED, JOB_SUSPENDED_MESSAGE, now
        )
        return updated, "Suspended" if changed else None
    updated, changed = ensure(
        job.status.conditions, SUSPENDED, "False", JOB_RESUMED, JOB_RESUMED_MESSAGE, now
    )
    return updated, "Resumed" if changed else None
