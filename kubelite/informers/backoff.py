"""Exponential backoff with reset, as client-go's reflector uses it (F5).

`next_delay()` after a failure returns initial, 2×, 4×, … capped at `cap`, each stretched by up to
`jitter` (delay × (1 + jitter × U[0,1))). If no failure happened for more than `reset_after`
seconds (strictly more, as in client-go), the sequence starts over. Defaults: 0.8 s doubling to
30 s, jitter 1.0, reset after 120 s. Time comes from the given clock; randomness from the given
`random.Random` (seed it in tests, or set jitter 0).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from kubelite.clock import Clock


@dataclass(frozen=True, slots=True)
class BackoffSettings:
    initial: float = 0.8
    factor: float = 2.0
    cap: float = 30.0
    jitter: float = 1.0
    reset_after: float = 120.0


@dataclass(slots=True)
class Backoff:
    clock: Clock
    settings: BackoffSettings = field(default_factory=BackoffSettings)
    rng: random.Random = field(default_factory=random.Random)
    _current: float = 0.0
    _last_failure: float | None = None

    def next_delay(self) -> float:
        """Record a failure now and return how long to wait before retrying."""
        now = self.clock.monotonic()
        s = self.settings
        if self._last_failure is not None and now - self._last_failure > s.reset_after:
            self._current = 0.0
        self._current = s.initial if self._current == 0.0 else min(self._current * s.factor, s.cap)
        self._last_failure = now
        return self._current * (1.0 + s.jitter * self.rng.random())

    async def wait(self) -> float:
        delay = self.next_delay()
        await self.clock.sleep(delay)
        return delay
