"""One timer heap per fake runtime, and the place where tasks wait for the runtime to change.

Contract: the fake runtime needs no background task. Timers (a sleep step ending, a stop's grace
period running out) sit in one heap, keyed by monotonic deadline; `catch_up()` fires every timer
that is due, in deadline order, and the runtime calls it at the top of every public method, so
state is always as of the clock's current time. `fire(due, kind, key)` is told the deadline it
fires for, so timestamps are exact even when the state is looked at later (`wall(due)`).

Tasks that wait for something (event streams, followed logs, a stop waiting out its grace period)
call `until(ready)`: it catches up, and if `ready()` is still false parks the task until `notify()`
is called (the runtime does that on every state change) or the next timer is due on the clock.
Parked tasks are sleepers on the clock, so `FakeClock.run_until` and `advance` wake them.

`run()` is the optional eager loop: it fires timers when they fall due even when nobody looks,
which keeps a sleeper on the clock at every pending deadline. While it runs, parked tasks wait
for `notify()` alone and only the loop sleeps on the clock (and is woken only when an earlier
deadline is scheduled), so a busy runtime does not leave one cancelled clock sleeper behind per
change. Start it when many runtimes share a process. Cancelling a waiter or the loop is safe.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable

import anyio
from anyio.abc import TaskStatus

from kubelite.clock import Clock

Fire = Callable[[float, int, str], None]


class Ticker:
    """Timers and waiters of one runtime."""

    __slots__ = ("_alarm", "_clock", "_fire", "_heap", "_looping", "_seq", "_waiters")

    def __init__(self, clock: Clock, fire: Fire) -> None:
        self._clock = clock
        self._fire = fire
        self._heap: list[tuple[float, int, int, str]] = []
        self._seq = itertools.count()
        self._waiters: set[anyio.CancelScope] = set()
        self._alarm: anyio.CancelScope | None = None  # where `run()` sleeps until the next deadline
        self._looping = False

    def __len__(self) -> int:
        """Timers in the heap (including ones whose target has gone away since)."""
        return len(self._heap)

    def monotonic(self) -> float:
        return self._clock.monotonic()

    def wall(self, mono: float) -> float:
        """The wall-clock time of the monotonic instant `mono`."""
        return self._clock.now() - (self._clock.monotonic() - mono)

    def schedule(self, due: float, kind: int, key: str) -> None:
        """Fire `(due, kind, key)` once the monotonic clock reaches `due`."""
        earliest = not self._heap or due < self._heap[0][0]
        heapq.heappush(self._heap, (due, next(self._seq), kind, key))
        if not earliest:
            return
        if self._looping:
            if self._alarm is not None:
                self._alarm.cancel()  # the loop sleeps until the old head; let it re-plan
        else:
            self.notify()  # parked tasks sleep until the old head; let them re-plan

    def catch_up(self) -> None:
        """Fire every timer that is due, earliest first (timers fired may schedule more)."""
        heap = self._heap
        if not heap:
            return
        now = self._clock.monotonic()
        while heap and heap[0][0] <= now:
            due, _, kind, key = heapq.heappop(heap)
            self._fire(due, kind, key)

    def notify(self) -> None:
        """Wake every parked task so it re-checks its condition."""
        for scope in self._waiters:
            scope.cancel()
        self._waiters.clear()

    async def until(self, ready: Callable[[], bool]) -> None:
        """Return once `ready()` is true, checking after every change and every due timer."""
        while True:
            self.catch_up()
            if ready():
                return
            await self._park()

    async def run(self, *, task_status: TaskStatus[None] = anyio.TASK_STATUS_IGNORED) -> None:
        """Fire timers as they fall due, forever (cancel it to stop). One loop per ticker."""
        if self._looping:
            raise RuntimeError("this runtime's timer loop is already running")
        self._looping = True
        try:
            task_status.started()
            while True:
                self.catch_up()
                with anyio.CancelScope() as self._alarm:
                    await self._sleep_until_due()
        finally:
            self._looping, self._alarm = False, None
            self.notify()  # parked tasks go back to watching the clock themselves

    async def _park(self) -> None:
        with anyio.CancelScope() as scope:
            self._waiters.add(scope)
            try:
                if self._looping:
                    await anyio.sleep_forever()
                else:
                    await self._sleep_until_due()
            finally:
                self._waiters.discard(scope)

    async def _sleep_until_due(self) -> None:
        if self._heap:
            await self._clock.sleep(self._heap[0][0] - self._clock.monotonic())
        else:
            await anyio.sleep_forever()
