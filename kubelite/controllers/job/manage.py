"""How many pods a running Job creates or deletes in one sync (JOB-2, JOB-4, JOB-6, JOB-9,
JOB-12), pure.

`want_active(completions, parallelism, succeeded, active)` (JOB-4): with no `completions`,
`parallelism` until the first success and then the current `active`; otherwise
`clamp(completions − succeeded, 0, parallelism)`.

`plan_manage(job, census, backoff_wait, now, burst)` returns one `ManagePlan`, which either
deletes or creates, never both, at most `burst` (500) pods:
- a suspended Job deletes every active pod (their finalizers are removed first, so they are not
  counted as failed; JOB-12);
- otherwise it deletes the Indexed duplicates and out-of-range pods (JOB-6) and the excess over
  `wantActive`, the rest in RS-6 order;
- otherwise it creates the shortfall (minus terminating pods under `podReplacementPolicy:
  Failed`), unless the replacement backoff has `backoff_wait` seconds to go (JOB-9): then it
  creates nothing and says when to look again (`wait`). Indexed Jobs create the lowest pending
  indexes (neither succeeded, failed nor active; under policy `Failed` nor terminating).
- with `backoffLimitPerIndex` the Job-wide backoff does not apply: each index waits for its own
  (`perindex.ready_indexes`, `base`/`cap` as JOB-9); the indexes still waiting only give `wait`
  when no index is ready; each created pod carries its index's failure counts (`counts`).
"""

from __future__ import annotations

from dataclasses import dataclass

from kubelite.api.batch import Job
from kubelite.api.core import Pod
from kubelite.controllers.job import perindex
from kubelite.controllers.job.census import Census, is_indexed
from kubelite.controllers.job.indexes import completion_index, pending_indexes, split_duplicates
from kubelite.controllers.job.pods import only_replace_failed
from kubelite.controllers.replicaset.ranking import deletion_order

MAX_POD_CHANGES_PER_SYNC = 500


@dataclass(frozen=True, slots=True)
class ManagePlan:
    create: int = 0
    indexes: tuple[int, ...] = ()
    """Indexed Jobs: the completion index of each pod to create (`len == create`)."""
    counts: tuple[tuple[int, int], ...] = ()
    """`backoffLimitPerIndex`: the (failure, ignored failure) counts of each pod to create."""
    delete: tuple[Pod, ...] = ()
    wait: float = 0.0
    """Seconds the replacement backoff still holds creation back (0: none)."""


def want_active(completions: int | None, parallelism: int, succeeded: int, active: int) -> int:
    if completions is None:
        return active if succeeded > 0 else parallelism
    return max(0, min(completions - succeeded, parallelism))


def plan_manage(
    job: Job,
    census: Census,
    backoff_wait: float,
    now: float,
    burst: int = MAX_POD_CHANGES_PER_SYNC,
    backoff: tuple[float, float] = (10.0, 360.0),
) -> ManagePlan:
    active = census.active
    if job.spec.suspend:
        return ManagePlan(delete=tuple(deletion_order(active, active, now)[:burst]))
    parallelism = job.spec.parallelism if job.spec.parallelism is not None else 1
    want = want_active(job.spec.completions, parallelism, census.succeeded, len(active))
    victims = _victims(job, active, max(0, len(active) - want), now)
    if victims:
        return ManagePlan(delete=tuple(victims[:burst]))
    terminating = census.terminating if only_replace_failed(job) else 0
    shortfall = want - terminating - len(active)
    if shortfall <= 0:
        return ManagePlan()
    if backoff_wait > 0 and not perindex.has_per_index(job):
        return ManagePlan(wait=backoff_wait)
    count = min(shortfall, burst)
    if not is_indexed(job):
        return ManagePlan(create=count)
    return _create_indexed(job, census, count, now, backoff)


def _create_indexed(
    job: Job, census: Census, count: int, now: float, backoff: tuple[float, float]
) -> ManagePlan:
    busy = {i for pod in census.active if (i := completion_index(pod)) is not None}
    if only_replace_failed(job):
        busy |= census.terminating_indexes
    done = set(census.succeeded_indexes) | set(census.failed_indexes)
    indexes = pending_indexes(job.spec.completions or 0, done, busy, count)
    if not perindex.has_per_index(job):
        return ManagePlan(create=len(indexes), indexes=tuple(indexes))
    ready, wait = perindex.ready_indexes(indexes, census.held, now, *backoff)
    counts = tuple(perindex.new_counts(job, census.held.get(index)) for index in ready)
    return ManagePlan(create=len(ready), indexes=tuple(ready), counts=counts, wait=wait)


def _victims(job: Job, active: list[Pod], at_least: int, now: float) -> list[Pod]:
    remove: list[Pod] = []
    left = active
    if is_indexed(job):
        remove, left = split_duplicates(active, job.spec.completions or 0, now)
    if len(remove) < at_least:
        remove += deletion_order(left, active, now)[: at_least - len(remove)]
    return remove
