"""Counting finished pods through the tracking finalizer (JOB-5..JOB-7, JOB-10, JOB-15), pure.

The protocol, which keeps `succeeded` and `failed` exact across controller restarts and failed
writes (they never decrease and never count a pod twice):
1. a finished pod that still has `batch.kubernetes.io/job-tracking` gets its UID added to
   `status.uncountedTerminatedPods` (Indexed successes go straight into `completedIndexes`, a
   set), and that status is written;
2. only then is the pod's finalizer removed;
3. a UID in `uncountedTerminatedPods` whose pod no longer has the finalizer (removed, or the pod
   is gone) moves into `succeeded` / `failed` (`move_counted`), and that status is written.
A restart between any two steps resumes at the next one: step 1 skips UIDs already listed,
step 3 is a pure function of the status and the pods.

`plan_tracking(job, pods, expected_removals, finish, max_uncounted)` is step 1 for one sync. A pod
with the finalizer (and not awaiting an observed removal) is released when it Succeeded, when it
counts as failed (JOB-7), when the Job is being deleted, or when the Job is finishing (`finish`).
A released pod that Succeeded is a success; otherwise it is a failure when it failed or the Job is
failing (every unfinished pod of a failing Job counts as failed), unless the `podFailurePolicy`
ignores it. Indexed Jobs count only pods with a valid index below `completions`, once per index.
At most `max_uncounted` new entries are planned per sync (upstream's 500), so the UID lists stay
small; `capped` says the plan stopped early and the Job may not finish in this sync. A `held`
pod (UIDs; `backoffLimitPerIndex`, the failed pod whose count its replacement takes over) is
released only once the Job is finishing or being deleted.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

import msgspec

from kubelite.api.batch import Job, JobStatus, UncountedTerminatedPods
from kubelite.api.core import Pod
from kubelite.controllers.job import policy
from kubelite.controllers.job.census import is_indexed, uncounted_uids, valid_index
from kubelite.controllers.job.conditions import Finish
from kubelite.controllers.job.pods import is_failed, tracking_finalizer

MAX_UNCOUNTED_PODS = 500


@dataclass(slots=True)
class TrackingPlan:
    release: list[Pod] = field(default_factory=list)
    succeeded: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    indexes: set[int] = field(default_factory=set)
    capped: bool = False

    @property
    def changes_status(self) -> bool:
        return bool(self.succeeded or self.failed or self.indexes)


def releasable(job: Job, pod: Pod, finish: Finish | None, held: Collection[str] = ()) -> bool:
    if job.metadata.deletion_timestamp is not None or finish is not None:
        return True
    if pod.status.phase == "Succeeded":
        return True
    return is_failed(pod, job) and pod.metadata.uid not in held


def plan_tracking(
    job: Job,
    pods: Sequence[Pod],
    expected_removals: Collection[str],
    finish: Finish | None,
    succeeded_indexes: Collection[int] = (),
    max_uncounted: int = MAX_UNCOUNTED_PODS,
    held: Collection[str] = (),
) -> TrackingPlan:
    plan = TrackingPlan()
    done, failed = uncounted_uids(job)
    failing = finish is not None and not finish.succeeded
    for pod in pods:
        uid = pod.metadata.uid
        if not tracking_finalizer(pod) or uid in expected_removals:
            continue
        if not releasable(job, pod, finish, held):
            continue
        plan.release.append(pod)
        if not is_indexed(job):
            _count(job, pod, plan, done, failed, failing)
        elif (index := valid_index(job, pod)) is not None:
            _count_indexed(job, pod, index, plan, succeeded_indexes, failed, failing)
        if len(plan.succeeded) + len(plan.failed) + len(plan.indexes) >= max_uncounted:
            plan.capped = True
            break
    return plan


def _counts_failed(job: Job, pod: Pod, failed: set[str], failing: bool) -> bool:
    return (is_failed(pod, job) or failing) and pod.metadata.uid not in failed and policy.counts(job, pod)


def _count(job: Job, pod: Pod, plan: TrackingPlan, done: set[str], failed: set[str], failing: bool) -> None:
    uid = pod.metadata.uid
    if pod.status.phase == "Succeeded" and uid not in failed:
        if uid not in done:
            plan.succeeded.append(uid)
    elif _counts_failed(job, pod, failed, failing):
        plan.failed.append(uid)


def _count_indexed(
    job: Job,
    pod: Pod,
    index: int,
    plan: TrackingPlan,
    succeeded: Collection[int],
    failed: set[str],
    failing: bool,
) -> None:
    if pod.status.phase == "Succeeded" and pod.metadata.uid not in failed:
        if index not in succeeded:
            plan.indexes.add(index)
    elif _counts_failed(job, pod, failed, failing):
        plan.failed.append(pod.metadata.uid)


def with_uncounted(status: JobStatus, plan: TrackingPlan) -> JobStatus:
    """`status` with the plan's UIDs appended to `uncountedTerminatedPods` (step 1)."""
    current = status.uncounted_terminated_pods or UncountedTerminatedPods()
    uncounted = UncountedTerminatedPods(
        succeeded=[*current.succeeded, *plan.succeeded], failed=[*current.failed, *plan.failed]
    )
    return msgspec.structs.replace(status, uncounted_terminated_pods=uncounted)


def move_counted(status: JobStatus, with_finalizer: Collection[str]) -> JobStatus:
    """Step 3: uncounted UIDs whose pod has no finalizer any more move into the counts."""
    current = status.uncounted_terminated_pods or UncountedTerminatedPods()
    keep_done = [uid for uid in current.succeeded if uid in with_finalizer]
    keep_failed = [uid for uid in current.failed if uid in with_finalizer]
    return msgspec.structs.replace(
        status,
        succeeded=status.succeeded + len(current.succeeded) - len(keep_done),
        failed=status.failed + len(current.failed) - len(keep_failed),
        uncounted_terminated_pods=UncountedTerminatedPods(succeeded=keep_done, failed=keep_failed),
    )
