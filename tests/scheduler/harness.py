"""An in-process cluster for scheduler tests: the apiserver over the memory store, a fake clock,
one informer factory, and a `Scheduler` started on demand."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

import anyio
import anyio.abc

from kubelite.api.core import Binding, Event, Node, Pod, PodCondition
from kubelite.api.errors import InternalError
from kubelite.apiserver import APIServer
from kubelite.client import EventRecorder, InProcessClient
from kubelite.clock import FakeClock
from kubelite.informers import SharedInformerFactory
from kubelite.scheduler import Scheduler, SchedulerSettings
from kubelite.scheduler.framework import FilterPlugin, ScorePlugin
from kubelite.store.memory import MemoryStorage


class FlakyBindClient(InProcessClient):
    """The in-process client, except that the first `failures` binds fail as an overloaded
    apiserver would (500)."""

    def __init__(self, server: APIServer, failures: int) -> None:
        super().__init__(server)
        self.failures = failures
        self.failed = 0

    async def bind(self, binding: Binding) -> None:
        if self.failed < self.failures:
            self.failed += 1
            raise InternalError("etcdserver: request timed out")
        await super().bind(binding)


@dataclass
class Cluster:
    client: InProcessClient
    clock: FakeClock
    factory: SharedInformerFactory
    recorder: EventRecorder
    scheduler: Scheduler
    task_group: anyio.abc.TaskGroup

    async def start(self) -> None:
        await self.task_group.start(self.scheduler.run)

    async def settle(self, done: Callable[[], bool], seconds: float = 10) -> None:
        """Run (jumping the fake clock whenever everything idles) until `done()`."""
        with anyio.fail_after(seconds):
            await self.clock.run_until(done)

    def pod(self, name: str) -> Pod:
        found = self.factory.lister(Pod).get(name, "default")
        assert found is not None, name
        return found

    def node_of(self, name: str) -> str:
        return self.pod(name).spec.node_name

    def scheduled_condition(self, name: str) -> PodCondition | None:
        return next((c for c in self.pod(name).status.conditions if c.type == "PodScheduled"), None)

    def bound(self, *names: str) -> Callable[[], bool]:
        return lambda: all(self.node_of(name) for name in names)

    async def events(self, reason: str) -> list[Event]:
        await self.recorder.flush()
        return [e for e in (await self.client.list(Event, "default")).items if e.reason == reason]

    async def create(self, *objects: Pod | Node) -> None:
        for obj in objects:
            await self.client.create(obj)


@asynccontextmanager
async def cluster(
    *,
    bind_failures: int = 0,
    filters: list[FilterPlugin] | None = None,
    scorers: list[ScorePlugin] | None = None,
    settings: SchedulerSettings | None = None,
    seed: int = 7,
) -> AsyncIterator[Cluster]:
    clock = FakeClock()
    async with MemoryStorage(history=10_000) as storage:
        server = APIServer(storage, clock=clock)
        await server.bootstrap()
        client = FlakyBindClient(server, bind_failures)
        factory = SharedInformerFactory(client, clock=clock)
        recorder = EventRecorder(client, "default-scheduler", clock=clock)
        scheduler = Scheduler(
            client,
            factory,
            clock=clock,
            rng=random.Random(seed),
            settings=settings,
            recorder=recorder,
            filters=filters,
            scorers=scorers,
        )
        async with anyio.create_task_group() as tg:
            yield Cluster(client, clock, factory, recorder, scheduler, tg)
            tg.cancel_scope.cancel()
