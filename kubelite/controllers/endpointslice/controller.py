"""`EndpointSliceController`: keeps each selector Service's EndpointSlices (EP-11).

    EndpointSliceController(manager, client, recorder)   # registers "endpointslice" on the manager

Watches, on the manager's shared informers: Services (`for_kind`); Pods, mapped to the Services of
their namespace whose selector matches (old and new labels, and the `batch_period`, as the
Endpoints controller); and
EndpointSlices managed by this controller: a slice someone else changed, created or deleted
re-syncs its Service (`SliceTracker` tells those from this controller's own writes), as does a
slice whose service-name or managed-by label moved. Slices are found through an index by Service.

One sync, level-based:
1. Service gone: forget it (its slices are owned by it, so the garbage collector removes them).
   No selector, or ExternalName: nothing (EP-1).
2. The Service's managed slices (minus those being deleted); if the cache is behind this
   controller's own writes, retry shortly. Then `plan_slices` and its writes: creates, updates,
   deletes; nothing when nothing changed. Node zones come from the Node informer.
3. Any failure (a write, or pods on nodes that do not exist) records a Warning event
   `FailedToUpdateEndpointSlices` ("Error updating Endpoint Slices for Service ns/name: err") and
   the sync is retried with back-off; a Conflict (a cache behind another writer) is retried
   without an event. A create refused because the namespace is terminating ends the sync.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import structlog

from kubelite.api.core import Node, Pod, Service
from kubelite.api.discovery import EndpointSlice
from kubelite.api.errors import APIError, Conflict, Forbidden, NotFound
from kubelite.client import Client, EventRecorder
from kubelite.controllers.endpointslice.endpoints import ZONE_LABEL
from kubelite.controllers.endpointslice.handlers import slice_handlers
from kubelite.controllers.endpointslice.plan import MAX_ENDPOINTS_PER_SLICE, SlicePlan, plan_slices
from kubelite.controllers.endpointslice.slices import CONTROLLER_NAME, MANAGED_BY_LABEL, SERVICE_NAME_LABEL
from kubelite.controllers.endpointslice.tracker import SliceTracker, service_key
from kubelite.controllers.endpointutil.index import ensure_pods_by_label, selected_pods
from kubelite.controllers.endpointutil.membership import (
    ServiceSelectors,
    managed_selector,
    services_to_update,
)
from kubelite.controllers.endpointutil.podmemo import PodMemo
from kubelite.controllers.endpointutil.triggertime import TriggerTimeTracker
from kubelite.controllers.runtime import Manager, Request, Result
from kubelite.informers import DeletedFinalStateUnknown, EventHandlers, unwrap

COMPONENT = "endpoint-slice-controller"
SLICES_BY_SERVICE = "endpointslice/service"
log = structlog.get_logger("kubelite.controllers.endpointslice")


@dataclass(frozen=True, slots=True)
class EndpointSliceSettings:
    workers: int = 5
    """Concurrent syncs (upstream `--concurrent-service-endpoint-syncs`, 5)."""
    max_endpoints_per_slice: int = MAX_ENDPOINTS_PER_SLICE
    """Most endpoints in one slice (upstream `--max-endpoints-per-slice`, 100)."""
    batch_period: float = 0.0
    """Seconds a pod change waits before its Services sync, so a burst of changes makes one sync
    (upstream `--endpointslice-updates-batch-period`, 0: at once). Service changes sync at once."""


def _managed(endpoint_slice: EndpointSlice) -> bool:
    return endpoint_slice.metadata.labels.get(MANAGED_BY_LABEL) == CONTROLLER_NAME


def _by_service(endpoint_slice: EndpointSlice) -> list[str]:
    labels = endpoint_slice.metadata.labels
    return (
        [service_key(endpoint_slice)] if _managed(endpoint_slice) and labels.get(SERVICE_NAME_LABEL) else []
    )


class EndpointSliceController:
    def __init__(
        self,
        manager: Manager,
        client: Client,
        recorder: EventRecorder,
        settings: EndpointSliceSettings | None = None,
    ) -> None:
        self.settings = settings or EndpointSliceSettings()
        self._client, self._recorder = client, recorder
        factory = manager.factory
        self._services = factory.lister(Service)
        self._nodes = factory.lister(Node)
        self._pods = ensure_pods_by_label(factory)
        self._memo = PodMemo()
        slices = factory.informer(EndpointSlice)
        slices.add_indexers({SLICES_BY_SERVICE: _by_service})
        self._slices = slices.indexer
        self._selectors = ServiceSelectors()
        self._triggers = TriggerTimeTracker()
        self._tracker = SliceTracker()
        factory.informer(Service).add_event_handler(self._selectors.handlers())
        builder = manager.controller("endpointslice", self, workers=self.settings.workers).for_kind(Service)
        self._enqueue = builder.controller.enqueue
        self._queue = builder.controller.queue
        factory.informer(Pod).add_event_handler(self._pod_handlers())
        slices.add_event_handler(slice_handlers(CONTROLLER_NAME, self._tracker, self._enqueue))

    async def reconcile(self, request: Request) -> Result | None:
        key = str(request)
        service = self._services.get(request.name, request.namespace)
        if service is None:
            self._triggers.forget(request.namespace, request.name)
            self._tracker.forget(key)
            return None
        selector = managed_selector(service)
        if selector is None:
            return None
        pods = selected_pods(self._pods, request.namespace, selector, self._memo)
        existing = [
            s for s in self._slices.by_index(SLICES_BY_SERVICE, key) if s.metadata.deletion_timestamp is None
        ]
        if self._tracker.stale(key, existing):
            log.debug("endpointslice_cache_stale", key=key)
            return Result(requeue=True)
        trigger_time = self._triggers.compute(service, pods)
        zones: dict[str, str | None] = {}
        plan = plan_slices(
            service,
            pods,
            existing,
            lambda name: zones[name] if name in zones else zones.setdefault(name, self._zone(name)),
            trigger_time,
            self.settings.max_endpoints_per_slice,
        )
        await self._apply(service, plan)
        return None

    def _zone(self, node_name: str) -> str | None:
        node = self._nodes.get(node_name) if node_name else None
        return None if node is None else node.metadata.labels.get(ZONE_LABEL, "")

    async def _apply(self, service: Service, plan: SlicePlan) -> None:
        try:
            await self._write(plan)
            if plan.errors:
                raise SkippedPods("; ".join(plan.errors))
        except Conflict:
            raise
        except (APIError, SkippedPods) as err:
            if _namespace_terminating(err):
                return
            where = f"{service.metadata.namespace}/{service.metadata.name}"
            message = f"Error updating Endpoint Slices for Service {where}: {err}"
            self._recorder.event(service, "Warning", "FailedToUpdateEndpointSlices", message)
            raise

    async def _write(self, plan: SlicePlan) -> None:
        for endpoint_slice in plan.create:
            self._tracker.wrote(await self._client.create(endpoint_slice))
        for endpoint_slice in plan.update:
            self._tracker.wrote(await self._client.update(endpoint_slice))
        for endpoint_slice in plan.delete:
            meta = endpoint_slice.metadata
            with contextlib.suppress(NotFound):
                await self._client.delete(EndpointSlice, meta.name, meta.namespace)
            self._tracker.deleting(endpoint_slice)

    def _enqueue_services(self, namespace: str, names: set[str]) -> None:
        period = self.settings.batch_period
        for name in sorted(names):
            if period > 0:
                self._queue.add_after(Request(namespace, name), period)
            else:
                self._enqueue(Request(namespace, name))

    def _pod_handlers(self) -> EventHandlers[Pod]:
        def members(pod: Pod) -> None:
            namespace = pod.metadata.namespace
            self._enqueue_services(namespace, self._selectors.services_for(namespace, pod.metadata.labels))

        def update(old: Pod, new: Pod) -> None:
            self._enqueue_services(new.metadata.namespace, services_to_update(self._selectors, old, new))

        def delete(pod: Pod | DeletedFinalStateUnknown[Pod]) -> None:
            gone = unwrap(pod)
            self._memo.forget(f"{gone.metadata.namespace}/{gone.metadata.name}")
            members(gone)

        return EventHandlers(on_add=lambda pod, _initial: members(pod), on_update=update, on_delete=delete)


class SkippedPods(Exception):
    """Pods left out because their node does not exist; the sync is retried."""


def _namespace_terminating(err: Exception) -> bool:
    return isinstance(err, Forbidden) and any(cause.reason == "NamespaceTerminating" for cause in err.causes)
