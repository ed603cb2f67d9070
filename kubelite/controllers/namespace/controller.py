"""`NamespaceController`: empties a terminating Namespace, then lets it go (upstream's
`pkg/controller/namespace`; GC-8).

    NamespaceController(manager, client, registry)

A reconciler keyed by namespace name, on the manager's shared Namespace informer; a pod deleted from a
namespace it is emptying (one that finished its grace period) queues that namespace again. A sync
of a namespace with a `deletionTimestamp` whose `spec.finalizers` still hold `kubernetes`:
1. every namespaced kind of the registry is listed live in the namespace and each object not yet
   terminating is deleted (Background propagation, as upstream's deleteCollection; pods get their
   grace period);
2. the five deletion conditions are written to the status when they changed (`conditions`);
3. with content left, the sync comes back after the longest remaining grace period (at least
   `settings.recheck` seconds); with failed deletions it fails and is retried with backoff;
4. once nothing is left, `kubernetes` is removed through `namespaces/{name}/finalize`, and the API
   server removes the namespace (unless other finalizers remain), after everything inside it.
Creates in a terminating namespace are refused by the API server itself (403).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import msgspec
import structlog

from kubelite.api.core import Namespace, NamespaceSpec, Pod
from kubelite.api.errors import APIError, NotFound
from kubelite.api.meta import DeleteOptions, Object
from kubelite.api.registry import Registry, ResourceInfo
from kubelite.client import Client
from kubelite.clock import Clock, parse_rfc3339
from kubelite.controllers.namespace.conditions import Content, deletion_conditions, merge_conditions
from kubelite.controllers.runtime import Manager, Request, Result
from kubelite.informers import DeletedFinalStateUnknown, EventHandlers, unwrap

log = structlog.get_logger("kubelite.controllers.namespace")
FINALIZER = "kubernetes"
BACKGROUND = DeleteOptions(propagation_policy="Background")


@dataclass(frozen=True, slots=True)
class NamespaceSettings:
    workers: int = 2
    """Namespaces emptied at once (upstream's --concurrent-namespace-syncs defaults to 10)."""
    recheck: float = 5.0
    """Seconds before looking again at content that is left without a running grace period."""


class ContentFailed(Exception):
    """Some of the namespace's content could not be listed or deleted; the sync is retried."""


class NamespaceController:
    def __init__(
        self, manager: Manager, client: Client, registry: Registry, settings: NamespaceSettings | None = None
    ) -> None:
        self.settings = settings or NamespaceSettings()
        self._client = client
        self._clock: Clock = manager.clock
        self._kinds = [info for info in registry.all() if info.namespaced]
        self._namespaces = manager.factory.lister(Namespace)
        self._emptying: set[str] = set()
        builder = manager.controller("namespace", self, workers=self.settings.workers).for_kind(Namespace)
        enqueue = builder.controller.enqueue

        def pod_deleted(pod: Pod | DeletedFinalStateUnknown[Pod]) -> None:
            namespace = unwrap(pod).metadata.namespace
            if namespace in self._emptying:
                enqueue(Request("", namespace))

        manager.factory.informer(Pod).add_event_handler(EventHandlers(on_delete=pod_deleted))

    async def reconcile(self, request: Request) -> Result | None:
        namespace = self._namespaces.get(request.name)
        if namespace is None or namespace.metadata.deletion_timestamp is None:
            self._emptying.discard(request.name)
            return None
        if FINALIZER not in namespace.spec.finalizers:
            return None
        self._emptying.add(request.name)
        content = await self._delete_content(request.name)
        await self._write_conditions(namespace, content)
        if content.failures:
            raise ContentFailed("; ".join(content.failures))
        if content.remaining:
            return Result(requeue_after=max(content.estimate, self.settings.recheck))
        await self._finalize(namespace)
        return None

    async def _delete_content(self, namespace: str) -> Content:
        content = Content()
        for info in self._kinds:
            try:
                await self._delete_kind(info, namespace, content)
            except APIError as err:
                content.failures.append(f"{info.qualified_plural}: {err}")
        return content

    async def _delete_kind(self, info: ResourceInfo, namespace: str, content: Content) -> None:
        for obj in (await self._client.list(info.type, namespace)).items:
            left = obj if obj.metadata.deletion_timestamp is not None else await self._delete(info, obj)
            if left is None:
                continue
            content.remaining[f"{info.plural}.{info.group}"] += 1
            content.finalizers.update(left.metadata.finalizers)
            content.estimate = max(content.estimate, self._grace_left(left))

    async def _delete(self, info: ResourceInfo, obj: Object) -> Object | None:
        try:
            return await self._client.delete(
                info.type, obj.metadata.name, obj.metadata.namespace, options=BACKGROUND
            )
        except NotFound:
            return None

    def _grace_left(self, obj: Object) -> float:
        meta = obj.metadata
        if not meta.deletion_grace_period_seconds or meta.deletion_timestamp is None:
            return 0.0
        return float(math.ceil(max(0.0, parse_rfc3339(meta.deletion_timestamp) - self._clock.now())))

    async def _write_conditions(self, namespace: Namespace, content: Content) -> None:
        old = namespace.status.conditions
        conditions = merge_conditions(old, deletion_conditions(content), self._clock.now())
        if conditions == old:
            return
        status = msgspec.structs.replace(namespace.status, conditions=conditions)
        try:
            await self._client.update_status(msgspec.structs.replace(namespace, status=status))
        except NotFound:
            return

    async def _finalize(self, namespace: Namespace) -> None:
        log.info("namespace_finalize", namespace=namespace.metadata.name)
        finalizers = [f for f in namespace.spec.finalizers if f != FINALIZER]
        spec = NamespaceSpec(finalizers=finalizers)
        self._emptying.discard(namespace.metadata.name)
        try:
            await self._client.finalize_namespace(msgspec.structs.replace(namespace, spec=spec))
        except NotFound:
            return
