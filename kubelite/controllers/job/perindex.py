"""Indexed Jobs with `backoffLimitPerIndex` (KEP-3850; JOB-1, JOB-10, JOB-15), pure.

Each index retries on its own. The pods carry the count: a pod created for index i gets the
annotation `batch.kubernetes.io/job-index-failure-count` (the counted failures of the index
before it, "0" for the first) and, once an ignored failure happened, `…-ignored-failure-count`.
The annotations are the source of truth (a restarted controller reads them back); a value that
is not an int32 ≥ 0 reads as 0.

- `index_failed(job, pod)`: the failed pod ends its index: its `podFailurePolicy` rule is
  `FailIndex`, or its failure counts and the index already had `backoffLimitPerIndex` counted
  failures before it.
- `failed_indexes(job, pods)`: `status.failedIndexes` (below `completions`) plus the indexes of
  pods still tracked (finalizer) that `index_failed`.
- `held_pods(job, pods, succeeded, failed, active, expected_removals)`: per index neither
  succeeded, failed nor active, the latest failed pod still tracked (the highest absolute
  count, then the latest finish): its finalizer stays until the replacement exists, so the
  replacement can take its count over.
- `new_counts(job, replaced)`: the (failure, ignored) counts of a replacement of `replaced`
  (none: (0, 0)); `count_annotations(counts)` the annotations they make.
- `ready_indexes(indexes, held, now, base, cap)`: the indexes whose own backoff is over (the
  held pod's finish + `delay(absolute count + 1)`), and, when none is, the shortest wait.
- `decide_indexes(job, failed, succeeded)`: `MaxFailedIndexesExceeded` when more indexes failed
  than `maxFailedIndexes`, else `FailedIndexes` once every index succeeded or failed with at
  least one failed; else None.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence

from kubelite.api.batch import Job
from kubelite.api.core import Pod
from kubelite.controllers.job import conditions, policy
from kubelite.controllers.job.backoff import delay
from kubelite.controllers.job.conditions import Finish
from kubelite.controllers.job.failurepolicy import FAIL_INDEX
from kubelite.controllers.job.indexes import completion_index, parse_intervals
from kubelite.controllers.job.pods import finished_at, is_failed, tracking_finalizer

FAILURE_COUNT = "batch.kubernetes.io/job-index-failure-count"
IGNORED_FAILURE_COUNT = "batch.kubernetes.io/job-index-ignored-failure-count"
MAX_INT32 = 2**31 - 1

MAX_FAILED_INDEXES_EXCEEDED = "MaxFailedIndexesExceeded"
MAX_FAILED_INDEXES_MESSAGE = "Job has exceeded the specified maximal number of failed indexes"
FAILED_INDEXES = "FailedIndexes"
FAILED_INDEXES_MESSAGE = "Job has failed indexes"


def has_per_index(job: Job) -> bool:
    return (
        job.spec.completion_mode == "Indexed"
        and job.spec.completions is not None
        and job.spec.backoff_limit_per_index is not None
    )


def _annotation(pod: Pod, key: str) -> int:
    text = pod.metadata.annotations.get(key)
    if text is None or not text.isdigit() or int(text) > MAX_INT32:
        return 0
    return int(text)


def failure_count(pod: Pod) -> int:
    return _annotation(pod, FAILURE_COUNT)


def absolute_count(pod: Pod) -> int:
    return _annotation(pod, FAILURE_COUNT) + _annotation(pod, IGNORED_FAILURE_COUNT)


def _valid(job: Job, pod: Pod) -> int | None:
    index = completion_index(pod)
    completions = job.spec.completions
    return index if index is not None and completions is not None and index < completions else None


def index_failed(job: Job, pod: Pod) -> bool:
    if not is_failed(pod, job):
        return False
    match = policy.judge(job, pod)
    if match is not None and match.action == FAIL_INDEX:
        return True
    limit = job.spec.backoff_limit_per_index or 0
    return policy.counts(job, pod) and failure_count(pod) >= limit


def failed_indexes(job: Job, pods: Iterable[Pod]) -> set[int]:
    found = parse_intervals(job.status.failed_indexes or "", job.spec.completions)
    for pod in pods:
        index = _valid(job, pod)
        if index is not None and tracking_finalizer(pod) and index_failed(job, pod):
            found.add(index)
    return found


def _later(pod: Pod, than: Pod) -> bool:
    """Whether `pod` replaces `than` as the latest failure of its index."""
    if absolute_count(than) > absolute_count(pod):
        return False
    return (finished_at(pod) or 0.0) >= (finished_at(than) or 0.0)


def held_pods(
    job: Job,
    pods: Iterable[Pod],
    succeeded: Collection[int],
    failed: Collection[int],
    active: Iterable[Pod],
    expected_removals: Collection[str] = (),
) -> dict[int, Pod]:
    busy = {index for pod in active if (index := completion_index(pod)) is not None}
    held: dict[int, Pod] = {}
    for pod in pods:
        if not tracking_finalizer(pod) or pod.metadata.uid in expected_removals:
            continue
        index = _valid(job, pod)
        if index is None or index in succeeded or index in failed or index in busy:
            continue
        if not is_failed(pod, job):
            continue
        current = held.get(index)
        if current is None or _later(pod, current):
            held[index] = pod
    return held


def new_counts(job: Job, replaced: Pod | None) -> tuple[int, int]:
    if replaced is None:
        return 0, 0
    failures = failure_count(replaced)
    ignored = _annotation(replaced, IGNORED_FAILURE_COUNT)
    if policy.counts(job, replaced):
        return failures + 1, ignored
    return failures, ignored + 1


def count_annotations(counts: tuple[int, int]) -> dict[str, str]:
    failures, ignored = counts
    found = {FAILURE_COUNT: str(failures)}
    if ignored > 0:
        found[IGNORED_FAILURE_COUNT] = str(ignored)
    return found


def ready_indexes(
    indexes: Sequence[int], held: Mapping[int, Pod], now: float, base: float, cap: float
) -> tuple[list[int], float]:
    ready: list[int] = []
    waits: list[float] = []
    for index in indexes:
        wait = _index_wait(held.get(index), now, base, cap)
        if wait <= 0:
            ready.append(index)
        else:
            waits.append(wait)
    return ready, (0.0 if ready or not waits else min(waits))


def _index_wait(last: Pod | None, now: float, base: float, cap: float) -> float:
    if last is None:
        return 0.0
    finished = finished_at(last)
    start = finished if finished is not None else now
    return max(0.0, start + delay(absolute_count(last) + 1, base, cap) - now)


def decide_indexes(job: Job, failed: Collection[int], succeeded: Collection[int]) -> Finish | None:
    most = job.spec.max_failed_indexes
    if most is not None and len(failed) > most:
        return conditions.failure(MAX_FAILED_INDEXES_EXCEEDED, MAX_FAILED_INDEXES_MESSAGE)
    if failed and len(failed) + len(succeeded) >= (job.spec.completions or 0):
        return conditions.failure(FAILED_INDEXES, FAILED_INDEXES_MESSAGE)
    return None
