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
  after a backoff; an exception inside a reconcile is an ordinary error result. Cancellation ends
  every worker; the queue is shut down on exit.
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

    def enqueue(self, request: Request) -> None:
        self.queue.add(request)

    async def run(self) -> None:
        try:
            async with anyio.create_task_group() as tg:
                await tg.start(self.queue.run)
                for index in range(self.options.workers):
                    tg.start_soon(self._supervised_worker, name=f"{self.name}-worker-{index}")
        finally:
            self.queue.shut_down()

    async def _supervised_worker(self) -> None:
        backoff = Backoff(self._clock)
        while True:
            try:
                await self._worker()
                return
            except Exception:
                delay = backoff.next_delay()
                log.exception("controller_worker_crashed", controller=self.name, restart_in=delay)
                await self._clock.sleep(delay)

    async def _worker(self) -> None:
        while True:
            try:
                request = await self.queue.get()
            except QueueShutDown:
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
