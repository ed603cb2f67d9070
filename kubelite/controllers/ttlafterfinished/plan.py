"""When a finished Job expires (JOB-13), as upstream's `ttlafterfinished_controller.go` decides it.

Pure: `plan_ttl(job, now)` reads a Job and a wall-clock time and returns one of
- `None`: nothing to do, ever, for this state of the Job (no `ttlSecondsAfterFinished`, not
  finished, or already being deleted);
- `Wait(seconds)`: it expires `seconds` from `now` (`finishTime + ttl − now`, > 0); a finish time in
  the future (clock skew) only makes the wait longer, as upstream;
- `Expired()`: `now ≥ finishTime + ttl`, delete it (`ttl = 0` expires on finish).
The finish time is the `lastTransitionTime` of the Job's `Complete` or `Failed` condition with status
True; a finished Job without one raises `MissingFinishTime` (upstream retries such a Job).
"""

from __future__ import annotations

from dataclasses import dataclass

from kubelite.api.batch import Job
from kubelite.clock import parse_rfc3339

FINISHED = ("Complete", "Failed")


class MissingFinishTime(ValueError):
    """A finished Job whose finishing condition has no lastTransitionTime."""


@dataclass(frozen=True, slots=True)
class Wait:
    seconds: float


@dataclass(frozen=True, slots=True)
class Expired:
    pass


def is_finished(job: Job) -> bool:
    return any(c.type in FINISHED and c.status == "True" for c in job.status.conditions)


def needs_cleanup(job: Job) -> bool:
    """A TTL is set and the Job has finished (upstream's `needsCleanup`)."""
    return job.spec.ttl_seconds_after_finished is not None and is_finished(job)


def finish_time(job: Job) -> float:
    for condition in job.status.conditions:
        if condition.type in FINISHED and condition.status == "True" and condition.last_transition_time:
            return parse_rfc3339(condition.last_transition_time)
    meta = job.metadata
    raise MissingFinishTime(f"unable to find the time when the Job {meta.namespace}/{meta.name} finished")


def plan_ttl(job: Job, now: float) -> Wait | Expired | None:
    ttl = job.spec.ttl_seconds_after_finished
    if ttl is None or job.metadata.deletion_timestamp is not None or not is_finished(job):
        return None
    remaining = finish_time(job) + ttl - now
    return Wait(remaining) if remaining > 0 else Expired()
