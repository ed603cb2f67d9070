"""The pod writes of a Job sync: creates, deletes and finalizer removals, with their events and
expectations, so the sync stays a thin sequence.

- `create(job, key, plan)`: `plan.create` pods in slow-start batches (1, 2, 4, …; a failing
  batch stops the rest), recording the creations expected first and lowering them for every
  create that failed or was never tried (RS-7's rule, so a lagging cache never over-creates).
  Events `SuccessfulCreate` "Created pod: <name>" / Warning `FailedCreate` "Error creating: …".
  A create refused because the namespace is terminating is not an error. Returns the number
  created and the first error.
- `delete(job, key, pods, release_first)`: deletes concurrently, recording the deletions expected
  first; with `release_first` (excess and suspended pods, JOB-4, JOB-12) the tracking finalizer is
  removed before the delete, so the pod is never counted as failed. NotFound is success. Events
  `SuccessfulDelete` "Deleted pod: <name>" / Warning `FailedDelete` "Error deleting: …". Returns
  the pods deleted and the first error.
- `release(key, pods)`: removes the tracking finalizer of each pod (step 2 of the counting
  protocol, `tracking`), expecting each removal first in the finalizer expectations (a failed
  one is lowered again); a pod already gone counts as released. Returns the UIDs released and the first error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import anyio

from kubelite.api.batch import Job
from kubelite.api.core import Pod
from kubelite.api.errors import APIError, NotFound
from kubelite.client import Client, EventRecorder, PatchType
from kubelite.controllers.job.finalizers import FinalizerExpectations
from kubelite.controllers.job.manage import ManagePlan
from kubelite.controllers.job.writes import new_pod, release_patch
from kubelite.controllers.replicaset.pods import pod_key
from kubelite.controllers.runtime import Expectations, slow_start_batch


def _namespace_terminating(err: Exception) -> bool:
    return isinstance(err, APIError) and any(cause.reason == "NamespaceTerminating" for cause in err.causes)


@dataclass(slots=True)
class PodActions:
    client: Client
    recorder: EventRecorder
    expectations: Expectations
    finalizers: FinalizerExpectations

    async def create(self, job: Job, key: str, plan: ManagePlan) -> tuple[int, Exception | None]:
        self.expectations.expect_creations(key, plan.create)
        indexes = list(plan.indexes)
        counts = list(plan.counts)
        errors: list[Exception] = []
        created = attempted = 0

        async def create_one() -> None:
            nonlocal created, attempted
            index = indexes.pop(0) if indexes else None
            failures = counts.pop(0) if counts else None
            attempted += 1
            try:
                pod = await self.client.create(new_pod(job, index, failures))
            except Exception as err:
                self.expectations.lower_creations(key, 1)
                if _namespace_terminating(err):
                    return
                self.recorder.event(job, "Warning", "FailedCreate", f"Error creating: {err}")
                errors.append(err)
                raise
            created += 1
            self.recorder.event(job, "Normal", "SuccessfulCreate", f"Created pod: {pod.metadata.name}")

        await slow_start_batch(plan.create, create_one)
        if plan.create > attempted:
            self.expectations.lower_creations(key, plan.create - attempted)
        return created, errors[0] if errors else None

    async def delete(
        self, job: Job, key: str, pods: Sequence[Pod], *, release_first: bool
    ) -> tuple[list[Pod], Exception | None]:
        self.expectations.expect_deletions(key, [pod_key(pod) for pod in pods])
        deleted: list[Pod] = []
        errors: list[Exception] = []

        async def delete_one(pod: Pod) -> None:
            try:
                if release_first:
                    await self._release_one(pod)
                await self.client.delete(Pod, pod.metadata.name, pod.metadata.namespace)
            except NotFound:
                deleted.append(pod)
                self.expectations.deletion_observed(key, pod_key(pod))
                return
            except Exception as err:  # reported in the event; the sync is retried
                self.expectations.deletion_observed(key, pod_key(pod))
                self.recorder.event(job, "Warning", "FailedDelete", f"Error deleting: {err}")
                errors.append(err)
                return
            deleted.append(pod)
            self.recorder.event(job, "Normal", "SuccessfulDelete", f"Deleted pod: {pod.metadata.name}")

        async with anyio.create_task_group() as group:
            for pod in pods:
                group.start_soon(delete_one, pod)
        return deleted, errors[0] if errors else None

    async def release(self, key: str, pods: Sequence[Pod]) -> tuple[set[str], Exception | None]:
        released: set[str] = set()
        errors: list[Exception] = []
        self.finalizers.expect(key, [pod.metadata.uid for pod in pods])

        async def release_one(pod: Pod) -> None:
            try:
                present = await self._release_one(pod)
            except Exception as err:  # the pod keeps its finalizer and stays uncounted; retried
                self.finalizers.observed(key, pod.metadata.uid)
                errors.append(err)
                return
            if not present:
                self.finalizers.observed(key, pod.metadata.uid)
            released.add(pod.metadata.uid)

        async with anyio.create_task_group() as group:
            for pod in pods:
                group.start_soon(release_one, pod)
        return released, errors[0] if errors else None

    async def _release_one(self, pod: Pod) -> bool:
        """Remove the tracking finalizer; False when the pod is already gone."""
        meta = pod.metadata
        try:
            await self.client.patch(
                Pod, meta.name, release_patch(pod), meta.namespace, patch_type=PatchType.STRATEGIC
            )
        except NotFound:
            return False
        return True
