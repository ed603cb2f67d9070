"""`Manager`: runs informers and controllers together, starts them in order and stops them in order.

Usage:

    manager = Manager(client, clock=clock)
    manager.controller("replicaset", reconciler, workers=2).for_kind(ReplicaSet).owns(Pod)
    async with anyio.create_task_group() as tg:
        await tg.start(manager.run)     # returns once every informer has synced
    # or, from a script: `await manager.serve()` runs until SIGINT/SIGTERM, then stops gracefully

Contract:
- `run` starts the informers, waits until every cache has synced, reports readiness through
  `task_status`, then runs every controller. A controller never starts before its caches synced.
- Caches that do not sync within `ManagerOptions.cache_sync_timeout` (2 min on the manager's clock,
  as controller-runtime's CacheSyncTimeout; None waits forever) make `run` stop and raise
  `CacheSyncTimeoutError`, naming each kind still unsynced and its reflector's last error.
- `controller()` after `run` began registers and starts the controller (and its informers; it runs
  once they have synced, and a sync timeout then stops the manager with that error). Once the
  manager is stopping (from the moment `stop()` returns) or stopped, `controller()` and new
  watches raise `RuntimeError`.
- Stopping, by `stop()` or by cancelling the scope that runs `run`: every controller drains at once
  (no new keys; running reconciles get `graceful_shutdown_timeout`, 30 s by default, then are
  cancelled; see `controller`), and only after every controller has returned are the informers
  stopped. `run` then returns, or re-raises the cancellation.
- All loops live in `run`'s task groups: a failure that their own supervision does not absorb stops
  the manager the same way and then propagates out of `run`, loudly.
"""

from __future__ import annotations

import enum
import signal
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import anyio
import structlog
from anyio.abc import TaskStatus
from prometheus_client import CollectorRegistry

from kubelite.client import Client
from kubelite.clock import Clock, SystemClock
from kubelite.controllers.runtime.builder import ControllerBuilder
from kubelite.controllers.runtime.controller import Controller, ControllerOptions, RequestQueue
from kubelite.controllers.runtime.lifecycle import CacheSyncTimeoutError, ShieldedGroup, wait_for_informers
from kubelite.controllers.runtime.metrics import ControllerMetrics
from kubelite.controllers.runtime.reconcile import Reconciler
from kubelite.informers.factory import SharedInformerFactory
from kubelite.informers.metrics import InformerMetrics
from kubelite.workqueue import PrometheusMetricsProvider, RateLimitingQueue

QueueFactory = Callable[[str, Clock], RequestQueue]
log = structlog.get_logger("kubelite.controllers")


@dataclass(frozen=True, slots=True)
class ManagerOptions:
    cache_sync_timeout: float | None = 120.0
    """Seconds `run` waits for informer caches to sync before it gives up (None: forever)."""
    graceful_shutdown_timeout: float | None = 30.0
    """Seconds running reconciles may take to finish once the manager stops (None: no limit)."""


class _State(enum.Enum):
    NEW = "new"
    STARTING = "starting"
    RUNNING = "running"
    STOPPING = "stopping"
    STOPPED = "stopped"


class Manager:
    def __init__(
        self,
        client: Client,
        *,
        options: ManagerOptions | None = None,
        queue_factory: QueueFactory | None = None,
        clock: Clock | None = None,
        registry: CollectorRegistry | None = None,
        detect_mutation: bool = False,
    ) -> None:
        self.client = client
        """The client controllers write with (the manager's informers read through it too)."""
        self.options = options or ManagerOptions()
        self.clock = clock if clock is not None else SystemClock()
        self.registry = registry if registry is not None else CollectorRegistry()
        informer_metrics = InformerMetrics.create(self.registry)
        self.factory = SharedInformerFactory(
            client, clock=self.clock, detect_mutation=detect_mutation, metrics=informer_metrics
        )
        self.metrics = ControllerMetrics.create(self.registry)
        self._workqueue_metrics = PrometheusMetricsProvider(self.registry)
        self._queue_factory = queue_factory or self._default_queue
        self.controllers: list[Controller] = []
        self._state = _State.NEW
        self._stop_requested = anyio.Event()
        self._informers: ShieldedGroup | None = None
        self._controllers: ShieldedGroup | None = None
        self._failure: Exception | None = None

    def _default_queue(self, name: str, clock: Clock) -> RequestQueue:
        """client-go's default: per-item exponential 5 ms → 1000 s, max-of a 10/s burst-100 bucket."""
        return RateLimitingQueue(name=name, clock=clock, metrics=self._workqueue_metrics)

    @property
    def started(self) -> bool:
        return self._state is not _State.NEW

    def controller(self, name: str, reconciler: Reconciler, *, workers: int = 1) -> ControllerBuilder:
        """Register a controller; started at once if the manager runs (see the module docstring)."""
        self._refuse_when_stopping(f"controller {name!r}")
        if any(c.name == name for c in self.controllers):
            raise ValueError(f"a controller named {name!r} already exists")
        if workers < 1:
            raise ValueError(f"controller {name!r}: workers must be at least 1, got {workers}")
        grace = self.options.graceful_shutdown_timeout
        options = ControllerOptions(workers=workers, graceful_shutdown_timeout=grace)
        queue = self._queue_factory(name, self.clock)
        controller = Controller(
            name, reconciler, queue, clock=self.clock, options=options, metrics=self.metrics
        )
        self.controllers.append(controller)
        if self._state is _State.RUNNING and self._controllers is not None:
            self._controllers.start_soon(self._start_late, controller, name=f"controller:{name}")
        return ControllerBuilder(controller, self.factory, on_watch=self._start_informers)

    def stop(self) -> None:
        """Ask `run` to stop gracefully and return; harmless before `run` and after it ended."""
        self._stop_requested.set()

    async def run(self, *, task_status: TaskStatus[Any] = anyio.TASK_STATUS_IGNORED) -> None:
        if self._state is not _State.NEW:
            raise RuntimeError("a manager can be run only once")
        self._state = _State.STARTING
        try:
            async with anyio.create_task_group() as parent:
                self._informers = await ShieldedGroup.open(parent, "manager:informers")
                self._controllers = await ShieldedGroup.open(parent, "manager:controllers")
                try:
                    await self._start(task_status)
                    await self._stop_requested.wait()
                finally:
                    with anyio.CancelScope(shield=True):
                        await self._shutdown()
        finally:
            self._state = _State.STOPPED
        if self._failure is not None:
            raise self._failure

    async def serve(self) -> None:
        """Run until SIGINT or SIGTERM (or `stop()`), then stop gracefully: one call for a script."""
        failure: Exception | None = None
        with anyio.open_signal_receiver(signal.SIGINT, signal.SIGTERM) as signals:
            async with anyio.create_task_group() as group:
                group.start_soon(self._stop_on_signal, signals)
                try:
                    await self.run()
                except Exception as err:  # re-raised below, unwrapped from the task group
                    failure = err
                group.cancel_scope.cancel()
        if failure is not None:
            raise failure

    async def _stop_on_signal(self, signals: Any) -> None:
        async for number in signals:
            log.info("manager_signal", signal=signal.Signals(number).name)
            self.stop()
            return

    async def _start(self, task_status: TaskStatus[Any]) -> None:
        self._start_informers()
        try:
            await wait_for_informers(self.factory, self.clock, self.options.cache_sync_timeout)
        except CacheSyncTimeoutError as err:
            self._fail(err)
            return
        self._state = _State.RUNNING
        assert self._controllers is not None
        for controller in self.controllers:
            self._controllers.start_soon(controller.run, name=f"controller:{controller.name}")
        log.info("manager_started", controllers=[c.name for c in self.controllers])
        task_status.started()

    async def _start_late(self, controller: Controller) -> None:
        """A controller registered while running: wait for its informers' sync, then run it."""
        try:
            await wait_for_informers(self.factory, self.clock, self.options.cache_sync_timeout)
        except CacheSyncTimeoutError as err:
            self._fail(err)
            return
        await controller.run()

    def _start_informers(self) -> None:
        """Start informers not started yet (a builder calls this after each watch)."""
        self._refuse_when_stopping("a new watch")
        if self._informers is not None:
            self.factory.start(self._informers.task_group)

    def _refuse_when_stopping(self, what: str) -> None:
        state = self._state
        if state is not _State.NEW and state is not _State.STOPPED and self._stop_requested.is_set():
            state = _State.STOPPING  # asked to stop; `run` has not noticed yet
        if state in (_State.STOPPING, _State.STOPPED):
            raise RuntimeError(f"the manager is {state.value}: {what} cannot be added")

    def _fail(self, err: Exception) -> None:
        log.error("manager_failed", error=str(err))
        if self._failure is None:
            self._failure = err
        self.stop()

    async def _shutdown(self) -> None:
        """Controllers first (each drains), informers after every controller has returned."""
        self._state = _State.STOPPING
        log.info("manager_stopping", timeout=self.options.graceful_shutdown_timeout)
        for controller in self.controllers:
            controller.stop()
        if self._controllers is not None:
            await self._controllers.close()
        if self._informers is not None:
            await self._informers.close()
        log.info("manager_stopped")
