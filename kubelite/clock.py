"""Injectable time.

Contract: every component that reads time or waits takes a `Clock`. `SystemClock` is the real one.
`FakeClock` never moves on its own: tests call `advance()`, which wakes every sleeper whose deadline
has passed, in deadline order. Sleepers on a `FakeClock` are woken only by `advance()` or
cancellation. `now()` is wall time in seconds since the epoch (used for timestamps written into
objects); `monotonic()` is for measuring durations. On a `FakeClock` both move together.

This module imports nothing from kubelite, so every layer may use it.
"""

from __future__ import annotations

import heapq
import itertools
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Protocol

import anyio
import anyio.lowlevel


class Clock(Protocol):
    """A source of time that can also wait."""

    def now(self) -> float:
        """Wall-clock seconds since the epoch."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never goes backwards."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Return after `seconds` have passed on this clock (at once if ≤ 0)."""
        ...


_SETTLE_CHECKPOINTS = 50
"""Scheduler passes that count as "every task is idle" before `run_until` moves time."""


class SystemClock:
    """The real clock."""

    def now(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await anyio.sleep(max(0.0, seconds))


class FakeClock:
    """A clock that moves only when told to (`advance`, `set`)."""

    def __init__(self, start: float = 1_767_225_600.0) -> None:
        self._now = start
        self._mono = 0.0
        self._seq = itertools.count()
        self._sleepers: list[tuple[float, int, anyio.Event]] = []

    def now(self) -> float:
        return self._now

    def monotonic(self) -> float:
        return self._mono

    @property
    def sleepers(self) -> int:
        """How many tasks are waiting on this clock (useful to wait until a loop is parked)."""
        return sum(1 for _, _, event in self._sleepers if not event.is_set())

    async def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            await anyio.lowlevel.checkpoint()
            return
        event = anyio.Event()
        heapq.heappush(self._sleepers, (self._mono + seconds, next(self._seq), event))
        try:
            await event.wait()
        finally:
            event.set()  # a cancelled sleeper no longer counts as waiting

    def next_deadline(self) -> float | None:
        """The monotonic time at which the earliest waiting sleeper is due, or None."""
        while self._sleepers and self._sleepers[0][2].is_set():
            heapq.heappop(self._sleepers)
        return self._sleepers[0][0] if self._sleepers else None

    async def run_until(self, done: Callable[[], bool], *, max_steps: int = 10_000) -> None:
        """Let tasks run; whenever they are all idle, jump to the next sleeper's deadline.

        Returns once `done()` is true. Raises `TimeoutError` if `max_steps` jumps pass first or no
        sleeper is left to wake while `done()` is still false. Bound it with `anyio.fail_after`.
        """
        for _ in range(max_steps):
            for _ in range(_SETTLE_CHECKPOINTS):
                if done():
                    return
                await anyio.lowlevel.checkpoint()
            deadline = self.next_deadline()
            if deadline is None:
                raise TimeoutError("nothing is sleeping on the clock and the condition is still false")
            self.advance(max(0.0, deadline - self._mono))
        raise TimeoutError(f"condition still false after {max_steps} clock jumps")

    def advance(self, seconds: float) -> None:
        """Move time forward and wake every sleeper whose deadline is now due."""
        if seconds < 0:
            raise ValueError("a clock cannot go backwards")
        self._now += seconds
        self._mono += seconds
        while self._sleepers and self._sleepers[0][0] <= self._mono:
            _, _, event = heapq.heappop(self._sleepers)
            event.set()


def rfc3339(seconds: float) -> str:
    """Kubernetes' timestamp form: RFC 3339, UTC, second precision (`2026-01-01T00:00:00Z`)."""
    return datetime.fromtimestamp(int(seconds), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_rfc3339(value: str) -> float:
    """Seconds since the epoch for an RFC 3339 timestamp (`Z` or an offset; fractions allowed)."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    return datetime.fromisoformat(text).timestamp()
