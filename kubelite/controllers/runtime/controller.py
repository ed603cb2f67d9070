"""A controller: a rate-limited workqueue of `Request`s drained by N workers running a reconciler.

Contract:
- Keys come from informer handlers (`watches`), never from the reconciler's own calls; a key is
  reconciled by at most one worker at a time (the queue guarantees it) and re-run once if it was
  added again meanwhile.
- Results map to the queue and to metrics as controller-runtime's reconcileHandler does (the table
  in `outcome`): success → forget; requeue_after → forget + add_after; requeue or error →
  add_rate_limited; TerminalError → no retry. A reconciler that raises a non-`Exception` or
  returns an invalid value is recovered (`RecoveredPanic`, counted in `reconcile_panics_total`)
  and its key retried with backoff; cancellation and process signals propagate.
- Each reconcile runs with structlog context `controller`, `key` and a fresh `reconcile_id`.
- Workers are supervised: a worker whose loop fails outside a reconcile is logged and restarted
  after a backoff; an exception inside a reconcile is an ordinary error result.
- Graceful shutdown (controller-runtime's): `run` returns after `stop()`, and when the scope running
  it is cancelled it drains before the cancellation propagates. Draining shuts the queue down, so
  no worker takes another key (keys still queued are dropped, and later adds are ignored); running
  reconciles get `graceful_shutdown_timeout` seconds on the controller's clock (30 s by default,
  None for no limit) to finish, and whatever still runs then is cancelled. Workers run in a group
  shielded from the outer cancellation, so the drain, not the cancel, decides when they stop. A
  controller runs once: a second `run` raises `RuntimeError`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Protocol

import anyio
import structlog
from anyio.abc import TaskStatus

from kubelite.clock import Clock
from kubelite.controllers.runtime import outcome
from kubelite.controllers.runtime.lifecycle import ShieldedGroup, finished_within
from kubelite.controllers.runtime.metrics import ControllerMetrics
from kubelite.controllers.runtime.reconcile import Reconciler, Request
from kubelite.informers.backoff import Backoff
from kubelite.workqueue import QueueShutDown

log = structlog.get_logger("kubelite.controllers")


class RequestQueue(Protocol):
    """The rate-limiting workqueue operations a controller uses."""

    def add(self, item: Request) -> None: ...

    def add_after(self, item: Request, delay: float) -> None: ...

    def add_rate_limited(self, item: Request) -> None: ...

    def forget(self, item: Request) -> None: ...

    def done(self, item: Request) -> None: ...

    def shut_down(self) -> None: ...

    async def get(self) -> Request:
        """The next key; raises `QueueShutDown` once the queue is shut down and drained."""
        ...

    async def run(self, *, task_status: TaskStatus[None] = anyio.TASK_STATUS_IGNORED) -> None:
        """The queue's delaying loop."""
        ...


@dataclass(slots=True)
class ControllerOptions:
    workers: int = 1
    """MaxConcurrentReconciles (C5 default 1)."""
    graceful_shutdown_timeout: float | None = 30.0
    """Seconds running reconciles may take to finish once the controller stops (None: no limit)."""


class Controller:
    def __init__(
        self,
        name: str,
        reconciler: Reconciler,
        queue: RequestQueue,
        *,
        clock: Clock,
        options: ControllerOptions | None = None,
        metrics: ControllerMetrics | None = None,
    ) -> None:
        self.name = name
        self.reconciler = reconciler
        self.queue = queue
        self.options = options or ControllerOptions()
        self._clock = clock
        self._metrics = metrics
        if metrics is not None:
            metrics.register_controller(name, self.options.workers)
        self._started = False
        self._stop_requested = anyio.Event()
        self._draining = anyio.Event()
        self._workers_done = anyio.Event()

    def enqueue(self, request: Request) -> None:
        self.queue.add(request)

    @property
    def stopping(self) -> bool:
        """True once the controller has begun to drain: it takes no new keys."""
        return self._draining.is_set()

    def stop(self) -> None:
        """Ask `run` to drain and return (see the module docstring); harmless if never started."""
        self._stop_requested.set()

    async def run(self, *, task_status: TaskStatus[None] = anyio.TASK_STATUS_IGNORED) -> None:
        """Run the workers until `stop()` or cancellation, then drain; see the module docstring."""
        if self._started:
            raise RuntimeError(f"controller {self.name!r} was started more than once")
        self._started = True
        async with anyio.create_task_group() as parent:
            group = await ShieldedGroup.open(parent, f"controller:{self.name}")
            try:
                with anyio.CancelScope(shield=True):
                    await group.task_group.start(self.queue.run)
                group.start_soon(self._run_workers, name=f"controller:{self.name}:workers")
                task_status.started()
                await self._stop_requested.wait()
            finally:
                with anyio.CancelScope(shield=True):
                    await self._drain(group)

    async def _run_workers(self) -> None:
        try:
            async with anyio.create_task_group() as tg:
                for index in range(self.options.workers):
                    tg.start_soon(self._supervised_worker, name=f"{self.name}-worker-{index}")
        finally:
            self._workers_done.set()

    async def _drain(self, group: ShieldedGroup) -> None:
        """Stop taking keys, give running reconciles the grace period, then cancel what is left."""
        self._draining.set()
        self.queue.shut_down()
        timeout = self.options.graceful_shutdown_timeout
        log.info("controller_stopping", controller=self.name, timeout=timeout)
        if not await finished_within(self._clock, timeout, self._workers_done.wait):
            log.warning("controller_shutdown_timeout", controller=self.name, timeout=timeout)
        await group.close()
        log.info("controller_stopped", controller=self.name)

    async def _supervised_worker(self) -> None:
        backoff = Backoff(self._clock)
        while True:
            try:
                await self._worker()
                return
            except Exception:
                delay = backoff.next_delay()
                log.exception("controller_worker_crashed", controller=self.name, restart_in=delay)
                if await finished_within(self._clock, delay, self._draining.wait):
                    return  # stopping: do not restart

    async def _worker(self) -> None:
        while True:
            try:
                request = await self.queue.get()
            except QueueShutDown:
                return
            if self.stopping:  # a shut-down queue still hands out what it held: leave that alone
                self.queue.done(request)
                return
            try:
                await self.process(request)
            finally:
                self.queue.done(request)

    async def process(self, request: Request) -> None:
        """Reconcile one key and feed the outcome back to the queue (see `outcome`)."""
        started = self._clock.monotonic()
        bound = structlog.contextvars.bound_contextvars(
            controller=self.name, key=str(request), reconcile_id=str(uuid.uuid4())
        )
        with bound:
            result = await self._reconcile(request)
            outcome.log_outcome(result)
        outcome.settle(self.queue, request, result)
        if self._metrics is not None:
            outcome.record(self._metrics, self.name, result, self._clock.monotonic() - started)

    async def _reconcile(self, request: Request) -> outcome.Outcome:
        """Run the reconciler; whatever it raises or returns becomes an outcome (panics recovered)."""
        if self._metrics is not None:
            self._metrics.active_workers.labels(self.name).inc()
        try:
            returned = await self.reconciler.reconcile(request)
        except Exception as err:
            return err
        except BaseException as err:
            return outcome.recover(err)  # re-raises cancellation and process signals
        finally:
            if self._metrics is not None:
                self._metrics.active_workers.labels(self.name).dec()
        return outcome.checked(returned)
