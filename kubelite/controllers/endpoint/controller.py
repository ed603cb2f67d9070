"""`EndpointsController`: keeps each selector Service's Endpoints object (EP-1..EP-10, NODE-7).

    EndpointsController(manager, client, recorder)     # registers "endpoint" on the manager

Watches, on the manager's shared informers (no work in handlers beyond computing keys):
- Services: every add, update and delete enqueues the Service (`for_kind`);
- Pods: an add or delete enqueues the Services of the pod's namespace whose selector matches its
  labels; an update enqueues the Services `services_to_update` names (both the Services a
  relabelled pod left and the ones it joined; nothing for an update endpoints do not see); with a
  `batch_period`, after that delay, so a burst of pod changes makes one sync;
- Endpoints: a deleted one is enqueued (it is recreated for a live selector Service); once synced,
  every cached one is enqueued, so Endpoints left behind by a Service deleted while the controller
  was down are deleted (except leader-election records), as upstream's checkLeftoverEndpoints.

One sync, level-based:
1. Service gone from the cache: delete the Endpoints of that name (NotFound is fine) and forget
   the Service (EP-1). Service without a selector, or ExternalName: nothing, its Endpoints are
   never touched (EP-1).
2. Read the Service's pods from the label index, compute the trigger time, and plan the object
   (`desired.plan_endpoints_of`, each pod's entries planned again only when the pod or the
   Service's spec changed, `Contributions`); write it only when it differs (EP-9), creating or updating.
3. A cache still showing the version this controller replaced (`stale`) makes the sync retry
   later rather than write over newer state; a Conflict or AlreadyExists (a cache behind another
   writer) raises and the sync is retried with back-off. Other write failures also record a
   Warning event `FailedToCreateEndpoint` ("Failed to create endpoint for service ns/name: err")
   or `FailedToUpdateEndpoint` ("Failed to update endpoint ns/name: err"). A create refused because
   the namespace is terminating is dropped.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import structlog

from kubelite.api.core import Endpoints, Pod, Service
from kubelite.api.errors import AlreadyExists, APIError, Conflict, Forbidden, NotFound
from kubelite.client import Client, EventRecorder
from kubelite.controllers.endpoint.addresses import Entry, pod_entries
from kubelite.controllers.endpoint.capacity import MAX_CAPACITY
from kubelite.controllers.endpoint.desired import plan_endpoints_of
from kubelite.controllers.endpoint.stale import StaleEndpoints
from kubelite.controllers.endpointutil.contributions import Contributions
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

COMPONENT = "endpoint-controller"
LEADER_ANNOTATION = "control-plane.alpha.kubernetes.io/leader"
log = structlog.get_logger("kubelite.controllers.endpoint")


@dataclass(frozen=True, slots=True)
class EndpointsSettings:
    workers: int = 5
    """Concurrent syncs (upstream `--concurrent-endpoint-syncs`, 5)."""
    capacity: int = MAX_CAPACITY
    """Most addresses one Endpoints object holds (EP-10; upstream 1000)."""
    batch_period: float = 0.0
    """Seconds a pod change waits before its Services sync, so a burst of changes makes one sync
    (upstream `--endpoint-updates-batch-period`, 0: at once). Service changes sync at once."""


class EndpointsController:
    def __init__(
        self,
        manager: Manager,
        client: Client,
        recorder: EventRecorder,
        settings: EndpointsSettings | None = None,
    ) -> None:
        self.settings = settings or EndpointsSettings()
        self._client, self._recorder = client, recorder
        factory = manager.factory
        self._services = factory.lister(Service)
        self._endpoints = factory.lister(Endpoints)
        self._pods = ensure_pods_by_label(factory)
        self._memo = PodMemo()
        self._entries: Contributions[list[Entry]] = Contributions()
        self._selectors = ServiceSelectors()
        self._triggers = TriggerTimeTracker()
        self._stale = StaleEndpoints()
        factory.informer(Service).add_event_handler(self._selectors.handlers())
        builder = manager.controller("endpoint", self, workers=self.settings.workers).for_kind(Service)
        self._enqueue = builder.controller.enqueue
        self._queue = builder.controller.queue
        factory.informer(Pod).add_event_handler(self._pod_handlers())
        factory.informer(Endpoints).add_event_handler(self._endpoints_handlers())

    async def reconcile(self, request: Request) -> Result | None:
        service = self._services.get(request.name, request.namespace)
        if service is None:
            await self._delete(request)
            return None
        selector = managed_selector(service)
        if selector is None:
            return None
        pods = selected_pods(self._pods, request.namespace, selector, self._memo)
        trigger_time = self._triggers.compute(service, pods)
        current = self._endpoints.get(request.name, request.namespace)
        if self._stale.is_stale(str(request), current):
            log.debug("endpoints_cache_stale", key=str(request))
            return Result(requeue=True)
        entries = [entry for each in self._entries.of(service, pods, pod_entries) for entry in each]
        desired = plan_endpoints_of(service, entries, current, trigger_time, self.settings.capacity)
        if desired is not None:
            await self._write(request, service, desired, current)
        return None

    async def _delete(self, request: Request) -> None:
        with contextlib.suppress(NotFound):
            await self._client.delete(Endpoints, request.name, request.namespace)
        self._triggers.forget(request.namespace, request.name)
        self._entries.forget(request.namespace, request.name)
        self._stale.forget(str(request))

    async def _write(
        self, request: Request, service: Service, desired: Endpoints, current: Endpoints | None
    ) -> None:
        key = str(request)
        try:
            if current is None:
                await self._client.create(desired)
                self._stale.created(key)
            else:
                written = await self._client.update(desired)
                if written.metadata.resource_version != current.metadata.resource_version:
                    self._stale.replaced(key, current.metadata.resource_version)
        except (Conflict, AlreadyExists):
            raise
        except APIError as err:
            if current is None and _namespace_terminating(err):
                return
            self._failed(service, desired, current is None, err)
            raise

    def _failed(self, service: Service, desired: Endpoints, create: bool, err: Exception) -> None:
        where = f"{service.metadata.namespace}/{service.metadata.name}"
        if create:
            self._recorder.event(
                desired,
                "Warning",
                "FailedToCreateEndpoint",
                f"Failed to create endpoint for service {where}: {err}",
            )
        else:
            self._recorder.event(
                desired, "Warning", "FailedToUpdateEndpoint", f"Failed to update endpoint {where}: {err}"
            )

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

    def _endpoints_handlers(self) -> EventHandlers[Endpoints]:
        def add(endpoints: Endpoints, initial: bool) -> None:
            meta = endpoints.metadata
            self._stale.seen(f"{meta.namespace}/{meta.name}")
            if initial and LEADER_ANNOTATION not in meta.annotations:
                self._enqueue(Request(meta.namespace, meta.name))

        def delete(endpoints: Endpoints | DeletedFinalStateUnknown[Endpoints]) -> None:
            meta = unwrap(endpoints).metadata
            self._enqueue(Request(meta.namespace, meta.name))

        return EventHandlers(on_add=add, on_delete=delete)


def _namespace_terminating(err: APIError) -> bool:
    return isinstance(err, Forbidden) and any(cause.reason == "NamespaceTerminating" for cause in err.causes)
