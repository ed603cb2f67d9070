"""`GarbageCollector`: deletes objects whose owners are gone and carries out Foreground and Orphan
deletion (upstream's `garbagecollector.go`; GC-2..GC-6).

    gc = GarbageCollector(manager, client, registry, recorder)
    await task_group.start(gc.run)   # the graph monitors; the reconciler runs on the manager

Keys are object uids (`Request("", uid)`), queued by the graph (`graph`); a reconcile reads the
graph for relations and the API for every decision it writes on:
- an object being deleted with the `orphan` finalizer: its uid is removed from every dependent's
  ownerReferences, then the finalizer (GC-6);
- an object being deleted with `foregroundDeletion`: once no dependent with
  `blockOwnerDeletion=true` is left, the finalizer goes (GC-5); its dependents are deleted by
  their own reconciles, as their owner is "waiting";
- any other object with owners (unless it is being deleted): each reference is classified against
  the graph, an absent-looking owner confirmed by a live GET (the graph may lag), then `plan`
  decides: keep, drop the dangling and waiting references, or DELETE with a uid precondition
  (a Foreground DELETE inside a blocking ownership cycle first unblocks the object's references).
Writes are GET + update with the read resourceVersion: a conflict fails the reconcile, which is
retried with backoff. A reference to an unknown kind is retried the same way (the kind may be
registered later). Invalid references (GC-2) get a Warning `OwnerRefInvalidNamespace` on the
dependent: one to a namespaced owner from a cluster-scoped object is never resolved, so such an
object is left alone (as upstream); one whose uid lives in another namespace counts as absent.
"""

from __future__ import annotations

from dataclasses import dataclass

import anyio
import msgspec
import structlog
from anyio.abc import TaskStatus

from kubelite.api.errors import Conflict, NotFound
from kubelite.api.meta import DeleteOptions, Object, OwnerReference, Preconditions
from kubelite.api.registry import Registry, ResourceInfo
from kubelite.client import Client, EventRecorder
from kubelite.controllers.garbagecollector.graph import FOREGROUND, ORPHAN, Graph, Node
from kubelite.controllers.garbagecollector.monitor import GraphMonitors
from kubelite.controllers.garbagecollector.plan import (
    Action,
    Delete,
    RefState,
    RemoveRefs,
    foreground_done,
    plan_dependent,
    unblock_first,
)
from kubelite.controllers.runtime import Manager, Request, Result, TerminalError

log = structlog.get_logger("kubelite.controllers.garbagecollector")
INVALID_NAMESPACE = "OwnerRefInvalidNamespace"


@dataclass(frozen=True, slots=True)
class GCSettings:
    workers: int = 4
    """Concurrent reconciles (upstream's --concurrent-gc-syncs defaults to 20)."""


class GarbageCollector:
    def __init__(
        self,
        manager: Manager,
        client: Client,
        registry: Registry,
        recorder: EventRecorder | None = None,
        settings: GCSettings | None = None,
    ) -> None:
        self.settings = settings or GCSettings()
        self.graph = Graph()
        self._client = client
        self._registry = registry
        self._recorder = recorder
        controller = manager.controller("garbage-collector", self, workers=self.settings.workers).controller
        self._enqueue = controller.enqueue
        self.monitors = GraphMonitors(
            client,
            registry,
            self.graph,
            lambda uid: controller.enqueue(Request("", uid)),
            clock=manager.clock,
        )

    async def run(self, *, task_status: TaskStatus[None] = anyio.TASK_STATUS_IGNORED) -> None:
        """Run the graph monitors (ready once every kind was listed); the manager runs the rest."""
        await self.monitors.run(task_status=task_status)

    async def reconcile(self, request: Request) -> Result | None:
        node = self.graph.get(request.name)
        if node is None:
            return None
        if node.orphan:
            await self._orphan_dependents(node)
        elif node.foreground:
            await self._finish_foreground(node)
        elif not node.deleting and node.owners:
            await self._collect(node)
        return None

    async def _orphan_dependents(self, node: Node) -> None:
        for dependent in self.graph.dependents(node.uid):
            await self._remove_refs(dependent, (node.uid,))
        await self._remove_finalizer(node, ORPHAN)

    async def _finish_foreground(self, node: Node) -> None:
        dependents = self.graph.dependents(node.uid)
        blocking = [bool((ref := d.owner(node.uid)) and ref.blocking) for d in dependents]
        if foreground_done(blocking):
            await self._remove_finalizer(node, FOREGROUND)
            return
        for dependent in dependents:
            if not dependent.deleting:
                self._enqueue(Request("", dependent.uid))

    async def _collect(self, node: Node) -> None:
        latest = await self._live(node)
        if latest is None or not latest.metadata.owner_references:
            return
        refs = [
            (ref.uid, await self._classify(node, latest, ref)) for ref in latest.metadata.owner_references
        ]
        dependents = self.graph.dependents(node.uid)
        action = plan_dependent(refs, latest.metadata.finalizers, bool(dependents))
        if unblock_first(action, [d.foreground for d in dependents]):
            await self._unblock_refs(node)
        await self._act(node, action)

    async def _act(self, node: Node, action: Action) -> None:
        if isinstance(action, RemoveRefs):
            await self._remove_refs(node, action.uids)
        elif isinstance(action, Delete):
            log.info(
                "gc_delete",
                kind=node.info.kind,
                namespace=node.namespace,
                name=node.name,
                policy=action.policy,
            )
            options = DeleteOptions(
                propagation_policy=action.policy, preconditions=Preconditions(uid=node.uid)
            )
            try:
                await self._client.delete(node.info.type, node.name, node.namespace, options=options)
            except (NotFound, Conflict):
                return  # gone already, or replaced by another object of the same name

    async def _classify(self, node: Node, latest: Object, ref: OwnerReference) -> RefState:
        info = self._owner_info(ref)
        if info.namespaced and not node.namespace:
            self._invalid(latest, ref, "")
            raise TerminalError(f"cluster-scoped {node.info.kind} {node.name} refers to a namespaced owner")
        namespace = node.namespace if info.namespaced else ""
        known = self.graph.get(ref.uid)
        if known is not None and known.info == info and known.name == ref.name:
            if known.namespace == namespace:
                return RefState.WAITING if known.foreground else RefState.SOLID
            self._invalid(latest, ref, namespace)
        return await self._live_owner(info, ref, namespace)

    async def _live_owner(self, info: ResourceInfo, ref: OwnerReference, namespace: str) -> RefState:
        try:
            owner = await self._client.get(info.type, ref.name, namespace)
        except NotFound:
            return RefState.DANGLING
        meta = owner.metadata
        if meta.uid != ref.uid:
            return RefState.DANGLING
        waiting = meta.deletion_timestamp is not None and FOREGROUND in meta.finalizers
        return RefState.WAITING if waiting else RefState.SOLID

    def _owner_info(self, ref: OwnerReference) -> ResourceInfo:
        group, _, version = ref.api_version.rpartition("/")
        return self._registry.by_kind(group, version, ref.kind)

    def _invalid(self, dependent: Object, ref: OwnerReference, namespace: str) -> None:
        if self._recorder is None:
            return
        message = (
            f"ownerRef [{ref.api_version}/{ref.kind}, namespace: {namespace}, name: {ref.name}, "
            f"uid: {ref.uid}] does not exist in namespace {dependent.metadata.namespace!r}"
        )
        self._recorder.event(dependent, "Warning", INVALID_NAMESPACE, message.replace("'", '"'))

    async def _live(self, node: Node) -> Object | None:
        try:
            obj = await self._client.get(node.info.type, node.name, node.namespace)
        except NotFound:
            return None
        return obj if obj.metadata.uid == node.uid else None

    async def _remove_refs(self, node: Node, uids: tuple[str, ...]) -> None:
        obj = await self._live(node)
        if obj is None:
            return
        refs = [ref for ref in obj.metadata.owner_references if ref.uid not in uids]
        if len(refs) == len(obj.metadata.owner_references):
            return
        meta = msgspec.structs.replace(obj.metadata, owner_references=refs)
        await self._update(msgspec.structs.replace(obj, metadata=meta))

    async def _unblock_refs(self, node: Node) -> None:
        obj = await self._live(node)
        if obj is None:
            return
        refs = [
            msgspec.structs.replace(ref, block_owner_deletion=False) if ref.block_owner_deletion else ref
            for ref in obj.metadata.owner_references
        ]
        meta = msgspec.structs.replace(obj.metadata, owner_references=refs)
        await self._update(msgspec.structs.replace(obj, metadata=meta))

    async def _remove_finalizer(self, node: Node, finalizer: str) -> None:
        obj = await self._live(node)
        if obj is None or finalizer not in obj.metadata.finalizers:
            return
        finalizers = [f for f in obj.metadata.finalizers if f != finalizer]
        meta = msgspec.structs.replace(obj.metadata, finalizers=finalizers)
        await self._update(msgspec.structs.replace(obj, metadata=meta))

    async def _update(self, obj: Object) -> None:
        try:
            await self._client.update(obj)
        except NotFound:
            return
