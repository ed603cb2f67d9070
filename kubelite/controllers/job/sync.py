"""One sync of one running Job (JOB-2..JOB-12, JOB-15): the planners in order, and the writes.

`JobSync(ctx, key, job, pods).run(satisfied)` over the Job (not finished) and its claimed pods:
1. census (`census`), replacement backoff (`backoff`); `startTime` is set on the first sync not
   suspended, and reset to now on resume (JOB-12);
2. a finish already recorded (`FailureTarget`/`SuccessCriteriaMet`) or a new failure
   (`decide`); a failing Job deletes its active pods, keeping their finalizers so they count as
   failed (JOB-10); otherwise, when expectations are satisfied and the Job is not being deleted,
   the pods are created or deleted (`manage`), then completion is checked (JOB-5, JOB-6) and the
   `Suspended` condition and its event follow `spec.suspend` (JOB-12);
3. the counting protocol (`tracking`): status write with the new uncounted UIDs and the interim
   condition, finalizer removals, status write moving the UIDs into the counts; once nothing is
   uncounted, active or terminating, the terminal condition (`Complete` with `completionTime`,
   or `Failed`) goes into that write, and its events follow (`Completed`,
   `TooManySucceededPods`, or a Warning with the failure reason and message).
Every status write is a full update with the Job's resourceVersion: a stale cache gives a
Conflict and a retry, never a lost or doubled count. A write or pod error fails the sync after
the rest of it ran (rate-limited retry); the result asks for a requeue at the deadline
(JOB-11) or when the replacement backoff ends (JOB-9).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import msgspec

from kubelite.api.batch import Job, JobStatus, UncountedTerminatedPods
from kubelite.api.core import Pod
from kubelite.client import Client, EventRecorder
from kubelite.clock import Clock, rfc3339
from kubelite.controllers.job import conditions
from kubelite.controllers.job.actions import PodActions
from kubelite.controllers.job.backoff import BackoffRecord, advance, remaining
from kubelite.controllers.job.census import is_indexed, take_census
from kubelite.controllers.job.conditions import Finish
from kubelite.controllers.job.decide import deadline_in, decide_failure
from kubelite.controllers.job.finalizers import FinalizerExpectations
from kubelite.controllers.job.indexes import format_intervals, parse_intervals
from kubelite.controllers.job.manage import plan_manage
from kubelite.controllers.job.perindex import has_per_index
from kubelite.controllers.job.pods import finished_at, is_ready, tracking_finalizer
from kubelite.controllers.job.settings import JobSettings
from kubelite.controllers.job.tracking import TrackingPlan, move_counted, plan_tracking, with_uncounted
from kubelite.controllers.runtime import Expectations, Result


@dataclass(slots=True)
class SyncContext:
    """What every sync of one controller shares."""

    client: Client
    recorder: EventRecorder
    clock: Clock
    settings: JobSettings
    expectations: Expectations
    finalizers: FinalizerExpectations
    actions: PodActions
    backoff: dict[str, BackoffRecord] = field(default_factory=dict)


class JobSync:
    def __init__(self, ctx: SyncContext, key: str, job: Job, pods: list[Pod]) -> None:
        self.ctx, self.key, self.pods, self.stored = ctx, key, pods, job
        self.now = ctx.clock.now()
        self.suspend_conditions, self.suspend_event = conditions.suspend_transition(job, self.now)
        self.job = self._started(job)
        self.census = take_census(self.job, pods, ctx.finalizers.pending(key))
        times = [self._finished(pod) for pod in self.census.new_failed]
        done = [self._finished(pod) for pod in self.census.new_succeeded]
        self.record = advance(ctx.backoff.get(key, BackoffRecord()), done, times)
        self.requeue: list[float] = []
        self.errors: list[Exception] = []

    def _finished(self, pod: Pod) -> float:
        stamp = finished_at(pod)
        return stamp if stamp is not None else self.now

    def _started(self, job: Job) -> Job:
        start = job.status.start_time
        if not job.spec.suspend and (start is None or self.suspend_event == "Resumed"):
            start = rfc3339(self.now)
        uncounted = job.status.uncounted_terminated_pods or UncountedTerminatedPods()
        status = msgspec.structs.replace(job.status, start_time=start, uncounted_terminated_pods=uncounted)
        return msgspec.structs.replace(job, status=status)

    async def run(self, satisfied: bool) -> Result | None:
        finish = self._finish()
        left = list(self.census.active)
        managed = False
        if finish is not None and not finish.succeeded:
            left = _without(left, await self._delete(left, release_first=False))
            active = len(left)
        else:
            active = len(left)
            if finish is None and satisfied and self.job.metadata.deletion_timestamp is None:
                active, left = await self._manage(left)
                managed = True
            if finish is None and self._complete(active):
                finish = conditions.SUCCESS
        status = msgspec.structs.replace(
            self.job.status,
            active=active,
            ready=sum(1 for pod in left if is_ready(pod)),
            terminating=self.census.terminating,
            conditions=self.suspend_conditions if managed else self.job.status.conditions,
        )
        await self._track(status, finish, managed)
        if self.errors:
            raise self.errors[0]
        pending = [delay for delay in self.requeue if delay > 0]
        return Result(requeue_after=min(pending)) if pending else None

    def _finish(self) -> Finish | None:
        """The finish already recorded, or a new failure; else requeue at the deadline, if any."""
        finish = conditions.recorded_finish(self.job) or decide_failure(
            self.job, self.census, self.pods, self.now
        )
        if finish is None and (deadline := deadline_in(self.job, self.now)) is not None:
            self.requeue.append(deadline)
        return finish

    async def _manage(self, active_pods: list[Pod]) -> tuple[int, list[Pod]]:
        settings = self.ctx.settings
        wait = remaining(self.record, self.now, settings.backoff_base, settings.backoff_cap)
        backoff = (settings.backoff_base, settings.backoff_cap)
        plan = plan_manage(self.job, self.census, wait, self.now, settings.burst, backoff)
        if plan.wait:
            self.requeue.append(plan.wait)
        if plan.delete:
            deleted = await self._delete(list(plan.delete), release_first=True)
            left = _without(active_pods, deleted)
            return len(left), left
        if plan.create:
            created, error = await self.ctx.actions.create(self.job, self.key, plan)
            if error is not None:
                self.errors.append(error)
            return len(active_pods) + created, active_pods
        return len(active_pods), active_pods

    async def _delete(self, pods: list[Pod], *, release_first: bool) -> list[Pod]:
        if not pods:
            return []
        deleted, error = await self.ctx.actions.delete(self.job, self.key, pods, release_first=release_first)
        if error is not None:
            self.errors.append(error)
        return deleted

    def _complete(self, active: int) -> bool:
        completions = self.job.spec.completions
        if active != 0 or self.job.spec.suspend:
            return False
        if completions is None:
            return self.census.succeeded > 0
        return self.census.succeeded >= completions

    async def _track(self, status: JobStatus, finish: Finish | None, managed: bool) -> None:
        stored = parse_intervals(self.job.status.completed_indexes, self.job.spec.completions)
        plan = plan_tracking(
            self.job,
            self.pods,
            self.ctx.finalizers.pending(self.key),
            finish,
            stored,
            self.ctx.settings.max_uncounted,
            held={pod.metadata.uid for pod in self.census.held.values()},
        )
        status = with_uncounted(status, plan)
        if is_indexed(self.job):
            indexes = stored | plan.indexes
            status = msgspec.structs.replace(
                status,
                completed_indexes=format_intervals(indexes),
                succeeded=len(indexes),
            )
        if has_per_index(self.job):
            failed = format_intervals(self.census.failed_indexes)
            status = msgspec.structs.replace(status, failed_indexes=failed)
        if finish is not None:
            updated, _ = conditions.ensure(
                status.conditions, finish.type, "True", finish.reason, finish.message, self.now
            )
            status = msgspec.structs.replace(status, conditions=updated)
        job = await self._write(self.stored, status)
        if job is None:
            return
        self.ctx.backoff[self.key] = self.record
        if managed and self.suspend_event is not None:
            self._event(job, "Normal", self.suspend_event, _SUSPEND_MESSAGES[self.suspend_event])
        await self._release_and_count(job, plan, finish)

    async def _release_and_count(self, job: Job, plan: TrackingPlan, finish: Finish | None) -> None:
        released, error = await self.ctx.actions.release(self.key, plan.release)
        if error is not None:
            self.errors.append(error)
        with_finalizer = {p.metadata.uid for p in self.pods if tracking_finalizer(p)} - released
        status = move_counted(job.status, with_finalizer)
        terminal = finish is not None and not plan.capped and self._may_finish(status)
        if finish is not None and terminal:
            status = self._finished_status(status, finish)
        written = await self._write(job, status)
        if written is not None and finish is not None and terminal:
            self._finish_events(written, finish)

    def _may_finish(self, status: JobStatus) -> bool:
        uncounted = status.uncounted_terminated_pods
        if uncounted is not None and (uncounted.succeeded or uncounted.failed):
            return False
        return not self.census.active and self.census.terminating == 0 and status.active == 0

    def _finished_status(self, status: JobStatus, finish: Finish) -> JobStatus:
        updated, _ = conditions.ensure(
            status.conditions, finish.terminal, "True", finish.reason, finish.message, self.now
        )
        completion = rfc3339(self.now) if finish.succeeded else None
        return msgspec.structs.replace(status, conditions=updated, completion_time=completion)

    def _finish_events(self, job: Job, finish: Finish) -> None:
        if not finish.succeeded:
            self._event(job, "Warning", finish.reason, finish.message)
            return
        completions = job.spec.completions
        if completions is not None and job.status.succeeded > completions:
            self._event(
                job,
                "Warning",
                "TooManySucceededPods",
                "Too many succeeded pods running after completion count reached",
            )
        self._event(job, "Normal", "Completed", "Job completed")

    def _event(self, job: Job, type: str, reason: str, message: str) -> None:
        self.ctx.recorder.event(job, type, reason, message)

    async def _write(self, job: Job, status: JobStatus) -> Job | None:
        """Write `status` unless it is already stored; None when the write failed (recorded)."""
        if status == job.status:
            return job
        try:
            return await self.ctx.client.update_status(msgspec.structs.replace(job, status=status))
        except Exception as err:  # the sync fails and is retried from the stored state
            self.errors.append(err)
            return None


_SUSPEND_MESSAGES = {
    "Suspended": conditions.JOB_SUSPENDED_MESSAGE,
    "Resumed": conditions.JOB_RESUMED_MESSAGE,
}


def _without(pods: list[Pod], removed: list[Pod]) -> list[Pod]:
    gone = {pod.metadata.uid for pod in removed}
    return [pod for pod in pods if pod.metadata.uid not in gone]
