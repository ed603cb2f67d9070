"""The Job controller alone on an API server (no scheduler, no kubelet): the test plays the
kubelet by writing pod status, and may stop and restart the controller or gate its writes.

- `Alone`: the server, a virtual clock, an observer's listers, every (succeeded, failed) the
  Job's status went through (from the watch), to check that counts never go down or overshoot,
  and the peak of active pods (`support.PeakActive`).
- `controller_on(alone, client)`: a `JobController` on its own `Manager`, stopped when the block
  ends (a restart is two blocks in a row; whatever a sync was doing is cancelled).
- `GateClient`: an in-process client that parks the first call matching its `gate` (a finalizer
  removal, or the status write moving a pod into the counts) and sets `hit`; `crash()` ends the
  parked call, and every later write, with an error before it reaches the server, as a controller
  dying there would.
- `SelectiveFaults`: a `before_commit` hook failing the first batches that hold a matching record
  with a transient SQLite I/O error (a 500 to the writer; nothing is stored).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio

from kubelite.api.batch import Job
from kubelite.api.core import Event, Pod
from kubelite.apiserver import APIServer
from kubelite.client import EventRecorder, InProcessClient, PatchType
from kubelite.clock import FakeClock, rfc3339
from kubelite.controllers.job import COMPONENT, JobController
from kubelite.controllers.runtime import Manager
from kubelite.controllers.runtime.claims import controller_of
from kubelite.informers import EventHandlers, Lister, SharedInformerFactory
from kubelite.store.batch import Batch
from kubelite.store.sqlerrors import sqlite_error
from kubelite.store.sqlite import SQLiteStorage
from tests.controllers.job.support import PeakActive


@dataclass
class Alone:
    server: APIServer
    clock: FakeClock
    client: InProcessClient
    jobs: Lister[Job]
    pods: Lister[Pod]
    events: Lister[Event]
    counts: list[tuple[int, int]] = field(default_factory=list)
    peak: PeakActive = field(default_factory=PeakActive)

    async def until(self, done: Callable[[], bool], seconds: float = 20) -> None:
        with anyio.fail_after(seconds):
            await self.clock.run_until(done)

    def job(self, name: str = "work") -> Job:
        found = self.jobs.get(name, "default")
        assert found is not None
        return found

    def owned(self, name: str = "work") -> list[Pod]:
        uid = self.job(name).metadata.uid
        found = [p for p in self.pods.list("default") if (ref := controller_of(p)) and ref.uid == uid]
        return sorted(found, key=lambda p: p.metadata.name)

    def running(self, name: str = "work") -> list[Pod]:
        return [p for p in self.owned(name) if p.status.phase in ("", "Pending", "Running")]

    async def finish(self, pod: Pod, phase: str, exit_code: int = 0) -> None:
        """Play the kubelet: the pod's only container ended now with `exit_code`."""
        terminated = {"exitCode": exit_code, "finishedAt": rfc3339(self.clock.now())}
        status = {
            "phase": phase,
            "containerStatuses": [{"name": "main", "state": {"terminated": terminated}}],
        }
        await self.client.patch_status(
            Pod, pod.metadata.name, {"status": status}, "default", patch_type=PatchType.MERGE
        )

    def _observe(self, job: Job) -> None:
        pair = (job.status.succeeded, job.status.failed)
        if not self.counts or self.counts[-1] != pair:
            self.counts.append(pair)

    def monotonic(self) -> bool:
        return all(a[0] <= b[0] and a[1] <= b[1] for a, b in zip(self.counts, self.counts[1:], strict=False))


@asynccontextmanager
async def alone(storage: Any) -> AsyncIterator[Alone]:
    clock = FakeClock()
    server = APIServer(storage, clock=clock)
    await server.bootstrap()
    observer = SharedInformerFactory(InProcessClient(server), clock=clock)
    run = Alone(
        server,
        clock,
        InProcessClient(server),
        observer.lister(Job),
        observer.lister(Pod),
        observer.lister(Event),
    )
    observer.informer(Pod).add_event_handler(run.peak.handlers())
    observer.informer(Job).add_event_handler(
        EventHandlers(on_add=lambda job, _i: run._observe(job), on_update=lambda _o, new: run._observe(new))
    )
    async with anyio.create_task_group() as group:
        observer.start(group)
        await observer.wait_for_cache_sync()
        yield run
        group.cancel_scope.cancel()


@asynccontextmanager
async def controller_on(
    run: Alone, client: InProcessClient | None = None, reader: InProcessClient | None = None
) -> AsyncIterator[JobController]:
    """The controller writing through `client`, its informers reading through `reader` (default:
    the same client)."""
    client = client or InProcessClient(run.server)
    manager = Manager(reader or client, clock=run.clock)
    recorder = EventRecorder(client, COMPONENT, clock=run.clock)
    controller = JobController(manager, client, recorder)
    async with anyio.create_task_group() as group:
        await group.start(recorder.run)
        await group.start(manager.run)
        yield controller
        group.cancel_scope.cancel()


def releases_finalizer(kind: Any, patch: Any) -> bool:
    return kind is Pod and "$deleteFromPrimitiveList/finalizers" in patch.get("metadata", {})


def moves_count(obj: Any) -> bool:
    return isinstance(obj, Job) and obj.status.succeeded > 0


class GateClient(InProcessClient):
    def __init__(self, server: APIServer, gate: str) -> None:
        super().__init__(server)
        self.gate = gate
        self.hit = anyio.Event()
        self._crashed = anyio.Event()

    def crash(self) -> None:
        self._crashed.set()

    async def _park(self) -> None:
        self.hit.set()
        await self._crashed.wait()
        raise ConnectionError("the controller died before this call reached the server")

    def _check(self) -> None:
        if self._crashed.is_set():
            raise ConnectionError("the controller is dead")

    async def create(self, obj: Any, **options: Any) -> Any:
        self._check()
        return await super().create(obj, **options)

    async def delete(self, kind: Any, name: str, namespace: str = "", **options: Any) -> Any:
        self._check()
        return await super().delete(kind, name, namespace, **options)

    async def patch(self, kind: Any, name: str, patch: Any, namespace: str = "", **options: Any) -> Any:
        self._check()
        if self.gate == "release" and not self.hit.is_set() and releases_finalizer(kind, patch):
            await self._park()
        return await super().patch(kind, name, patch, namespace, **options)

    async def update_status(self, obj: Any) -> Any:
        self._check()
        if self.gate == "count" and not self.hit.is_set() and moves_count(obj):
            await self._park()
        return await super().update_status(obj)


class SelectiveFaults:
    """Fail the next `times` batches holding a record for which `matches(resource, body)` holds."""

    def __init__(self) -> None:
        self.matches: Callable[[str, dict[str, Any]], bool] = lambda _r, _b: False
        self.times = 0
        self.failed = 0

    def arm(self, matches: Callable[[str, dict[str, Any]], bool], times: int = 1) -> None:
        self.matches, self.times = matches, times

    def __call__(self, batch: Batch) -> None:
        if self.times <= 0:
            return
        for key, record in batch.final.items():
            if record is not None and self.matches(key[0], json.loads(record.value)):
                self.times -= 1
                self.failed += 1
                raise sqlite_error(sqlite3.SQLITE_IOERR_WRITE, "disk I/O error")


def sqlite_storage(path: Path, faults: SelectiveFaults) -> SQLiteStorage:
    return SQLiteStorage(path, before_commit=faults)
