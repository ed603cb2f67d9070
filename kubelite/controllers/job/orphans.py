"""`OrphanPodFinalizers`: pods whose Job is gone or finished lose the tracking finalizer, so they
never hang in deletion (upstream's orphan-pod queue).

A reconciler keyed by pod (`job-orphan-pod-finalizers`), registered on the manager's shared
informers by `JobController`. A pod is enqueued when it carries `batch.kubernetes.io/job-tracking`
and its controller Job (by UID) is missing from the cache or finished, or it has no controller
reference at all (the Job was deleted with `propagationPolicy: Orphan`, JOB-16, or released it);
a deleted or finished Job enqueues its pods that still carry the finalizer. Before the patch, a
pod whose controller Job exists with that UID and is not finished (re-read live when the cache
does not have it) is left to the Job controller. The patch carries the pod's UID. A pod gone
meanwhile is done.
"""

from __future__ import annotations

from kubelite.api.batch import Job
from kubelite.api.core import Pod
from kubelite.api.errors import NotFound
from kubelite.client import Client, PatchType
from kubelite.controllers.job.conditions import is_finished
from kubelite.controllers.job.pods import tracking_finalizer
from kubelite.controllers.job.writes import release_patch
from kubelite.controllers.replicaset.index import PODS_BY_CONTROLLER, ensure_pods_by_controller
from kubelite.controllers.runtime import Manager, Request, Result
from kubelite.controllers.runtime.claims import controller_of
from kubelite.informers import DeletedFinalStateUnknown, EventHandlers, unwrap

NAME = "job-orphan-pod-finalizers"


class OrphanPodFinalizers:
    def __init__(self, manager: Manager, client: Client) -> None:
        self._client = client
        factory = manager.factory
        ensure_pods_by_controller(factory)
        self._jobs = factory.lister(Job)
        self._pods = factory.lister(Pod)
        builder = manager.controller(NAME, self)
        builder.watches(Pod, self._if_orphaned)
        enqueue = builder.controller.enqueue

        def job_gone(obj: Job | DeletedFinalStateUnknown[Job]) -> None:
            for request in self._pods_of(unwrap(obj)):
                enqueue(request)

        def job_updated(old: Job, new: Job) -> None:
            if is_finished(new) and not is_finished(old):
                job_gone(new)

        factory.informer(Job).add_event_handler(EventHandlers(on_update=job_updated, on_delete=job_gone))

    def _pods_of(self, job: Job) -> list[Request]:
        return [
            Request(pod.metadata.namespace, pod.metadata.name)
            for pod in self._pods.by_index(PODS_BY_CONTROLLER, job.metadata.uid)
            if tracking_finalizer(pod)
        ]

    def _if_orphaned(self, pod: Pod) -> list[Request]:
        if not tracking_finalizer(pod) or self._leave_alone(pod):
            return []
        return [Request(pod.metadata.namespace, pod.metadata.name)]

    def _leave_alone(self, pod: Pod) -> bool:
        """Whether the cache shows the pod's controller as a running Job (or not a Job at all)."""
        ref = controller_of(pod)
        if ref is None:
            return False
        if ref.kind != "Job" or not ref.api_version.startswith("batch/"):
            return True
        job = self._jobs.get(ref.name, pod.metadata.namespace)
        return job is not None and job.metadata.uid == ref.uid and not is_finished(job)

    async def reconcile(self, request: Request) -> Result | None:
        pod = self._pods.get(request.name, request.namespace)
        if pod is None or not tracking_finalizer(pod):
            return None
        if self._leave_alone(pod) or await self._live_job_running(pod):
            return None
        try:
            await self._client.patch(
                Pod,
                pod.metadata.name,
                release_patch(pod),
                pod.metadata.namespace,
                patch_type=PatchType.STRATEGIC,
            )
        except NotFound:
            return None
        return None

    async def _live_job_running(self, pod: Pod) -> bool:
        ref = controller_of(pod)
        if ref is None:
            return False
        try:
            job = await self._client.get(Job, ref.name, pod.metadata.namespace)
        except NotFound:
            return False
        return job.metadata.uid == ref.uid and not is_finished(job)
