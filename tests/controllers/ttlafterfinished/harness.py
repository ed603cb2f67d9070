"""The TTL-after-finished controller alone on a `Manager` (no garbage collector, so a Foreground
delete leaves the Job readable with its deletionTimestamp and `foregroundDeletion` finalizer), on a
virtual clock; it can be stopped and started again over the same store.

`RecreatingClient`: an in-process client that, just before the first Job DELETE it is asked for
reaches the server, deletes that Job itself and creates a new one under the same name (a user
recreating the Job between the controller's GET and its DELETE). `FailingClient`: its first Job
DELETEs fail with a 500, as a store fault would make them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import anyio
import anyio.lowlevel

from kubelite.api.batch import Job
from kubelite.api.errors import InternalError
from kubelite.api.meta import DeleteOptions
from kubelite.apiserver import APIServer
from kubelite.client import InProcessClient
from kubelite.clock import FakeClock
from kubelite.controllers.runtime import Manager
from kubelite.controllers.ttlafterfinished import TTLAfterFinishedController
from kubelite.informers import Lister, SharedInformerFactory
from kubelite.store.memory import MemoryStorage
from tests.controllers.ttlafterfinished.support import job


class RecreatingClient(InProcessClient):
    def __init__(self, server: APIServer) -> None:
        super().__init__(server)
        self.recreated: Job | None = None

    async def delete(self, kind: Any, name: str, namespace: str = "", *, options: Any = None) -> Any:
        if kind is Job and self.recreated is None:
            background = DeleteOptions(propagation_policy="Background")
            await super().delete(Job, name, namespace, options=background)
            self.recreated = await super().create(job(name))
        return await super().delete(kind, name, namespace, options=options)


@dataclass
class Bench:
    server: APIServer
    client: InProcessClient
    clock: FakeClock
    jobs: Lister[Job]

    async def until(self, done: Callable[[], bool], seconds: float = 20) -> None:
        with anyio.fail_after(seconds):
            await self.clock.run_until(done)

    async def settle(self) -> None:
        """Let every task run as far as it can without moving the clock."""
        for _ in range(500):
            await anyio.lowlevel.checkpoint()

    async def live(self, name: str = "pi") -> Job:
        return await self.client.get(Job, name, "default")

    @asynccontextmanager
    async def controller(self, client: InProcessClient | None = None) -> AsyncIterator[Manager]:
        """A manager running the controller until the block ends (then stopped, as on shutdown)."""
        manager = Manager(client or self.client, clock=self.clock)
        TTLAfterFinishedController(manager, client or self.client)
        async with anyio.create_task_group() as group:
            await group.start(manager.run)
            yield manager
            manager.stop()


@asynccontextmanager
async def bench() -> AsyncIterator[Bench]:
    clock = FakeClock()
    async with MemoryStorage(history=10_000) as storage:
        server = APIServer(storage, clock=clock)
        await server.bootstrap()
        client = InProcessClient(server)
        observer = SharedInformerFactory(InProcessClient(server), clock=clock)
        jobs = observer.lister(Job)
        async with anyio.create_task_group() as group:
            observer.start(group)
            await observer.wait_for_cache_sync()
            yield Bench(server, client, clock, jobs)
            group.cancel_scope.cancel()


class FailingClient(InProcessClient):
    """An in-process client whose first `failures` Job DELETEs fail with a 500 (a store fault)."""

    def __init__(self, server: APIServer, failures: int) -> None:
        super().__init__(server)
        self.failures = failures
        self.attempts = 0

    async def delete(self, kind: Any, name: str, namespace: str = "", *, options: Any = None) -> Any:
        if kind is Job:
            self.attempts += 1
            if self.attempts <= self.failures:
                raise InternalError("Internal error occurred: database is locked")
        return await super().delete(kind, name, namespace, options=options)
