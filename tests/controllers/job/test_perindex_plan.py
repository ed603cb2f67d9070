"""The pure `backoffLimitPerIndex` planners (JOB-1, JOB-10, JOB-15): when a failure ends its
index, `failedIndexes`, the held pod per index, the counts a replacement carries, the per-index
backoff, the Job's per-index failure, and how manage and tracking apply them."""

from __future__ import annotations

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kubelite.api.batch import (
    Job,
    JobStatus,
    PodFailurePolicy,
    PodFailurePolicyOnExitCodesRequirement,
    PodFailurePolicyRule,
)
from kubelite.api.core import Pod
from kubelite.controllers.job import perindex
from kubelite.controllers.job.census import take_census
from kubelite.controllers.job.conditions import Finish, failure
from kubelite.controllers.job.manage import plan_manage
from kubelite.controllers.job.perindex import FAILURE_COUNT, IGNORED_FAILURE_COUNT
from kubelite.controllers.job.tracking import plan_tracking
from tests.controllers.job.builders import T0, a_job, a_pod

BACKOFF = (10.0, 360.0)


def per_index(
    limit: int = 1,
    *,
    completions: int = 4,
    status: JobStatus | None = None,
    max_failed_indexes: int | None = None,
) -> Job:
    return a_job(
        completions=completions,
        parallelism=completions,
        indexed=True,
        backoff_limit_per_index=limit,
        backoff_limit=2147483647,
        status=status,
        max_failed_indexes=max_failed_indexes,
    )


def with_rule(job: Job, action: str, code: int) -> Job:
    requirement = PodFailurePolicyOnExitCodesRequirement(operator="In", values=[code])
    rule = PodFailurePolicyRule(action=action, on_exit_codes=requirement)
    spec = msgspec.structs.replace(job.spec, pod_failure_policy=PodFailurePolicy(rules=[rule]))
    return msgspec.structs.replace(job, spec=spec)


def failed(
    name: str,
    index: int,
    count: str | None = None,
    *,
    ignored: str | None = None,
    at: float = T0,
    code: int = 1,
) -> Pod:
    pod = a_pod(name, "Failed", index=index, finished=at)
    notes = dict(pod.metadata.annotations)
    if count is not None:
        notes[FAILURE_COUNT] = count
    if ignored is not None:
        notes[IGNORED_FAILURE_COUNT] = ignored
    terminated = pod.status.container_statuses[0].state.terminated
    assert terminated is not None
    terminated.exit_code = code
    return msgspec.structs.replace(pod, metadata=msgspec.structs.replace(pod.metadata, annotations=notes))


@pytest.mark.parametrize(
    ("job", "pod", "ends"),
    [
        (per_index(1), failed("p", 0, "0"), False),
        (per_index(1), failed("p", 0, "1"), True),
        (per_index(0), failed("p", 0, None), True),
        (per_index(2), failed("p", 0, "5"), True),
        (per_index(1), failed("p", 0, "-1"), False),
        (per_index(1), failed("p", 0, "x"), False),
        (per_index(1), failed("p", 0, "99999999999"), False),
        (per_index(1), a_pod("p", "Running", index=0), False),
        (per_index(1), a_pod("p", "Succeeded", index=0, finished=T0), False),
        (with_rule(per_index(5), "FailIndex", 42), failed("p", 0, "0", code=42), True),
        (with_rule(per_index(5), "FailIndex", 42), failed("p", 0, "0", code=1), False),
        (with_rule(per_index(1), "Ignore", 42), failed("p", 0, "3", code=42), False),
        (with_rule(per_index(1), "Count", 42), failed("p", 0, "1", code=42), True),
    ],
    ids=[
        "first-failure-below-limit-1",
        "second-failure-reaches-limit-1",
        "limit-0-first-failure",
        "past-limit",
        "negative-annotation-reads-0",
        "malformed-annotation-reads-0",
        "over-int32-reads-0",
        "running-pod",
        "succeeded-pod",
        "fail-index-rule-at-once",
        "fail-index-rule-not-matching",
        "ignored-failure-never-ends-index",
        "count-rule-counts",
    ],
)
def test_index_failed(job: Job, pod: Pod, ends: bool) -> None:
    """JOB-10, JOB-15: a failure ends its index when its rule is FailIndex, or when it counts and
    the index had backoffLimitPerIndex counted failures before it; bad annotations read 0."""
    assert perindex.index_failed(job, pod) is ends


def test_failed_indexes_adds_new_failures_to_the_stored_ones() -> None:
    """JOB-10: stored "1" (and "7", past completions, dropped) plus index 3 whose pod ends it; a
    pod already counted (no finalizer) and one below the limit add nothing."""
    job = per_index(1, completions=5, status=JobStatus(failed_indexes="1,7"))
    pods = [
        failed("a", 3, "1"),
        msgspec.structs.replace(
            failed("b", 2, "1"), metadata=msgspec.structs.replace(failed("b", 2, "1").metadata, finalizers=[])
        ),
        failed("c", 0, "0"),
    ]
    assert perindex.failed_indexes(job, pods) == {1, 3}


@pytest.mark.parametrize(
    ("stored", "found"),
    [("", set()), ("0,2-3", {0, 2, 3}), ("x,1,3-a,-2,4-9", {1, 4}), ("3-1,2", {2})],
    ids=["empty", "intervals", "malformed-parts-skipped", "reversed-range-skipped"],
)
def test_stored_failed_indexes_are_read_leniently(stored: str, found: set[int]) -> None:
    """JOB-10: a malformed `status.failedIndexes` part is skipped, never the rest (indexes at or
    past completions 5 dropped)."""
    assert (
        perindex.failed_indexes(per_index(1, completions=5, status=JobStatus(failed_indexes=stored)), [])
        == found
    )


def test_held_pods_keep_the_latest_failure_of_each_waiting_index() -> None:
    """JOB-10: per index not succeeded, failed nor active, the failure with the highest count
    (then the latest finish) is held; other indexes hold nothing."""
    job = per_index(3, completions=5)
    older, newer = failed("old", 0, "0", at=T0), failed("new", 0, "1", at=T0 + 30)
    pods = [
        newer,
        older,
        failed("busy", 1, "0"),
        a_pod("busy-live", index=1),
        failed("done", 2, "0"),
        failed("gone", 3, "0"),
        failed("removing", 4, "0"),
    ]
    active = [pods[3]]
    held = perindex.held_pods(job, pods, {2}, {3}, active, expected_removals={"uid-removing"})
    assert held == {0: newer}


@pytest.mark.parametrize(
    ("job", "replaced", "counts", "annotations"),
    [
        (per_index(3), None, (0, 0), {FAILURE_COUNT: "0"}),
        (per_index(3), failed("p", 0, "1"), (2, 0), {FAILURE_COUNT: "2"}),
        (per_index(3), failed("p", 0, None), (1, 0), {FAILURE_COUNT: "1"}),
        (
            with_rule(per_index(3), "Ignore", 42),
            failed("p", 0, "1", code=42),
            (1, 1),
            {FAILURE_COUNT: "1", IGNORED_FAILURE_COUNT: "1"},
        ),
        (
            with_rule(per_index(3), "Ignore", 42),
            failed("p", 0, "1", ignored="2", code=1),
            (2, 2),
            {FAILURE_COUNT: "2", IGNORED_FAILURE_COUNT: "2"},
        ),
    ],
    ids=["first-pod", "counted-failure", "missing-annotation", "ignored-failure", "ignored-carried"],
)
def test_replacement_counts(
    job: Job, replaced: Pod | None, counts: tuple[int, int], annotations: dict[str, str]
) -> None:
    """JOB-10, JOB-15: the replacement carries the replaced pod's counts plus its failure (in the
    ignored count when the policy ignores it); the ignored annotation only once non-zero."""
    assert perindex.new_counts(job, replaced) == counts
    assert perindex.count_annotations(counts) == annotations


@given(st.integers(0, 1000), st.integers(0, 1000), st.booleans())
def test_a_replacement_adds_exactly_one_failure(failures: int, ignored: int, ignore: bool) -> None:
    """JOB-10: whatever the counts, a replacement's absolute count is the replaced pod's + 1."""
    job = with_rule(per_index(3), "Ignore", 42)
    pod = failed("p", 0, str(failures), ignored=str(ignored), code=42 if ignore else 1)
    new = perindex.new_counts(job, pod)
    assert sum(new) == failures + ignored + 1
    assert (new[1] > ignored) is ignore


@pytest.mark.parametrize(
    ("held", "now", "ready", "wait"),
    [
        ({}, T0, [0, 1], 0.0),
        ({0: failed("p", 0, "0", at=T0)}, T0 + 4, [1], 0.0),
        ({0: failed("p", 0, "0", at=T0), 1: failed("q", 1, "1", at=T0)}, T0 + 4, [], 6.0),
        ({0: failed("p", 0, "1", at=T0), 1: failed("q", 1, "1", ignored="1", at=T0)}, T0 + 4, [], 16.0),
        ({0: failed("p", 0, "0", at=T0), 1: failed("q", 1, "9", at=T0)}, T0 + 10, [0], 0.0),
        ({0: failed("p", 0, "9", at=T0), 1: failed("q", 1, "9", at=T0)}, T0 + 359, [], 1.0),
    ],
    ids=["nothing-held", "one-waits-other-ready", "both-wait", "ignored-counts-too", "ten-s-over", "cap"],
)
def test_ready_indexes(held: dict[int, Pod], now: float, ready: list[int], wait: float) -> None:
    """JOB-10, JOB-9: an index waits `delay(absolute count + 1)` after its held pod finished (10 s,
    20 s, … capped); the wait is reported only when no index is ready."""
    assert perindex.ready_indexes([0, 1], held, now, *BACKOFF) == (ready, wait)


MAX = failure("MaxFailedIndexesExceeded", "Job has exceeded the specified maximal number of failed indexes")
ALL = failure("FailedIndexes", "Job has failed indexes")


@pytest.mark.parametrize(
    ("most", "failed_set", "succeeded", "finish"),
    [
        (None, set(), {0, 1, 2, 3}, None),
        (None, {2}, {0, 1}, None),
        (None, {2}, {0, 1, 3}, ALL),
        (0, {2}, set(), MAX),
        (1, {2}, {0, 1}, None),
        (1, {1, 2}, set(), MAX),
        (2, {0, 1}, {2, 3}, ALL),
    ],
    ids=["none-failed", "some-pending", "all-finished", "max-0", "within-max", "past-max", "at-max-all-done"],
)
def test_decide_indexes(
    most: int | None, failed_set: set[int], succeeded: set[int], finish: Finish | None
) -> None:
    """JOB-10: MaxFailedIndexesExceeded once more indexes failed than maxFailedIndexes; else
    FailedIndexes once every index finished and one failed (reasons and messages as upstream)."""
    assert perindex.decide_indexes(per_index(1, max_failed_indexes=most), failed_set, succeeded) == finish


def test_manage_skips_failed_indexes_ignores_the_job_backoff_and_carries_counts() -> None:
    """JOB-10: index 1 failed, index 0 held (count "0", finished 12 s ago: ready), index 2
    pending: both created, index 0 with count 1; the Job-wide backoff wait does not apply."""
    job = per_index(1, status=JobStatus(failed_indexes="1"))
    pods = [failed("zero", 0, "0", at=T0), a_pod("three", index=3)]
    census = take_census(job, pods, ())
    plan = plan_manage(job, census, backoff_wait=300.0, now=T0 + 12, backoff=BACKOFF)
    assert (plan.create, plan.indexes, plan.counts, plan.wait) == (2, (0, 2), ((1, 0), (0, 0)), 0.0)


def test_manage_waits_for_the_index_backoff() -> None:
    """JOB-10: the only pending index is held and its 10 s are not over: nothing is created, the
    sync asks to look again when they are."""
    job = per_index(2, completions=1)
    census = take_census(job, [failed("zero", 0, "0", at=T0)], ())
    plan = plan_manage(job, census, backoff_wait=0.0, now=T0 + 3, backoff=BACKOFF)
    assert (plan.create, plan.wait) == (0, 7.0)


@pytest.mark.parametrize(
    ("finish", "released"),
    [(None, []), (failure("FailedIndexes", "Job has failed indexes"), ["uid-zero"])],
    ids=["held-while-running", "released-when-failing"],
)
def test_tracking_keeps_the_held_pod_until_the_job_finishes(
    finish: Finish | None, released: list[str]
) -> None:
    """JOB-10: the held pod keeps its finalizer (so it is not counted yet) while its index waits,
    and is released and counted once the Job is finishing."""
    job = per_index(2, completions=1)
    pod = failed("zero", 0, "0")
    census = take_census(job, [pod], ())
    assert census.held == {0: pod} and census.failed == 1
    plan = plan_tracking(job, [pod], (), finish, held={p.metadata.uid for p in census.held.values()})
    assert [p.metadata.uid for p in plan.release] == released
    assert plan.failed == released
