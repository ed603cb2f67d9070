"""The de-duplicating work queue (client-go `workqueue.Type`, W1–W6).

Contract:
- Items are hashable values, usually "namespace/name" keys. An item that needs processing is
  *dirty*; a dirty item is either *queued* (waiting, in FIFO order) or *processing* (handed out by
  `get`, not yet `done`) and then re-queued by `done`.
- `add(x)` of an item already dirty does nothing (W1; client-go's `Touch` is a no-op for a FIFO).
  `add(x)` while x is processing marks it dirty without queueing it; `done(x)` queues it exactly
  once, however many adds came in meanwhile (W2, W3).
- `get()` waits for an item, hands out the oldest queued one, moves it to processing and clears its
  dirty mark (W4). **An item is never handed out while it is processing**, so one key is never
  worked on by two workers at once. `get_nowait()` is the same without waiting.
- `done(x)` ends processing of x; `done` of an item that is not processing is ignored.
- `len(q)` counts queued items only: not processing ones, not those waiting in a delaying queue.
- Shutdown (W5): after `shut_down()`, `add` is silently ignored; `get` keeps handing out queued
  items (including dirty ones re-queued by a later `done`) and raises `QueueShutDown` once the
  queue is empty. Shutting down twice is harmless.
- `shut_down_with_drain()` (W6) shuts down and then waits while any item is processing; workers
  must call `done`. A later `shut_down()` ends that wait early. It watches the processing set
  only, as client-go does: with items queued but none processing it returns at once, and it
  returns as soon as the processing set empties even if `done` just re-queued an item.
- Only `get` and `shut_down_with_drain` wait; everything else is synchronous. Like
  `asyncio.Queue.get`, `get` returns without yielding to the event loop when an item is ready.
- Each queued item wakes exactly one waiting `get`. A waiter cancelled after being woken passes the
  wake-up on, so an item is never left queued while a `get` waits.
- Single event loop, no threads: the queue is not thread-safe.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable
from typing import Generic, TypeVar

import anyio

from kubelite.clock import Clock, SystemClock
from kubelite.workqueue.metrics import MetricsProvider, NoopMetricsProvider, QueueMetrics

T = TypeVar("T", bound=Hashable)


class QueueShutDown(Exception):
    """`get` on a queue that is shut down and empty: the worker should stop."""


class Queue(Generic[T]):
    """A FIFO of distinct items where an item is never processed twice at once."""

    def __init__(
        self, *, name: str = "", clock: Clock | None = None, metrics: MetricsProvider | None = None
    ) -> None:
        self.name = name
        self._clock: Clock = clock if clock is not None else SystemClock()
        self._queue: deque[T] = deque()
        self._dirty: set[T] = set()
        self._processing: set[T] = set()
        self._waiters: deque[anyio.Event] = deque()
        self._shutting_down = False
        self._drain = False
        self._drained: anyio.Event | None = None
        self._metrics: QueueMetrics[T] | None = None
        if metrics is not None and not isinstance(metrics, NoopMetricsProvider):
            self._metrics = QueueMetrics(name, metrics, self._clock)

    def __len__(self) -> int:
        return len(self._queue)

    @property
    def shutting_down(self) -> bool:
        return self._shutting_down

    def add(self, item: T) -> None:
        """Mark `item` as needing processing (see the module contract for W1–W3, W5)."""
        if self._shutting_down or item in self._dirty:
            return
        if self._metrics is not None:
            self._metrics.add(item)
        self._dirty.add(item)
        if item in self._processing:
            return
        self._queue.append(item)
        if self._waiters:
            self._waiters.popleft().set()

    async def get(self) -> T:
        """Wait for an item and hand it out; raise `QueueShutDown` once shut down and empty."""
        if not self._queue:
            await self._wait_for_item()
        return self._take()

    def get_nowait(self) -> T:
        """Hand out an item now; `anyio.WouldBlock` if none is queued, `QueueShutDown` if shut down."""
        if self._queue:
            return self._take()
        if self._shutting_down:
            raise QueueShutDown
        raise anyio.WouldBlock

    def done(self, item: T) -> None:
        """End processing of `item`; re-queue it if it was added meanwhile (W2)."""
        processing = self._processing
        if item not in processing:
            return
        processing.remove(item)
        if self._metrics is not None:
            self._metrics.done(item)
        if item in self._dirty:
            self._queue.append(item)
            if self._waiters:
                self._waiters.popleft().set()
        if not processing and self._drained is not None:
            self._drained.set()
            self._drained = None

    def shut_down(self) -> None:
        """Ignore further adds; let `get` drain the queue, then raise `QueueShutDown` (W5)."""
        self._drain = False
        self._begin_shutdown()
        if self._drained is not None:
            self._drained.set()
            self._drained = None

    async def shut_down_with_drain(self) -> None:
        """Shut down, then wait until no item is processing or `shut_down()` is called (W6)."""
        self._drain = True
        self._begin_shutdown()
        while self._processing and self._drain:
            if self._drained is None:
                self._drained = anyio.Event()
            await self._drained.wait()

    def _begin_shutdown(self) -> None:
        self._shutting_down = True
        self._stop_waiting()
        while self._waiters:
            self._waiters.popleft().set()

    def _stop_waiting(self) -> None:
        """Hook for subclasses that hold items outside the queue (the delaying queue)."""

    def _take(self) -> T:
        item = self._queue.popleft()
        self._processing.add(item)
        self._dirty.discard(item)
        if self._metrics is not None:
            self._metrics.get(item)
        return item

    async def _wait_for_item(self) -> None:
        while not self._queue:
            if self._shutting_down:
                raise QueueShutDown
            woken = anyio.Event()
            self._waiters.append(woken)
            try:
                await woken.wait()
            except BaseException:
                self._abandon(woken)
                raise

    def _abandon(self, woken: anyio.Event) -> None:
        """A waiter is leaving (cancelled): hand its wake-up, if it had one, to the next waiter."""
        if not woken.is_set():
            self._waiters.remove(woken)
        elif self._queue and self._waiters:
            self._waiters.popleft().set()
