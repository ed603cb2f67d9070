"""The Endpoints controller alone on a `Manager` over a real apiserver, on a virtual clock.

`Alone` holds the server, the controller's client, an observer's listers and helpers: `put_pod`
creates a pod and then writes its status (create resets a pod's status), `set_status` rewrites a
pod's status, `until(done)` steps the clock until `done()`, `quiet()` waits until the controller
has nothing queued or running and returns how many syncs succeeded so far. `controller(...)`
runs one Endpoints controller instance, `slice_controller(...)` one EndpointSlice controller;
leaving the block stops that instance (a restart is a second block).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

import anyio
import anyio.lowlevel
import msgspec

from kubelite.api.core import Endpoints, Event, Pod, PodStatus, Service
from kubelite.api.discovery import EndpointSlice
from kubelite.apiserver import APIServer
from kubelite.client import EventRecorder, InProcessClient
from kubelite.clock import FakeClock
from kubelite.controllers.endpoint import COMPONENT, EndpointsController, EndpointsSettings
from kubelite.controllers.endpointslice import COMPONENT as SLICE_COMPONENT
from kubelite.controllers.endpointslice import EndpointSliceController, EndpointSliceSettings
from kubelite.controllers.runtime import Manager
from kubelite.informers import Lister, SharedInformerFactory
from kubelite.store import Storage


@dataclass
class Running:
    manager: Manager
    controller: EndpointsController | EndpointSliceController
    name: str = "endpoint"

    def syncs(self) -> float:
        value = self.manager.registry.get_sample_value(
            "controller_runtime_reconcile_total", {"controller": self.name, "result": "success"}
        )
        return value or 0.0

    def busy(self) -> bool:
        active = self.manager.registry.get_sample_value(
            "controller_runtime_active_workers", {"controller": self.name}
        )
        queue = next(c.queue for c in self.manager.controllers if c.name == self.name)
        return len(queue) > 0 or bool(active)  # type: ignore[arg-type]


@dataclass
class Alone:
    server: APIServer
    client: InProcessClient
    clock: FakeClock
    endpoints: Lister[Endpoints]
    services: Lister[Service]
    events: Lister[Event]
    slices: Lister[EndpointSlice]

    async def until(self, done: Callable[[], bool], seconds: float = 20) -> None:
        with anyio.fail_after(seconds):
            await self.clock.run_until(done)

    async def quiet(self, running: Running) -> float:
        await anyio.lowlevel.checkpoint()
        await self.until(lambda: not running.busy())
        return running.syncs()

    async def put_pod(self, pod: Pod) -> Pod:
        created = await self.client.create(msgspec.structs.replace(pod, status=PodStatus()))
        return await self.set_status(created, pod.status)

    async def set_status(self, pod: Pod, status: PodStatus) -> Pod:
        current = await self.client.get(Pod, pod.metadata.name, pod.metadata.namespace)
        return await self.client.update_status(msgspec.structs.replace(current, status=status))

    def subsets_of(self, name: str = "web") -> list[tuple[list[str], list[str], list[int]]]:
        endpoints = self.endpoints.get(name, "default")
        if endpoints is None:
            return []
        return [
            ([a.ip for a in s.addresses], [a.ip for a in s.not_ready_addresses], [p.port for p in s.ports])
            for s in endpoints.subsets
        ]

    @asynccontextmanager
    async def controller(
        self, client: InProcessClient | None = None, settings: EndpointsSettings | None = None
    ) -> AsyncIterator[Running]:
        writer = client or self.client
        manager = Manager(writer, clock=self.clock)
        recorder = EventRecorder(writer, COMPONENT, clock=self.clock)
        controller = EndpointsController(manager, writer, recorder, settings)
        async with anyio.create_task_group() as group:
            await group.start(recorder.run)
            await group.start(manager.run)
            yield Running(manager, controller)
            group.cancel_scope.cancel()

    @asynccontextmanager
    async def slice_controller(self, settings: EndpointSliceSettings | None = None) -> AsyncIterator[Running]:
        manager = Manager(self.client, clock=self.clock)
        recorder = EventRecorder(self.client, SLICE_COMPONENT, clock=self.clock)
        controller = EndpointSliceController(manager, self.client, recorder, settings)
        async with anyio.create_task_group() as group:
            await group.start(recorder.run)
            await group.start(manager.run)
            yield Running(manager, controller, "endpointslice")
            group.cancel_scope.cancel()


@asynccontextmanager
async def alone(
    storage: Storage, make_client: Callable[[APIServer], InProcessClient] | None = None
) -> AsyncIterator[Alone]:
    clock = FakeClock()
    server = APIServer(storage, clock=clock)
    await server.bootstrap()
    client = make_client(server) if make_client else InProcessClient(server)
    observer = SharedInformerFactory(InProcessClient(server), clock=clock)
    listers = (
        observer.lister(Endpoints),
        observer.lister(Service),
        observer.lister(Event),
        observer.lister(EndpointSlice),
    )
    async with anyio.create_task_group() as group:
        observer.start(group)
        await observer.wait_for_cache_sync()
        yield Alone(server, client, clock, *listers)
        group.cancel_scope.cancel()
