"""The ReplicaSet controller alone on a `Manager`, with fakes at the client boundary.

- `QuotaClient`: an in-process client whose pod creates fail with 403 Forbidden once `allowance`
  creates have been spent (a ResourceQuota stand-in); every attempt is recorded, and `batches`
  groups attempts that were in flight together (a new group starts when none is in flight);
  with `refuse_deletes` pod deletes fail with 403 Forbidden; `delete_batches` groups deletes
  in flight together.
(`LaggingClient`, the late and repetitive Pod feed, lives in `tests.controllers.lagging`.)
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import anyio
import anyio.lowlevel

from kubelite.api.apps import ReplicaSet
from kubelite.api.core import Event, Pod
from kubelite.api.errors import Forbidden
from kubelite.apiserver import APIServer
from kubelite.client import EventRecorder, InProcessClient
from kubelite.clock import FakeClock
from kubelite.controllers.replicaset import REPLICA_SET, ReplicaController, ReplicaSetSettings
from kubelite.controllers.runtime import Manager
from kubelite.informers import Lister, SharedInformerFactory
from kubelite.store.memory import MemoryStorage

QUOTA_MESSAGE = 'pods "web" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=3'


class QuotaClient(InProcessClient):
    def __init__(self, server: APIServer, clock: FakeClock, allowance: int) -> None:
        super().__init__(server)
        self.clock = clock
        self.allowance = allowance
        self.attempts: list[bool] = []
        self.batches: list[list[bool]] = []
        self._in_flight = 0
        self.refuse_deletes = False
        self.delete_batches: list[list[str]] = []
        self._deleting = 0

    async def delete(self, kind: Any, name: str, namespace: str = "", *, options: Any = None) -> Any:
        if kind is not Pod:
            return await super().delete(kind, name, namespace, options=options)
        if self._deleting == 0:
            self.delete_batches.append([])
        self.delete_batches[-1].append(name)
        self._deleting += 1
        try:
            await anyio.lowlevel.checkpoint()
            if self.refuse_deletes:
                raise Forbidden(f'pods "{name}" is forbidden: deletion refused by policy')
            return await super().delete(kind, name, namespace, options=options)
        finally:
            self._deleting -= 1

    async def create(self, obj: Any, *, dry_run: bool = False) -> Any:
        if not isinstance(obj, Pod):
            return await super().create(obj, dry_run=dry_run)
        allowed = self.allowance > 0
        self.allowance -= int(allowed)
        self.attempts.append(allowed)
        if self._in_flight == 0:
            self.batches.append([])
        self.batches[-1].append(allowed)
        self._in_flight += 1
        try:
            await anyio.lowlevel.checkpoint()
            if not allowed:
                raise Forbidden(QUOTA_MESSAGE)
            return await super().create(obj, dry_run=dry_run)
        finally:
            self._in_flight -= 1


@dataclass
class Alone:
    server: APIServer
    client: InProcessClient
    clock: FakeClock
    controller: ReplicaController[ReplicaSet]
    pods: Lister[Pod]
    sets: Lister[ReplicaSet]
    events: Lister[Event]
    recorder: EventRecorder
    extra: dict[str, Any] = field(default_factory=dict)

    async def until(self, done: Callable[[], bool], seconds: float = 20) -> None:
        with anyio.fail_after(seconds):
            await self.clock.run_until(done)


@asynccontextmanager
async def alone(
    writer: Callable[[APIServer, FakeClock], InProcessClient],
    reader: Callable[[APIServer, FakeClock], InProcessClient] | None = None,
    settings: ReplicaSetSettings | None = None,
) -> AsyncIterator[Alone]:
    """The controller writing through `writer(server, clock)`, its informers reading `reader`'s."""
    clock = FakeClock()
    async with MemoryStorage(history=10_000) as storage:
        server = APIServer(storage, clock=clock)
        await server.bootstrap()
        client = writer(server, clock)
        manager = Manager(reader(server, clock) if reader else client, clock=clock)
        recorder = EventRecorder(client, "replicaset-controller", clock=clock)
        controller = ReplicaController(manager, client, recorder, REPLICA_SET, settings)
        observer = SharedInformerFactory(InProcessClient(server), clock=clock)
        listers = (observer.lister(Pod), observer.lister(ReplicaSet), observer.lister(Event))
        async with anyio.create_task_group() as group:
            observer.start(group)
            await group.start(recorder.run)
            await group.start(manager.run)
            await observer.wait_for_cache_sync()
            yield Alone(server, client, clock, controller, *listers, recorder)
            group.cancel_scope.cancel()
