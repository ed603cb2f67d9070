"""`TokenBucket`: the per-zone NoExecute tainting rate limit (NODE-9), on an injectable clock.

A bucket holds at most `burst` tokens and gains `rate` tokens per second. `try_accept()` takes one
token if a whole one is there and says whether it did; it never waits. `wait()` is the time until the
next whole token, or None when the rate is 0 (nothing is ever accepted). `set_rate(r)` changes the
rate from now on; the tokens already earned are kept (capped at `burst`), so a zone that switches
rate does not get a fresh burst (upstream drains the new limiter when the old one was empty).
"""

from __future__ import annotations

from kubelite.clock import Clock


class TokenBucket:
    def __init__(self, rate: float, burst: int, clock: Clock) -> None:
        self._clock = clock
        self._burst = float(burst)
        self._rate = rate
        self._tokens = float(burst) if rate > 0 else 0.0
        self._stamp = clock.monotonic()

    @property
    def rate(self) -> float:
        return self._rate

    def set_rate(self, rate: float) -> None:
        self._refill()
        self._rate = rate

    def try_accept(self) -> bool:
        self._refill()
        if self._rate <= 0 or self._tokens < 1.0:
            return False
        self._tokens -= 1.0
        return True

    def wait(self) -> float | None:
        self._refill()
        if self._rate <= 0:
            return None
        return max(0.0, (1.0 - self._tokens) / self._rate)

    def _refill(self) -> None:
        now = self._clock.monotonic()
        if self._rate > 0:
            self._tokens = min(self._burst, self._tokens + (now - self._stamp) * self._rate)
        self._stamp = now
