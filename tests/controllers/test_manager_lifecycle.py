"""Manager lifecycle (issue 9, items 7–9): cache sync timeout, late registration, graceful shutdown.

Everything runs against the real in-memory API server; time is a `FakeClock` that the tests jump
with `run_until`, so the 2-minute sync timeout and the 30-second shutdown deadline cost nothing.
Defaults follow controller-runtime: CacheSyncTimeout 2 min, GracefulShutdownTimeout 30 s, and the
manager stops its controllers before its caches.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import anyio
import anyio.lowlevel
import pytest

from kubelite.api.core import ConfigMap, Secret
from kubelite.api.meta import Object, ObjectMeta
from kubelite.apiserver import APIServer
from kubelite.client import InProcessClient
from kubelite.clock import FakeClock
from kubelite.controllers.runtime import (
    CacheSyncTimeoutError,
    Controller,
    Manager,
    ManagerOptions,
    Request,
    Result,
)
from kubelite.store.memory import MemoryStorage
from kubelite.workqueue import RateLimitingQueue

pytestmark = pytest.mark.anyio


class Widget(Object, kw_only=True):
    """A kind the API server does not serve, like a custom resource whose CRD is not installed."""

    api_version: str = "example.kubelite.io/v1"


@asynccontextmanager
async def _client() -> AsyncIterator[InProcessClient]:
    async with MemoryStorage() as storage:
        server = APIServer(storage, clock=FakeClock())
        await server.bootstrap()
        yield InProcessClient(server)


def _cm(name: str) -> ConfigMap:
    return ConfigMap(metadata=ObjectMeta(name=name, namespace="default"), data={"k": "v"})


@dataclass
class Recorder:
    """Records reconciles; a call waits for `release` when `block` is set, and notes cancellation."""

    manager: Manager | None = None
    block: bool = False
    release: anyio.Event = field(default_factory=anyio.Event)
    started: list[str] = field(default_factory=list)
    finished: list[str] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)
    informers_watching_at_cancel: list[bool] = field(default_factory=list)

    async def reconcile(self, request: Request) -> Result | None:
        self.started.append(request.name)
        try:
            if self.block:
                await self.release.wait()
        except anyio.get_cancelled_exc_class():
            self.cancelled.append(request.name)
            if self.manager is not None:
                self.informers_watching_at_cancel = [h.watching for h in self.manager.factory.health()]
            raise
        self.finished.append(request.name)
        return None


async def _until(condition: Callable[[], bool]) -> None:
    with anyio.fail_after(5):
        while not condition():
            await anyio.lowlevel.checkpoint()


async def _run_to_failure(manager: Manager, clock: FakeClock) -> BaseException:
    """Run the manager, jumping the clock whenever everything idles, until `run` raises."""
    outcome: list[BaseException] = []

    async def run() -> None:
        try:
            await manager.run()
        except Exception as err:
            outcome.append(err)

    async with anyio.create_task_group() as tg:
        tg.start_soon(run)
        with anyio.fail_after(10):
            await clock.run_until(lambda: bool(outcome))
    return outcome[0]


@pytest.mark.parametrize(
    ("options", "gives_up_at"),
    [(ManagerOptions(), 120.0), (ManagerOptions(cache_sync_timeout=15.0), 15.0)],
    ids=["default-2-minutes", "configured-15-s"],
)
async def test_run_gives_up_when_caches_do_not_sync(options: ManagerOptions, gives_up_at: float) -> None:
    """Item 7: a clear error naming the kind that did not sync and its last error; no controller ran."""
    clock = FakeClock()
    async with _client() as client:
        await client.create(_cm("a"))
        manager = Manager(client, clock=clock, options=options)
        recorder = Recorder()
        manager.controller("widgets", recorder).for_kind(Widget).owns(ConfigMap)
        err = await _run_to_failure(manager, clock)
    assert isinstance(err, CacheSyncTimeoutError)
    assert err.unsynced == {"Widget": "UnknownResourceError: no resource is registered for type Widget"}
    assert str(err) == (
        f"caches did not sync within {gives_up_at:g} s: Widget (last error: UnknownResourceError: "
        "no resource is registered for type Widget)"
    )
    assert clock.monotonic() == pytest.approx(gives_up_at)
    assert recorder.started == [], "a controller never starts before its caches synced"
    assert not any(h.watching for h in manager.factory.health()), "the informers were stopped"


@dataclass
class Running:
    scope: anyio.CancelScope = field(default_factory=anyio.CancelScope)
    ended: anyio.Event = field(default_factory=anyio.Event)
    error: Exception | None = None


async def _started(manager: Manager, tg: anyio.abc.TaskGroup) -> Running:
    """Start `manager.run` inside a scope of its own (so the test can cancel just that scope)."""
    running = Running()

    async def run(*, task_status: anyio.abc.TaskStatus[None]) -> None:
        try:
            with running.scope:
                await manager.run(task_status=task_status)
        except Exception as err:
            running.error = err
        finally:
            running.ended.set()

    with anyio.fail_after(5):
        await tg.start(run)
    return running


async def test_controller_registered_after_start_is_started_with_its_informers() -> None:
    """Item 8: a late controller gets its own (new) informer started and synced, then runs."""
    async with _client() as client:
        await client.create(_cm("early"))
        await client.create(Secret(metadata=ObjectMeta(name="s1", namespace="default")))
        manager = Manager(client, clock=FakeClock())
        first = Recorder()
        manager.controller("configmaps", first).for_kind(ConfigMap)
        async with anyio.create_task_group() as tg:
            await _started(manager, tg)
            await _until(lambda: first.finished == ["early"])
            late = Recorder()
            manager.controller("secrets", late).for_kind(Secret)
            await _until(lambda: late.finished == ["s1"])
            await client.create(Secret(metadata=ObjectMeta(name="s2", namespace="default")))
            await _until(lambda: late.finished == ["s1", "s2"])
            assert {h.kind: h.synced for h in manager.factory.health()} == {"ConfigMap": True, "Secret": True}
            manager.stop()
    assert first.finished == ["early"], "the first controller saw no secret"


async def test_late_controller_whose_cache_never_syncs_stops_the_manager_with_the_error() -> None:
    clock = FakeClock()
    async with _client() as client:
        manager = Manager(client, clock=clock)
        manager.controller("configmaps", Recorder()).for_kind(ConfigMap)
        async with anyio.create_task_group() as tg:
            running = await _started(manager, tg)
            late = Recorder()
            manager.controller("widgets", late).for_kind(Widget)
            with anyio.fail_after(10):
                await clock.run_until(running.ended.is_set)
    assert isinstance(running.error, CacheSyncTimeoutError)
    assert list(running.error.unsynced) == ["Widget"]
    assert clock.monotonic() == pytest.approx(120.0)
    assert late.started == []


@pytest.mark.parametrize("when", ["stopping", "stopped"])
async def test_registering_on_a_stopping_or_stopped_manager_raises(when: str) -> None:
    """Item 8: never silently ignored. While draining, and after `run` returned, the call raises."""
    async with _client() as client:
        await client.create(_cm("a"))
        manager = Manager(client, clock=FakeClock())
        recorder = Recorder(block=True)
        manager.controller("configmaps", recorder).for_kind(ConfigMap)
        async with anyio.create_task_group() as tg:
            await _started(manager, tg)
            await _until(lambda: recorder.started == ["a"])
            manager.stop()
            await _until(lambda: manager.controllers[0].stopping)
            if when == "stopping":
                with pytest.raises(RuntimeError, match="the manager is stopping: controller 'late'"):
                    manager.controller("late", Recorder())
            recorder.release.set()
        if when == "stopped":
            with pytest.raises(RuntimeError, match="the manager is stopped: controller 'late'"):
                manager.controller("late", Recorder())
    assert [c.name for c in manager.controllers] == ["configmaps"]


async def test_a_manager_runs_once() -> None:
    async with _client() as client:
        manager = Manager(client, clock=FakeClock())
        async with anyio.create_task_group() as tg:
            await _started(manager, tg)
            manager.stop()
        with pytest.raises(RuntimeError, match="a manager can be run only once"):
            await manager.run()


@pytest.mark.parametrize("how", ["cancel-scope", "stop"])
async def test_shutdown_lets_a_running_reconcile_finish_and_takes_no_new_keys(how: str) -> None:
    """Item 9: stop takes no new keys, waits for the in-flight reconcile, and stops informers last.

    Three config maps, one worker: `a` is in flight, `b` queued. After the stop, `c` is created; the
    informers still run (the cache sees `c`) but neither `b` nor `c` is reconciled.
    """
    clock = FakeClock()
    async with _client() as client:
        for name in ("a", "b"):
            await client.create(_cm(name))
        manager = Manager(client, clock=clock)
        recorder = Recorder(block=True)
        manager.controller("configmaps", recorder).for_kind(ConfigMap)
        controller = manager.controllers[0]
        lister = manager.factory.lister(ConfigMap)
        async with anyio.create_task_group() as tg:
            running = await _started(manager, tg)
            await _until(lambda: recorder.started == ["a"])
            running.scope.cancel() if how == "cancel-scope" else manager.stop()
            await _until(lambda: controller.stopping)
            await client.create(_cm("c"))
            await _until(lambda: lister.get("c", "default") is not None)
            assert all(h.watching for h in manager.factory.health()), (
                "informers outlive the draining controller"
            )
            recorder.release.set()
    assert recorder.started == ["a"] and recorder.finished == ["a"] and recorder.cancelled == []
    assert clock.monotonic() == 0.0, "no deadline was needed"
    assert not any(h.watching for h in manager.factory.health())


@pytest.mark.parametrize(
    ("options", "deadline"),
    [(ManagerOptions(), 30.0), (ManagerOptions(graceful_shutdown_timeout=5.0), 5.0)],
    ids=["default-30-s", "configured-5-s"],
)
async def test_shutdown_cancels_a_reconcile_that_overruns_the_deadline(
    options: ManagerOptions, deadline: float
) -> None:
    """Item 9: past the deadline (on the manager's clock) the reconcile is cancelled, while the
    informers still run; then the informers stop and `run` ends with the cancellation."""
    clock = FakeClock()
    async with _client() as client:
        await client.create(_cm("a"))
        manager = Manager(client, clock=clock, options=options)
        recorder = Recorder(manager=manager, block=True)
        manager.controller("configmaps", recorder).for_kind(ConfigMap)
        async with anyio.create_task_group() as tg:
            running = await _started(manager, tg)
            await _until(lambda: recorder.started == ["a"])
            running.scope.cancel()
            with anyio.fail_after(10):
                await clock.run_until(running.ended.is_set)
    assert recorder.cancelled == ["a"] and recorder.finished == []
    assert recorder.informers_watching_at_cancel == [True], "controllers stop before informers"
    assert clock.monotonic() == pytest.approx(deadline)
    assert not any(h.watching for h in manager.factory.health())


@pytest.mark.parametrize("how", ["cancel-scope", "stop"])
async def test_a_controller_alone_drains_when_stopped(how: str) -> None:
    """Item 9 for a bare `Controller`: queued keys are dropped, the running one finishes."""
    clock = FakeClock()
    recorder = Recorder(block=True)
    queue: RateLimitingQueue[Request] = RateLimitingQueue(name="bare", clock=clock)
    controller = Controller("bare", recorder, queue, clock=clock)
    for name in ("a", "b"):
        controller.enqueue(Request("default", name))
    async with anyio.create_task_group() as tg:
        scope = anyio.CancelScope()

        async def run() -> None:
            with scope:
                await controller.run()

        tg.start_soon(run)
        await _until(lambda: recorder.started == ["a"])
        scope.cancel() if how == "cancel-scope" else controller.stop()
        await _until(lambda: controller.stopping)
        controller.enqueue(Request("default", "late"))
        recorder.release.set()
    assert recorder.started == recorder.finished == ["a"]
    with pytest.raises(RuntimeError, match="controller 'bare' was started more than once"):
        await controller.run()


async def test_registering_right_after_stop_was_asked_raises() -> None:
    """Item 8: once `stop()` returned, the manager is stopping even before `run` noticed; a
    controller registered then would never run, so the call raises instead of being ignored."""
    async with _client() as client:
        await client.create(Secret(metadata=ObjectMeta(name="s1", namespace="default")))
        manager = Manager(client, clock=FakeClock())
        manager.controller("configmaps", Recorder()).for_kind(ConfigMap)
        late = Recorder()
        async with anyio.create_task_group() as tg:
            await _started(manager, tg)
            manager.stop()
            with pytest.raises(RuntimeError, match="the manager is stopping: controller 'late'"):
                manager.controller("late", late)
    assert [c.name for c in manager.controllers] == ["configmaps"]
    assert late.started == []
