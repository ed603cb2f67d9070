"""`EndpointSliceMirroringController`: mirrors the Endpoints of selector-less Services into
EndpointSlices (EP-11 mirroring; upstream's endpointslicemirroring controller).

    EndpointSliceMirroringController(manager, client)   # registers "endpointslicemirroring"

Keyed by Endpoints (namespace/name). Watches, on the manager's shared informers: Endpoints
(`for_kind`); Services, mapped to the Endpoints of their name (a Service created, deleted or
given a selector changes whether mirroring applies); and EndpointSlices managed by this
controller: one someone else changed, created or deleted re-syncs its Endpoints (`SliceTracker`
tells those from this controller's own writes). Slices are found through an index by name.

One sync, level-based: the Endpoints and Service from the caches; if the cache is behind this
controller's own writes, retry shortly; then `plan_mirror` (everything deleted when
`should_mirror` says no) and its writes: creates, updates, deletes; nothing when nothing changed.
A failed write is retried with back-off.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass

import structlog

from kubelite.api.core import Endpoints, Service
from kubelite.api.discovery import EndpointSlice
from kubelite.api.errors import NotFound
from kubelite.client import Client
from kubelite.controllers.endpointslice.handlers import slice_handlers
from kubelite.controllers.endpointslice.plan import SlicePlan
from kubelite.controllers.endpointslice.slices import MANAGED_BY_LABEL, SERVICE_NAME_LABEL
from kubelite.controllers.endpointslice.tracker import SliceTracker, service_key
from kubelite.controllers.endpointslicemirroring.desired import (
    CONTROLLER_NAME,
    MAX_ENDPOINTS_PER_SUBSET,
    should_mirror,
)
from kubelite.controllers.endpointslicemirroring.plan import plan_mirror
from kubelite.controllers.runtime import Manager, Request, Result

SLICES_BY_ENDPOINTS = "endpointslicemirroring/endpoints"
log = structlog.get_logger("kubelite.controllers.endpointslicemirroring")


@dataclass(frozen=True, slots=True)
class MirroringSettings:
    workers: int = 5
    """Concurrent syncs (upstream `--mirroring-concurrent-service-endpoint-syncs`, 5)."""
    max_endpoints_per_subset: int = MAX_ENDPOINTS_PER_SUBSET
    """Most addresses mirrored per subset, and per slice (upstream
    `--mirroring-max-endpoints-per-subset`, 1000)."""


def _managed(endpoint_slice: EndpointSlice) -> bool:
    return endpoint_slice.metadata.labels.get(MANAGED_BY_LABEL) == CONTROLLER_NAME


def _by_endpoints(endpoint_slice: EndpointSlice) -> list[str]:
    labels = endpoint_slice.metadata.labels
    return (
        [service_key(endpoint_slice)] if _managed(endpoint_slice) and labels.get(SERVICE_NAME_LABEL) else []
    )


def _same_name(service: Service) -> Iterable[Request]:
    return [Request(service.metadata.namespace, service.metadata.name)]


class EndpointSliceMirroringController:
    def __init__(self, manager: Manager, client: Client, settings: MirroringSettings | None = None) -> None:
        self.settings = settings or MirroringSettings()
        self._client = client
        factory = manager.factory
        self._endpoints = factory.lister(Endpoints)
        self._services = factory.lister(Service)
        slices = factory.informer(EndpointSlice)
        slices.add_indexers({SLICES_BY_ENDPOINTS: _by_endpoints})
        self._slices = slices.indexer
        self._tracker = SliceTracker()
        builder = manager.controller("endpointslicemirroring", self, workers=self.settings.workers)
        builder.for_kind(Endpoints).watches(Service, _same_name)
        self._enqueue = builder.controller.enqueue
        slices.add_event_handler(slice_handlers(CONTROLLER_NAME, self._tracker, self._enqueue))

    async def reconcile(self, request: Request) -> Result | None:
        key = str(request)
        endpoints = self._endpoints.get(request.name, request.namespace)
        service = self._services.get(request.name, request.namespace)
        existing = [
            s
            for s in self._slices.by_index(SLICES_BY_ENDPOINTS, key)
            if s.metadata.deletion_timestamp is None
        ]
        if self._tracker.stale(key, existing):
            log.debug("endpointslicemirroring_cache_stale", key=key)
            return Result(requeue=True)
        mirrored = endpoints if should_mirror(endpoints, service) else None
        await self._write(plan_mirror(mirrored, existing, self.settings.max_endpoints_per_subset))
        if endpoints is None and not existing:
            self._tracker.forget(key)
        return None

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
