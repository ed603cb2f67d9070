"""`Manager`: runs informers and controllers together, in one task group.

Usage:

    manager = Manager(client, clock=clock)
    manager.controller("replicaset", reconciler, workers=2) \
        .for_kind(ReplicaSet).owns(Pod, owner_kind="ReplicaSet")
    async with anyio.create_task_group() as tg:
        await tg.start(manager.run)     # returns once every informer has synced

Contract: `run` starts the informer factory, waits for every cache to sync, reports readiness
through `task_status`, then runs every controller until cancelled. A controller is never started
before its caches have synced. All loops live in `run`'s task group: if one fails in a way its own
supervision does not absorb, `run` raises and takes the group down loudly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import anyio
from anyio.abc import TaskStatus
from prometheus_client import CollectorRegistry

from kubelite.api.meta import Object
from kubelite.clock import Clock, SystemClock
from kubelite.controllers.runtime.controller import Controller, ControllerOptions, RequestQueue
from kubelite.controllers.runtime.handlers import (
    Mapper,
    enqueue_controller_owner,
    enqueue_mapped,
    enqueue_object,
)
from kubelite.controllers.runtime.metrics import ControllerMetrics
from kubelite.controllers.runtime.reconcile import Reconciler
from kubelite.informers.factory import SharedInformerFactory
from kubelite.informers.reflector import ReflectorClient
from kubelite.workqueue import PrometheusMetricsProvider, RateLimitingQueue

T = TypeVar("T", bound=Object)
QueueFactory = Callable[[str, Clock], RequestQueue]


@dataclass(slots=True)
class ControllerBuilder:
    """Declares what a controller watches; each call registers informer handlers at once."""

    controller: Controller
    factory: SharedInformerFactory
    kinds: list[type[Object]] = field(default_factory=list)

    def for_kind(self, kind: type[T]) -> ControllerBuilder:
        self.factory.informer(kind).add_event_handler(enqueue_object(self.controller.enqueue))  # type: ignore[arg-type]
        self.kinds.append(kind)
        return self

    def owns(self, kind: type[T], owner_kind: str) -> ControllerBuilder:
        handlers = enqueue_controller_owner(self.controller.enqueue, owner_kind)
        self.factory.informer(kind).add_event_handler(handlers)  # type: ignore[arg-type]
        self.kinds.append(kind)
        return self

    def watches(self, kind: type[T], mapper: Mapper[T]) -> ControllerBuilder:
        self.factory.informer(kind).add_event_handler(enqueue_mapped(self.controller.enqueue, mapper))
        self.kinds.append(kind)
        return self


class Manager:
    def __init__(
        self,
        client: ReflectorClient,
        *,
        queue_factory: QueueFactory | None = None,
        clock: Clock | None = None,
        registry: CollectorRegistry | None = None,
        detect_mutation: bool = False,
    ) -> None:
        self.clock = clock if clock is not None else SystemClock()
        self.registry = registry if registry is not None else CollectorRegistry()
        self.factory = SharedInformerFactory(client, clock=self.clock, detect_mutation=detect_mutation)
        self.metrics = ControllerMetrics.create(self.registry)
        self._workqueue_metrics = PrometheusMetricsProvider(self.registry)
        self._queue_factory = queue_factory or self._default_queue
        self.controllers: list[Controller] = []

    def _default_queue(self, name: str, clock: Clock) -> RequestQueue:
        """client-go's default: per-item exponential 5 ms → 1000 s, max-of a 10/s burst-100 bucket."""
        return RateLimitingQueue(name=name, clock=clock, metrics=self._workqueue_metrics)

    def controller(self, name: str, reconciler: Reconciler, *, workers: int = 1) -> ControllerBuilder:
        if any(c.name == name for c in self.controllers):
            raise ValueError(f"a controller named {name!r} already exists")
        controller = Controller(
            name,
            reconciler,
            self._queue_factory(name, self.clock),
            clock=self.clock,
            options=ControllerOptions(workers=workers),
            metrics=self.metrics,
        )
        self.controllers.append(controller)
        return ControllerBuilder(controller, self.factory)

    async def run(self, *, task_status: TaskStatus[Any] = anyio.TASK_STATUS_IGNORED) -> None:
        async with anyio.create_task_group() as tg:
            self.factory.start(tg)
            await self.factory.wait_for_cache_sync()
            task_status.started()
            for controller in self.controllers:
                tg.start_soon(controller.run, name=f"controller:{controller.name}")
