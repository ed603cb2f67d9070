"""What a Job's pods add up to at the start of a sync (JOB-3, JOB-5..JOB-8), pure.

`take_census(job, pods, expected_removals)` over the Job's claimed pods (active and finished):
- `active`, `terminating` and `ready` as JOB-3 defines them;
- `new_succeeded` / `new_failed`: finished pods not yet accounted for, i.e. still carrying the
  tracking finalizer, not in `status.uncountedTerminatedPods` and not awaiting an observed
  finalizer removal (`expected_removals`, UIDs); Indexed Jobs only consider pods with a valid
  index below `completions`; a failure that the `podFailurePolicy` ignores is not new;
- `succeeded` / `failed`: what the status will say once every known finish is counted: the
  stored counts + the uncounted UIDs + the new ones (Indexed: `succeeded` is the number of
  distinct succeeded indexes below `completions`, `succeeded_indexes`, as upstream recounts
  it). Neither ever goes below the stored count, except an Indexed `succeeded` when
  `completions` is scaled down past succeeded indexes (elastic Indexed Jobs): those are dropped.
- `terminating_indexes`: the completion indexes of the terminating pods (Indexed Jobs);
- with `backoffLimitPerIndex` (`perindex`): `failed_indexes` (stored and new) and `held`, the
  failed pod per index whose finalizer waits for its replacement.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from kubelite.api.batch import Job
from kubelite.api.core import Pod
from kubelite.controllers.job import perindex, policy
from kubelite.controllers.job.indexes import completion_index, parse_intervals
from kubelite.controllers.job.pods import (
    is_active,
    is_failed,
    is_ready,
    is_terminating,
    tracking_finalizer,
)


@dataclass(frozen=True, slots=True)
class Census:
    active: list[Pod] = field(default_factory=list)
    terminating: int = 0
    ready: int = 0
    new_succeeded: list[Pod] = field(default_factory=list)
    new_failed: list[Pod] = field(default_factory=list)
    succeeded: int = 0
    failed: int = 0
    succeeded_indexes: frozenset[int] = frozenset()
    failed_indexes: frozenset[int] = frozenset()
    terminating_indexes: frozenset[int] = frozenset()
    held: Mapping[int, Pod] = field(default_factory=dict)


def is_indexed(job: Job) -> bool:
    return job.spec.completion_mode == "Indexed" and job.spec.completions is not None


def valid_index(job: Job, pod: Pod) -> int | None:
    """The pod's completion index when the Job is Indexed and it is below `completions`."""
    index = completion_index(pod)
    if index is None or job.spec.completions is None or index >= job.spec.completions:
        return None
    return index


def uncounted_uids(job: Job) -> tuple[set[str], set[str]]:
    uncounted = job.status.uncounted_terminated_pods
    if uncounted is None:
        return set(), set()
    return set(uncounted.succeeded), set(uncounted.failed)


def _unaccounted(job: Job, pods: Sequence[Pod], skip: Collection[str]) -> list[Pod]:
    found = []
    for pod in pods:
        if not tracking_finalizer(pod) or pod.metadata.uid in skip:
            continue
        if is_indexed(job) and valid_index(job, pod) is None:
            continue
        found.append(pod)
    return found


def take_census(job: Job, pods: Sequence[Pod], expected_removals: Collection[str]) -> Census:
    done, failed = uncounted_uids(job)
    candidates = _unaccounted(job, pods, done | failed | set(expected_removals))
    new_succeeded = [pod for pod in candidates if pod.status.phase == "Succeeded"]
    new_failed = [
        pod
        for pod in candidates
        if pod.status.phase != "Succeeded" and is_failed(pod, job) and policy.counts(job, pod)
    ]
    active = [pod for pod in pods if is_active(pod)]
    indexes = _succeeded_indexes(job, new_succeeded)
    succeeded = job.status.succeeded + len(done) + len(new_succeeded)
    failed_indexes: set[int] = set()
    held: dict[int, Pod] = {}
    if perindex.has_per_index(job):
        failed_indexes = perindex.failed_indexes(job, pods)
        held = perindex.held_pods(job, pods, indexes, failed_indexes, active, expected_removals)
    return Census(
        active=active,
        terminating=sum(1 for pod in pods if is_terminating(pod)),
        ready=sum(1 for pod in active if is_ready(pod)),
        new_succeeded=new_succeeded,
        new_failed=new_failed,
        succeeded=len(indexes) if is_indexed(job) else succeeded,
        failed=job.status.failed + len(failed) + len(new_failed),
        succeeded_indexes=frozenset(indexes),
        failed_indexes=frozenset(failed_indexes),
        terminating_indexes=_terminating_indexes(job, pods),
        held=held,
    )


def _terminating_indexes(job: Job, pods: Sequence[Pod]) -> frozenset[int]:
    if not is_indexed(job):
        return frozenset()
    return frozenset(i for pod in pods if is_terminating(pod) and (i := completion_index(pod)) is not None)


def _succeeded_indexes(job: Job, new_succeeded: Sequence[Pod]) -> set[int]:
    if not is_indexed(job):
        return set()
    indexes = parse_intervals(job.status.completed_indexes, job.spec.completions)
    indexes.update(i for pod in new_succeeded if (i := valid_index(job, pod)) is not None)
    return indexes
