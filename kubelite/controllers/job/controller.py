"""`JobController`: the Job controller on a `Manager` (JOB-2..JOB-12, JOB-14, JOB-15).

    JobController(manager, client, recorder)       # recorder: EventRecorder(client, "job-controller")

Constructing it registers the controller `job-controller` (`settings.workers` workers) on the
manager's shared informers: Jobs (`for_kind`), their pods (`owns`), and orphan pods mapped to
every Job in their namespace whose selector matches; and `OrphanPodFinalizers`, which removes the
tracking finalizer of pods whose Job is gone or finished. A Pod handler only reports to the
expectations: creations and deletions (RS-7), and finalizer removals (`finalizers`). A deleted
Job's expectations and backoff record are forgotten.

One sync (`reconcile`), level-based, from the listers: a missing or finished Job (JOB-14) is left
alone; otherwise the Job's pods are claimed (RS-2 rules, `runtime.claims`: adopted pods get the
controller reference and the tracking finalizer, released ones lose both; the Job is re-read live
before the first adoption) and `sync.JobSync` does the rest. A Job whose selector cannot be parsed
is a terminal error (validation refuses it).
"""

from __future__ import annotations

import structlog

from kubelite.api.batch import Job
from kubelite.api.core import Pod
from kubelite.api.errors import NotFound
from kubelite.api.labels import Selector, from_label_selector
from kubelite.client import Client, EventRecorder, PatchType
from kubelite.controllers.job.actions import PodActions
from kubelite.controllers.job.conditions import is_finished
from kubelite.controllers.job.finalizers import FinalizerExpectations
from kubelite.controllers.job.orphans import OrphanPodFinalizers
from kubelite.controllers.job.pods import tracking_finalizer
from kubelite.controllers.job.settings import COMPONENT, JobSettings
from kubelite.controllers.job.sync import JobSync, SyncContext
from kubelite.controllers.job.writes import adopt_patch, orphan_patch
from kubelite.controllers.replicaset.index import claimable, ensure_pods_by_controller
from kubelite.controllers.replicaset.pods import pod_key
from kubelite.controllers.replicaset.writes import check_can_adopt
from kubelite.controllers.runtime import Expectations, Manager, Request, Result, TerminalError
from kubelite.controllers.runtime.claims import controller_of, plan_claims
from kubelite.informers import DeletedFinalStateUnknown, EventHandlers, unwrap

log = structlog.get_logger("kubelite.controllers.job")


class JobController:
    def __init__(
        self, manager: Manager, client: Client, recorder: EventRecorder, settings: JobSettings | None = None
    ) -> None:
        self.settings = settings or JobSettings()
        self._client = client
        self.expectations = Expectations(manager.clock, self.settings.expectations_timeout)
        self.finalizers = FinalizerExpectations()
        actions = PodActions(client, recorder, self.expectations, self.finalizers)
        self._ctx = SyncContext(
            client, recorder, manager.clock, self.settings, self.expectations, self.finalizers, actions
        )
        factory = manager.factory
        self._jobs = factory.lister(Job)
        self._pods = factory.lister(Pod)
        ensure_pods_by_controller(factory)
        factory.informer(Pod).add_event_handler(self._observer())
        factory.informer(Job).add_event_handler(EventHandlers(on_delete=self._forget))
        builder = manager.controller(COMPONENT, self, workers=self.settings.workers)
        builder.for_kind(Job).owns(Pod).watches(Pod, self._orphan_jobs)
        self.orphans = OrphanPodFinalizers(manager, client)

    async def reconcile(self, request: Request) -> Result | None:
        key = str(request)
        satisfied = self.expectations.satisfied(key)
        job = self._jobs.get(request.name, request.namespace)
        if job is None:
            self._forget_key(key)
            return None
        if is_finished(job):
            self._ctx.backoff.pop(key, None)
            return None
        pods = await self._claim(job)
        return await JobSync(self._ctx, key, job, pods).run(satisfied)

    async def _claim(self, job: Job) -> list[Pod]:
        selector = _selector(job)
        if selector is None:
            raise TerminalError(f"Job {job.metadata.name} has an invalid selector")
        deleting = job.metadata.deletion_timestamp is not None
        candidates = claimable(self._pods, job.metadata.uid, job.metadata.namespace)
        claims = plan_claims(job.metadata.uid, selector, candidates, owner_deleting=deleting)
        claimed = list(claims.owned)
        if claims.adopt:
            await check_can_adopt(self._client, job)
        for pod in claims.adopt:
            adopted = await self._patch(pod, adopt_patch(job, pod))
            if adopted is not None:
                claimed.append(adopted)
        for pod in claims.release:
            await self._patch(pod, orphan_patch(job, pod))
        return claimed

    async def _patch(self, pod: Pod, patch: dict[str, object]) -> Pod | None:
        meta = pod.metadata
        try:
            return await self._client.patch(
                Pod, meta.name, patch, meta.namespace, patch_type=PatchType.STRATEGIC
            )
        except NotFound:
            return None

    def _orphan_jobs(self, pod: Pod) -> list[Request]:
        if controller_of(pod) is not None:
            return []
        namespace = pod.metadata.namespace
        return [
            Request(namespace, job.metadata.name)
            for job in self._jobs.list(namespace)
            if (selector := _selector(job)) is not None and selector.matches(pod.metadata.labels)
        ]

    def _owner_key(self, pod: Pod) -> str | None:
        ref = controller_of(pod)
        if ref is None or ref.kind != "Job":
            return None
        return f"{pod.metadata.namespace}/{ref.name}"

    def _observer(self) -> EventHandlers[Pod]:
        def deleted(pod: Pod) -> None:
            if (key := self._owner_key(pod)) is not None:
                self.expectations.deletion_observed(key, pod_key(pod))

        def add(pod: Pod, _initial: bool) -> None:
            if pod.metadata.deletion_timestamp is not None:
                deleted(pod)
            elif (key := self._owner_key(pod)) is not None:
                self.expectations.creation_observed(key)

        def update(old: Pod, new: Pod) -> None:
            key = self._owner_key(new) or self._owner_key(old)
            if key is not None and tracking_finalizer(old) and not tracking_finalizer(new):
                self.finalizers.observed(key, new.metadata.uid)
            if new.metadata.deletion_timestamp is not None and old.metadata.deletion_timestamp is None:
                deleted(new)

        def delete(obj: Pod | DeletedFinalStateUnknown[Pod]) -> None:
            pod = unwrap(obj)
            deleted(pod)
            if (key := self._owner_key(pod)) is not None:
                self.finalizers.observed(key, pod.metadata.uid)

        return EventHandlers(on_add=add, on_update=update, on_delete=delete)

    def _forget(self, obj: Job | DeletedFinalStateUnknown[Job]) -> None:
        meta = unwrap(obj).metadata
        self._forget_key(f"{meta.namespace}/{meta.name}")

    def _forget_key(self, key: str) -> None:
        self.expectations.forget(key)
        self.finalizers.forget(key)
        self._ctx.backoff.pop(key, None)


def _selector(job: Job) -> Selector | None:
    if job.spec.selector is None:
        return None
    try:
        return from_label_selector(job.spec.selector)
    except ValueError:
        return None
