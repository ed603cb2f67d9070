"""The delaying queue: a `Queue` whose items can be added after a delay (client-go `delaying_queue.go`).

Contract (on top of `kubelite.workqueue.queue`):
- `add_after(x, d)` adds x once `d` seconds have passed on the queue's clock. `d <= 0` is exactly
  `add(x)`, done at once (D1). After shutdown `add_after` is ignored (D1).
- While x is waiting, another `add_after(x, d)` can only move its ready time earlier; a later time
  is ignored (D2). Waiting items are not counted by `len()` (`waiting` counts them) and are not
  dirty: a plain `add(x)` queues x at once, and x is added again (a no-op if it is still dirty)
  when its time comes.
- A waiting item is added when the clock reaches its ready time. Times are compared at nanosecond
  resolution, as Go's are: an item is due once the clock is within 1 ns of its ready time.
- The waiting loop (`run`) sleeps on the clock until the earliest ready time, but never longer than
  `heartbeat` seconds (10 s by default, D3); an `add_after` that is due earlier than the loop's
  wake-up wakes it. With a `FakeClock`, `advance()` alone releases due items: nothing sleeps for
  real.
- The loop is a long-running task owned by the caller: either `async with DelayingQueue(...) as q:`
  (the queue runs its own task group and shuts down on exit) or `await task_group.start(q.run)`.
  Items given to `add_after` before the loop starts wait for it; nothing releases them without it.
  `run` returns when the queue shuts down; running it twice at once raises `RuntimeError`.
- Shutdown (either kind) drops the waiting items and stops the loop.
- Metrics, choice for D4: `retries_total` counts **every** `add_after` that is not ignored by
  shutdown, including `d <= 0`, as client-go does (controller-runtime wraps client-go's queue, so
  its "non-zero delay" help text does not match what it records).
"""

from __future__ import annotations

import heapq
import itertools
import math
import sys
from collections.abc import Hashable
from types import TracebackType
from typing import Self, TypeVar

import anyio
from anyio.abc import TaskGroup, TaskStatus

from kubelite.clock import Clock
from kubelite.workqueue.metrics import MetricsProvider
from kubelite.workqueue.queue import Queue

T = TypeVar("T", bound=Hashable)

HEARTBEAT = 10.0
_RESOLUTION = 1e-9


class DelayingQueue(Queue[T]):
    """A `Queue` with `add_after`; its waiting loop must be running (see the module contract)."""

    def __init__(
        self,
        *,
        name: str = "",
        clock: Clock | None = None,
        metrics: MetricsProvider | None = None,
        heartbeat: float = HEARTBEAT,
    ) -> None:
        super().__init__(name=name, clock=clock, metrics=metrics)
        self._heartbeat = heartbeat
        self._heap: list[tuple[float, int, T]] = []
        self._ready_at: dict[T, float] = {}
        self._seq = itertools.count()
        self._running = False
        self._wake: anyio.CancelScope | None = None
        self._wake_at = math.inf
        self._task_group: TaskGroup | None = None

    @property
    def waiting(self) -> int:
        """How many distinct items wait for their ready time."""
        return len(self._ready_at)

    def add_after(self, item: T, delay: float) -> None:
        """Add `item` after `delay` seconds (D1, D2)."""
        if self._shutting_down:
            return
        if self._metrics is not None:
            self._metrics.retry()
        if delay <= 0:
            self.add(item)
            return
        ready_at = self._clock.monotonic() + delay
        current = self._ready_at.get(item)
        if current is not None and current <= ready_at:
            return
        self._ready_at[item] = ready_at
        heapq.heappush(self._heap, (ready_at, next(self._seq), item))
        if ready_at < self._wake_at and self._wake is not None:
            self._wake.cancel()

    async def run(self, *, task_status: TaskStatus[None] = anyio.TASK_STATUS_IGNORED) -> None:
        """The waiting loop: release due items until the queue shuts down."""
        if self._running:
            raise RuntimeError("this delaying queue's waiting loop is already running")
        self._running = True
        task_status.started()
        try:
            while not self._shutting_down:
                await self._park(self._release_due())
        finally:
            self._running = False

    async def __aenter__(self) -> Self:
        task_group = anyio.create_task_group()
        await task_group.__aenter__()
        try:
            await task_group.start(self.run)
        except BaseException:
            await task_group.__aexit__(*sys.exc_info())
            raise
        self._task_group = task_group
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> bool | None:
        self.shut_down()
        task_group, self._task_group = self._task_group, None
        assert task_group is not None, "__aexit__ without __aenter__"
        return await task_group.__aexit__(kind, error, tb)

    def _release_due(self) -> float:
        """Add every due item; return how long the loop may sleep."""
        heap, ready = self._heap, self._ready_at
        now = self._clock.monotonic()
        while heap:
            ready_at, _, item = heap[0]
            if ready.get(item) != ready_at:
                heapq.heappop(heap)  # superseded by an earlier ready time, or already released
                continue
            remaining = ready_at - now
            if remaining > _RESOLUTION:
                return min(remaining - _RESOLUTION / 2, self._heartbeat)
            heapq.heappop(heap)
            del ready[item]
            self.add(item)
        return self._heartbeat

    async def _park(self, delay: float) -> None:
        try:
            with anyio.CancelScope() as scope:
                self._wake = scope
                self._wake_at = self._clock.monotonic() + delay
                await self._clock.sleep(delay)
        finally:
            self._wake = None
            self._wake_at = math.inf

    def _stop_waiting(self) -> None:
        self._heap.clear()
        self._ready_at.clear()
        if self._wake is not None:
            self._wake.cancel()
