"""JOB-13, pure: when a finished Job expires (finishTime = lastTransitionTime of Complete/Failed True;
expiry = finishTime + ttl; ttl 0 on finish; unset never)."""

from __future__ import annotations

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kubelite.api.batch import Job
from kubelite.api.batch.job import JobCondition, JobStatus
from kubelite.controllers.ttlafterfinished.plan import (
    Expired,
    MissingFinishTime,
    Wait,
    needs_cleanup,
    plan_ttl,
)
from tests.controllers.ttlafterfinished.support import finished_status, job

T0 = 1_767_225_600.0


def finished(ttl: int | None, *, failed: bool = False, at: float = T0) -> Job:
    return msgspec.structs.replace(job(ttl=ttl), status=finished_status(at, failed=failed))


def with_conditions(ttl: int | None, *conditions: JobCondition) -> Job:
    return msgspec.structs.replace(job(ttl=ttl), status=JobStatus(conditions=list(conditions)))


def deleting(j: Job) -> Job:
    j.metadata.deletion_timestamp = "2026-01-01T00:00:00Z"
    return j


CASES: list[tuple[str, Job, float, Wait | Expired | None]] = [
    ("unset-ttl-never", finished(None), T0 + 10**9, None),
    ("not-finished", with_conditions(10), T0 + 100, None),
    (
        "suspended-is-not-finished",
        with_conditions(10, JobCondition(type="Suspended", status="True")),
        T0 + 100,
        None,
    ),
    ("complete-false", with_conditions(0, JobCondition(type="Complete", status="False")), T0, None),
    ("complete-waits", finished(30), T0 + 10, Wait(20)),
    ("failed-waits", finished(30, failed=True), T0 + 29, Wait(1)),
    ("expires-exactly-at-ttl", finished(30), T0 + 30, Expired()),
    ("a-fraction-before-is-not-expired", finished(30), T0 + 29.5, Wait(0.5)),
    ("after-expiry", finished(30), T0 + 3600, Expired()),
    ("ttl-0-on-finish", finished(0), T0, Expired()),
    ("finished-in-the-future-waits-longer", finished(10, at=T0 + 100), T0, Wait(110)),
    ("being-deleted", deleting(finished(0)), T0 + 100, None),
]


@pytest.mark.parametrize(("job_", "now", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_job13_plan_ttl(job_: Job, now: float, expected: Wait | Expired | None) -> None:
    """JOB-13: nothing, wait for the time left, or expired."""
    assert plan_ttl(job_, now) == expected


def test_job13_finished_without_a_transition_time_is_an_error() -> None:
    """JOB-13: a finished Job with no lastTransitionTime has no finish time (upstream retries it)."""
    broken = with_conditions(10, JobCondition(type="Complete", status="True"))
    assert needs_cleanup(broken)
    with pytest.raises(MissingFinishTime, match="unable to find the time when the Job default/pi finished"):
        plan_ttl(broken, T0)


@given(st.integers(0, 10**6), st.floats(0, 2 * 10**6, allow_nan=False))
def test_job13_expired_exactly_when_now_reaches_finish_plus_ttl(ttl: int, elapsed: float) -> None:
    """JOB-13: expired iff now ≥ finishTime + ttl, and a wait always ends exactly at that moment."""
    now = T0 + elapsed
    decision = plan_ttl(finished(ttl), now)
    if now >= T0 + ttl:
        assert decision == Expired()
    else:
        assert isinstance(decision, Wait) and decision.seconds > 0
        assert now + decision.seconds == pytest.approx(T0 + ttl, abs=1e-6)
