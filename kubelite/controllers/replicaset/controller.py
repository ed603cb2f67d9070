"""`ReplicaController`: the ReplicaSet and ReplicationController controllers, on a `Manager`.

    ReplicaController(manager, client, recorder, REPLICA_SET)             # or REPLICATION_CONTROLLER

Constructing it registers the controller (`kind.controller_name`, `settings.workers` workers) on the
manager's shared informers: the owner kind (`for_kind`), owned pods (`owns`), and orphan pods
mapped to every owner in their namespace whose selector matches them; a sync reads only the
owner's own pods and the namespace's orphans (`index`). A separate Pod handler only
reports to `expectations` (RS-7): a pod added with the owner as controller is an observed create;
a pod getting a `deletionTimestamp`, or deleted, an observed delete. A deleted owner's
expectations are forgotten.

One sync (`reconcile`), level-based, reading the listers:
1. claim the namespace's active pods (RS-2, RS-3; `kubelite.controllers.runtime.claims`),
   re-reading the owner live before the first adoption;
2. unless expectations are unsatisfied or the owner is being deleted (RS-9), create or delete the
   difference (RS-4, RS-5; `scale`), deletes in RS-6 order (`ranking`), recording expectations
   first; events `SuccessfulCreate`/`FailedCreate`/`SuccessfulDelete`/`FailedDelete` (RS-10);
3. write the status when it changed (RS-8; `status`); a create or delete error sets ReplicaFailure
   and the sync then fails (rate-limited retry); with minReadySeconds it resyncs when the next
   ready pod becomes available, and with unsatisfied expectations when they expire (upstream
   waits for the next event instead).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

import anyio
import structlog

from kubelite.api.core import Pod
from kubelite.api.errors import NotFound
from kubelite.api.labels import Selector
from kubelite.api.meta import Object
from kubelite.client import Client, EventRecorder
from kubelite.controllers.replicaset.index import claimable, controlled_by, ensure_pods_by_controller
from kubelite.controllers.replicaset.kinds import ReplicaKind
from kubelite.controllers.replicaset.pods import is_active, pod_key
from kubelite.controllers.replicaset.ranking import deletion_order
from kubelite.controllers.replicaset.scale import BURST_REPLICAS, plan_scale, scale_diff
from kubelite.controllers.replicaset.status import ManageFailure, compute_status, resync_after, status_patch
from kubelite.controllers.replicaset.writes import adopt, check_can_adopt, new_pod, release
from kubelite.controllers.runtime import (
    Expectations,
    Manager,
    Request,
    Result,
    TerminalError,
    slow_start_batch,
)
from kubelite.controllers.runtime.claims import Claims, controller_of, plan_claims
from kubelite.controllers.runtime.expectations import EXPECTATIONS_TIMEOUT
from kubelite.informers import DeletedFinalStateUnknown, EventHandlers, unwrap

OwnerT = TypeVar("OwnerT", bound=Object)
log = structlog.get_logger("kubelite.controllers.replicaset")


@dataclass(frozen=True, slots=True)
class ReplicaSetSettings:
    workers: int = 5
    """Concurrent syncs (upstream `--concurrent-replicaset-syncs`, 5)."""
    burst_replicas: int = BURST_REPLICAS
    """Most pods created or deleted by one sync (RS-4, RS-5; upstream 500)."""
    expectations_timeout: float = EXPECTATIONS_TIMEOUT
    """Seconds after which unobserved expectations no longer block a sync (RS-7; upstream 5 min)."""


EXPIRY_MARGIN = 0.001
"""The shortest requeue: expectations expire at their deadline, so look just after it."""


class ManageReplicasError(Exception):
    """A create or delete of this sync failed; the sync is retried with back-off."""


class ReplicaController(Generic[OwnerT]):
    def __init__(
        self,
        manager: Manager,
        client: Client,
        recorder: EventRecorder,
        kind: ReplicaKind[OwnerT],
        settings: ReplicaSetSettings | None = None,
    ) -> None:
        self.kind = kind
        self.settings = settings or ReplicaSetSettings()
        self._client, self._recorder, self._clock = client, recorder, manager.clock
        self.expectations = Expectations(manager.clock, self.settings.expectations_timeout)
        factory = manager.factory
        self._owners = factory.lister(kind.type)
        self._pods = factory.lister(Pod)
        ensure_pods_by_controller(factory)
        factory.informer(Pod).add_event_handler(self._observer())
        factory.informer(kind.type).add_event_handler(EventHandlers(on_delete=self._forget))
        builder = manager.controller(kind.controller_name, self, workers=self.settings.workers)
        builder.for_kind(kind.type).owns(Pod).watches(Pod, self._orphan_owners)

    async def reconcile(self, request: Request) -> Result | None:
        key = str(request)
        needs_sync = self.expectations.satisfied(key)
        owner = self._owners.get(request.name, request.namespace)
        if owner is None:
            self.expectations.forget(key)
            return None
        deleting = owner.metadata.deletion_timestamp is not None
        claimed = await self._claim(owner, deleting)
        failure = None
        if needs_sync and not deleting:
            failure = await self._manage(owner, key, claimed)
        await self._write_status(owner, claimed, failure)
        if failure is not None:
            raise ManageReplicasError(failure.message)
        delays = [
            resync_after(
                claimed,
                replicas=self.kind.replicas(owner),
                min_ready_seconds=self.kind.min_ready_seconds(owner),
                now=self._clock.now(),
            ),
            self.expectations.expires_in(key),
        ]
        pending = [delay for delay in delays if delay is not None]
        return Result(requeue_after=max(min(pending), EXPIRY_MARGIN)) if pending else None

    async def _claim(self, owner: OwnerT, deleting: bool) -> list[Pod]:
        selector = self._selector(owner)
        if selector is None:
            raise TerminalError(f"{self.kind.type.__name__} {owner.metadata.name} has an invalid selector")
        pods = [
            pod
            for pod in claimable(self._pods, owner.metadata.uid, owner.metadata.namespace)
            if is_active(pod)
        ]
        claims = plan_claims(owner.metadata.uid, selector, pods, owner_deleting=deleting)
        claimed = list(claims.owned)
        if claims.adopt:
            await check_can_adopt(self._client, owner)
        errors = await self._patch_claims(owner, claims, claimed)
        if errors:
            raise errors[0]
        return claimed

    async def _patch_claims(self, owner: OwnerT, claims: Claims[Pod], claimed: list[Pod]) -> list[Exception]:
        errors: list[Exception] = []
        for pod in claims.adopt:
            try:
                adopted = await adopt(self._client, owner, pod)
            except Exception as err:  # collected; the sync fails after trying every pod
                errors.append(err)
                continue
            if adopted is not None and is_active(adopted):
                claimed.append(adopted)
        for pod in claims.release:
            try:
                await release(self._client, owner, pod)
            except Exception as err:  # as above
                errors.append(err)
        return errors

    async def _manage(self, owner: OwnerT, key: str, claimed: list[Pod]) -> ManageFailure | None:
        replicas = self.kind.replicas(owner)
        plan = plan_scale(len(claimed), replicas, self.settings.burst_replicas)
        diff = scale_diff(len(claimed), replicas)
        message = None
        if plan.create:
            log.info("replicas_creating", count=plan.create, replicas=replicas, active=len(claimed))
            message = await self._create(owner, key, plan.create)
        elif plan.delete:
            log.info("replicas_deleting", count=plan.delete, replicas=replicas, active=len(claimed))
            message = await self._delete(owner, key, claimed, plan.delete)
        return ManageFailure(diff, message) if message is not None else None

    async def _create(self, owner: OwnerT, key: str, count: int) -> str | None:
        self.expectations.expect_creations(key, count)
        errors: list[str] = []
        attempted = 0
        pod = new_pod(owner, self.kind.template(owner))

        async def create_one() -> None:
            nonlocal attempted
            attempted += 1
            try:
                created = await self._client.create(pod)
            except Exception as err:
                self.expectations.lower_creations(key, 1)
                self._recorder.event(owner, "Warning", "FailedCreate", f"Error creating: {err}")
                errors.append(str(err))
                raise
            self._recorder.event(owner, "Normal", "SuccessfulCreate", f"Created pod: {created.metadata.name}")

        await slow_start_batch(count, create_one)
        if count > attempted:
            self.expectations.lower_creations(key, count - attempted)
        return errors[0] if errors else None

    async def _delete(self, owner: OwnerT, key: str, claimed: list[Pod], count: int) -> str | None:
        victims = deletion_order(claimed, self._related_pods(owner), self._clock.now())[:count]
        self.expectations.expect_deletions(key, [pod_key(pod) for pod in victims])
        errors: list[str] = []

        async def delete_one(pod: Pod) -> None:
            try:
                await self._client.delete(Pod, pod.metadata.name, pod.metadata.namespace)
            except NotFound:
                self.expectations.deletion_observed(key, pod_key(pod))
                return
            except Exception as err:  # reported in the condition and the event; the sync is retried
                self.expectations.deletion_observed(key, pod_key(pod))
                self._recorder.event(owner, "Warning", "FailedDelete", f"Error deleting: {err}")
                errors.append(str(err))
                return
            self._recorder.event(owner, "Normal", "SuccessfulDelete", f"Deleted pod: {pod.metadata.name}")

        async with anyio.create_task_group() as group:
            for pod in victims:
                group.start_soon(delete_one, pod)
        return errors[0] if errors else None

    def _related_pods(self, owner: OwnerT) -> list[Pod]:
        """Active pods of this owner and of its siblings (same controlling owner), for RS-6 ranks."""
        namespace, parent = owner.metadata.namespace, controller_of(owner)
        uids = {owner.metadata.uid}
        if parent is not None:
            for other in self._owners.list(namespace):
                ref = controller_of(other)
                if ref is not None and ref.uid == parent.uid:
                    uids.add(other.metadata.uid)
        return [pod for pod in controlled_by(self._pods, uids) if is_active(pod)]

    async def _write_status(self, owner: OwnerT, claimed: list[Pod], failure: ManageFailure | None) -> None:
        current = self.kind.status(owner)
        status = compute_status(
            claimed,
            template_labels=self.kind.template(owner).metadata.labels,
            min_ready_seconds=self.kind.min_ready_seconds(owner),
            generation=owner.metadata.generation,
            now=self._clock.now(),
            previous=current.conditions,
            failure=failure,
        )
        if status == current:
            return
        meta = owner.metadata
        try:
            await self._client.patch_status(self.kind.type, meta.name, status_patch(status), meta.namespace)
        except NotFound:
            return

    def _orphan_owners(self, pod: Pod) -> list[Request]:
        if controller_of(pod) is not None:
            return []
        namespace = pod.metadata.namespace
        return [
            Request(namespace, owner.metadata.name)
            for owner in self._owners.list(namespace)
            if (selector := self._selector(owner)) is not None and selector.matches(pod.metadata.labels)
        ]

    def _selector(self, owner: OwnerT) -> Selector | None:
        """The owner's selector; None if it cannot be parsed (validation should have refused it)."""
        try:
            return self.kind.selector(owner)
        except ValueError:
            return None

    def _owner_key(self, pod: Pod) -> str | None:
        ref = controller_of(pod)
        if ref is None or ref.kind != self.kind.type.__name__:
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
            if new.metadata.deletion_timestamp is not None and old.metadata.deletion_timestamp is None:
                deleted(new)

        def delete(pod: Pod | DeletedFinalStateUnknown[Pod]) -> None:
            deleted(unwrap(pod))

        return EventHandlers(on_add=add, on_update=update, on_delete=delete)

    def _forget(self, owner: OwnerT | DeletedFinalStateUnknown[OwnerT]) -> None:
        meta = unwrap(owner).metadata
        self.expectations.forget(f"{meta.namespace}/{meta.name}")
