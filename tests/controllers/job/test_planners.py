"""Planner tables: wantActive and the create/delete plan (JOB-2, JOB-4, JOB-6, JOB-9, JOB-12),
backoff delays (JOB-9), failure decisions (JOB-7, JOB-8, JOB-10, JOB-11), census (JOB-3)."""

from __future__ import annotations

import pytest

from kubelite.api.batch import JobStatus
from kubelite.clock import rfc3339
from kubelite.controllers.job.backoff import BackoffRecord, advance, delay, remaining
from kubelite.controllers.job.census import take_census
from kubelite.controllers.job.decide import deadline_in, decide_failure
from kubelite.controllers.job.manage import plan_manage, want_active
from tests.controllers.job.builders import T0, a_job, a_pod, uncounted


@pytest.mark.parametrize(
    ("completions", "parallelism", "succeeded", "active", "want"),
    [
        (None, 3, 0, 0, 3),
        (None, 3, 1, 2, 2),
        (None, 3, 1, 0, 0),
        (5, 2, 0, 0, 2),
        (5, 2, 4, 1, 1),
        (5, 2, 5, 0, 0),
        (5, 2, 7, 0, 0),
        (5, 0, 0, 2, 0),
        (5, 10, 2, 0, 3),
    ],
    ids=[
        "work-queue-before-success",
        "work-queue-after-success-keeps-active",
        "work-queue-after-success-none-left",
        "completions-capped-by-parallelism",
        "one-remaining",
        "done",
        "more-succeeded-than-completions",
        "parallelism-zero",
        "remaining-below-parallelism",
    ],
)
def test_job4_want_active(
    completions: int | None, parallelism: int, succeeded: int, active: int, want: int
) -> None:
    """JOB-4: clamp(completions − succeeded, 0, parallelism); work queues stop at the first success."""
    assert want_active(completions, parallelism, succeeded, active) == want


def test_job2_job4_creates_the_shortfall_capped_by_burst() -> None:
    job = a_job(completions=2000, parallelism=1000)
    plan = plan_manage(job, take_census(job, [], ()), 0.0, T0, burst=500)
    assert (plan.create, plan.delete, plan.indexes) == (500, (), ())


def test_job4_deletes_the_excess_in_rs6_order_and_creates_nothing() -> None:
    """JOB-4, JOB-2: parallelism 1 with 3 active: the unready, unassigned ones go first; no creates."""
    job = a_job(completions=5, parallelism=1)
    pods = [a_pod("ready", ready=True), a_pod("unassigned", node=""), a_pod("pending", "Pending")]
    plan = plan_manage(job, take_census(job, pods, ()), 0.0, T0)
    assert [p.metadata.name for p in plan.delete] == ["unassigned", "pending"]
    assert plan.create == 0


def test_job12_a_suspended_job_deletes_every_active_pod() -> None:
    job = a_job(suspend=True)
    pods = [a_pod("a"), a_pod("b"), a_pod("done", "Succeeded")]
    plan = plan_manage(job, take_census(job, pods, ()), 0.0, T0)
    assert sorted(p.metadata.name for p in plan.delete) == ["a", "b"]


def test_job9_backoff_holds_creation_and_says_when() -> None:
    job = a_job(completions=3, parallelism=1)
    plan = plan_manage(job, take_census(job, [], ()), 7.5, T0)
    assert (plan.create, plan.wait) == (0, 7.5)


def test_job4_replacement_policy_failed_counts_terminating_pods() -> None:
    """JOB-4: under podReplacementPolicy Failed, a terminating pod is not replaced yet."""
    job = a_job(completions=3, parallelism=2, pod_replacement_policy="Failed")
    census = take_census(job, [a_pod("a"), a_pod("going", deleting=True)], ())
    assert plan_manage(job, census, 0.0, T0).create == 0
    other = a_job(completions=3, parallelism=2)
    assert (
        plan_manage(
            other, take_census(other, [a_pod("a"), a_pod("going", deleting=True)], ()), 0.0, T0
        ).create
        == 1
    )


@pytest.mark.parametrize(
    ("policy", "indexes"),
    [("Failed", (1,)), ("TerminatingOrFailed", (0, 1))],
    ids=["failed-policy-keeps-the-terminating-index", "terminating-or-failed-replaces-it"],
)
def test_job4_job6_a_terminating_index_is_not_pending_under_policy_failed(
    policy: str, indexes: tuple[int, ...]
) -> None:
    """JOB-4, JOB-6: index 0's pod is terminating; under podReplacementPolicy Failed it is
    subtracted and its index is not created again (as upstream's firstPendingIndexes); under
    TerminatingOrFailed the index is replaced at once."""
    job = a_job(completions=3, parallelism=2, indexed=True, pod_replacement_policy=policy)
    census = take_census(job, [a_pod("going", index=0, deleting=True)], ())
    plan = plan_manage(job, census, 0.0, T0)
    assert (plan.create, plan.indexes) == (len(indexes), indexes)


def test_job6_lowest_pending_indexes_first_skipping_succeeded_and_active() -> None:
    status = JobStatus(completed_indexes="0,2", succeeded=2)
    job = a_job(completions=8, parallelism=4, indexed=True, status=status)
    pods = [a_pod("one", index=1), a_pod("three", index=3)]
    plan = plan_manage(job, take_census(job, pods, ()), 0.0, T0)
    assert plan.indexes == (4, 5) and plan.create == 2


def test_job6_succeeded_counts_only_indexes_below_completions_after_a_scale_down() -> None:
    """JOB-6: "2,3" succeeded of 4, scaled to 2: succeeded is 0, so indexes 0 and 1 still run
    (nothing deleted) and index 0's lost pod is replaced."""
    status = JobStatus(completed_indexes="2,3", succeeded=2)
    job = a_job(completions=2, parallelism=2, indexed=True, status=status)
    pods = [a_pod("one", index=1)]
    census = take_census(job, pods, ())
    assert (census.succeeded, census.succeeded_indexes) == (0, frozenset())
    plan = plan_manage(job, census, 0.0, T0)
    assert (plan.delete, plan.indexes) == ((), (0,))


def test_job6_duplicates_and_out_of_range_indexes_are_deleted_first() -> None:
    job = a_job(completions=3, parallelism=3, indexed=True)
    pods = [
        a_pod("zero-ready", index=0, ready=True),
        a_pod("zero-pending", "Pending", index=0),
        a_pod("seven", index=7),
        a_pod("none"),
        a_pod("one", index=1),
    ]
    plan = plan_manage(job, take_census(job, pods, ()), 0.0, T0)
    assert sorted(p.metadata.name for p in plan.delete) == ["none", "seven", "zero-pending"]


@pytest.mark.parametrize(
    ("failures", "seconds"),
    [(0, 0), (1, 10), (2, 20), (3, 40), (4, 80), (5, 160), (6, 320), (7, 360), (100, 360)],
    ids=lambda v: str(v),
)
def test_job9_delays_double_from_10s_up_to_the_cap(failures: int, seconds: float) -> None:
    assert delay(failures, 10.0, 360.0) == seconds


def test_job9_a_success_resets_the_failures_and_later_failures_count_again() -> None:
    record = advance(BackoffRecord(), [], [T0, T0 + 5])
    assert record == BackoffRecord(2, T0 + 5)
    assert remaining(record, T0 + 5, 10, 360) == 20
    assert advance(record, [T0 + 10], []) == BackoffRecord(0, None)
    assert advance(record, [T0 + 10], [T0 + 8, T0 + 12]) == BackoffRecord(1, T0 + 12)
    assert remaining(BackoffRecord(1, T0), T0 + 11, 10, 360) == 0


@pytest.mark.parametrize(
    ("spec", "failed", "restarts", "start_ago", "reason"),
    [
        ({"backoff_limit": 6}, 6, 0, 0, None),
        ({"backoff_limit": 6}, 7, 0, 0, "BackoffLimitExceeded"),
        ({"backoff_limit": 0}, 1, 0, 0, "BackoffLimitExceeded"),
        ({"backoff_limit": 2, "restart": "OnFailure"}, 0, 2, 0, "BackoffLimitExceeded"),
        ({"backoff_limit": 2, "restart": "OnFailure"}, 0, 1, 0, None),
        ({"backoff_limit": 0, "restart": "OnFailure"}, 0, 1, 0, "BackoffLimitExceeded"),
        ({"active_deadline_seconds": 30}, 0, 0, 30, "DeadlineExceeded"),
        ({"active_deadline_seconds": 30}, 0, 0, 29, None),
        ({"active_deadline_seconds": 30, "suspend": True}, 0, 0, 60, None),
        ({"active_deadline_seconds": 30, "backoff_limit": 0}, 1, 0, 60, "BackoffLimitExceeded"),
    ],
    ids=[
        "at-limit",
        "past-limit",
        "limit-0-first-failure",
        "on-failure-restarts-reach-limit",
        "on-failure-below-limit",
        "on-failure-limit-0-any-restart",
        "deadline-reached",
        "before-deadline",
        "deadline-not-while-suspended",
        "backoff-checked-before-deadline",
    ],
)
def test_job7_job8_job10_job11_failure_decision(
    spec: dict[str, object], failed: int, restarts: int, start_ago: float, reason: str | None
) -> None:
    restart = str(spec.pop("restart", "Never"))
    status = JobStatus(failed=failed, start_time=rfc3339(T0 - start_ago))
    job = a_job(restart=restart, status=status, **spec)
    pods = [a_pod("a", restarts=restarts)]
    finish = decide_failure(job, take_census(job, pods, ()), pods, T0)
    assert (finish.reason if finish else None) == reason
    if finish is not None:
        assert finish.type == "FailureTarget"
        messages = {
            "BackoffLimitExceeded": "Job has reached the specified backoff limit",
            "DeadlineExceeded": "Job was active longer than specified deadline",
        }
        assert finish.message == messages[finish.reason]


def test_job11_requeue_at_exactly_the_deadline() -> None:
    job = a_job(active_deadline_seconds=30, status=JobStatus(start_time=rfc3339(T0)))
    assert deadline_in(job, T0 + 12) == 18
    assert deadline_in(a_job(status=JobStatus(start_time=rfc3339(T0))), T0) is None


def test_job3_census_counts_active_ready_terminating_and_new_finishes() -> None:
    """JOB-3, JOB-7: deleted unfinished pods count as failed; counted or uncounted ones are not new."""
    status = JobStatus(succeeded=1, failed=1, uncounted_terminated_pods=uncounted(["uid-listed"]))
    job = a_job(status=status)
    pods = [
        a_pod("run", ready=True),
        a_pod("run2"),
        a_pod("going", deleting=True),
        a_pod("ok", "Succeeded"),
        a_pod("listed", "Succeeded"),
        a_pod("counted", "Succeeded", tracked=False),
        a_pod("bad", "Failed"),
        a_pod("expected", "Failed"),
    ]
    census = take_census(job, pods, {"uid-expected"})
    assert [p.metadata.name for p in census.active] == ["run", "run2"]
    assert (census.ready, census.terminating) == (1, 1)
    assert [p.metadata.name for p in census.new_succeeded] == ["ok"]
    assert sorted(p.metadata.name for p in census.new_failed) == ["bad", "going"]
    assert (census.succeeded, census.failed) == (1 + 1 + 1, 1 + 2)
