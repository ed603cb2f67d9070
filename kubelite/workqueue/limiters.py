"""Rate limiters: how long an item waits before its next retry (client-go `default_rate_limiters.go`).

Contract (all durations are float seconds):
- A `RateLimiter` answers `when(item)` — the delay before `item` may be retried; each call counts as
  one failure (or spends one token) — plus `forget(item)`, which stops tracking `item`, and
  `num_requeues(item)`, how many failures are being tracked for it (R3). A limiter that is never
  told to `forget` tracks an item forever (R8).
- `ItemExponentialFailureRateLimiter(base, cap)`: the n-th `when` (n ≥ 1) returns base·2^(n−1),
  capped at `cap`; arithmetic is done in integer nanoseconds as in Go, so 5 ms·2^17 is exactly
  655.36 s, and a huge failure count returns `cap` instead of overflowing (R2).
- `BucketRateLimiter(rate, burst)`: a token bucket shared by all items. Every `when` reserves a
  token whether or not the caller waits, so after `burst` free calls a burst of calls gets delays
  growing by 1/rate each (R4). `num_requeues` is always 0; `forget` does nothing. Time comes from
  the given clock's `monotonic()`.
- `MaxOfRateLimiter(*limiters)`: `when` asks every limiter (so a bucket always spends a token) and
  returns the largest answer; `num_requeues` is the largest count; `forget` goes to all (R5).
- `ItemFastSlowRateLimiter(fast, slow, max_fast)`: counts the failure first, then returns `fast`
  while the count is ≤ `max_fast`, else `slow` (R6).
- `WithMaxWaitRateLimiter(limiter, max_wait)`: caps any limiter's answer at `max_wait` (R7).
- `default_controller_rate_limiter()`: MaxOf(exponential 5 ms → 1000 s, bucket 10/s burst 100) (R1).
- Limiters are plain synchronous objects for one event loop; they are not thread-safe.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, Protocol, TypeVar

from kubelite.clock import Clock, SystemClock

T = TypeVar("T", bound=Hashable)
T_contra = TypeVar("T_contra", bound=Hashable, contravariant=True)

_NS = 1_000_000_000
_MAX_NS = 2**63 - 1


class RateLimiter(Protocol[T_contra]):
    def when(self, item: T_contra) -> float:
        """Record a failure of `item` and return how long to wait before retrying it."""
        ...

    def forget(self, item: T_contra) -> None:
        """Stop tracking `item` (it succeeded)."""
        ...

    def num_requeues(self, item: T_contra) -> int:
        """How many failures of `item` are being tracked."""
        ...


class ItemExponentialFailureRateLimiter(Generic[T]):
    """Per-item exponential backoff: base·2^(failures−1), capped (R2)."""

    def __init__(self, base: float, cap: float) -> None:
        self._base_ns = round(base * _NS)
        self._cap = cap
        self._failures: dict[T, int] = {}

    def when(self, item: T) -> float:
        exponent = self._failures.get(item, 0)
        self._failures[item] = exponent + 1
        if self._base_ns == 0:
            return 0.0
        if exponent >= 63 or (delay_ns := self._base_ns << exponent) > _MAX_NS:
            return self._cap
        return min(delay_ns / _NS, self._cap)

    def forget(self, item: T) -> None:
        self._failures.pop(item, None)

    def num_requeues(self, item: T) -> int:
        return self._failures.get(item, 0)


class BucketRateLimiter:
    """One token bucket for all items: `burst` free calls, then one token every 1/`rate` s (R4)."""

    def __init__(self, rate: float, burst: int, *, clock: Clock | None = None) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("a bucket needs rate > 0 and burst >= 1")
        self._rate = rate
        self._burst = float(burst)
        self._clock: Clock = clock if clock is not None else SystemClock()
        self._tokens = float(burst)
        self._last = self._clock.monotonic()

    def when(self, item: object) -> float:
        now = self._clock.monotonic()
        self._tokens = min(self._burst, self._tokens + (now - self._last) * self._rate)
        self._last = now
        self._tokens -= 1.0
        return 0.0 if self._tokens >= 0 else -self._tokens / self._rate

    def forget(self, item: object) -> None:
        pass

    def num_requeues(self, item: object) -> int:
        return 0


class MaxOfRateLimiter(Generic[T]):
    """The strictest of several limiters; every one of them is consulted on each call (R5)."""

    def __init__(self, *limiters: RateLimiter[T]) -> None:
        if not limiters:
            raise ValueError("MaxOfRateLimiter needs at least one limiter")
        self._limiters = limiters

    def when(self, item: T) -> float:
        return max([limiter.when(item) for limiter in self._limiters])

    def forget(self, item: T) -> None:
        for limiter in self._limiters:
            limiter.forget(item)

    def num_requeues(self, item: T) -> int:
        return max(limiter.num_requeues(item) for limiter in self._limiters)


class ItemFastSlowRateLimiter(Generic[T]):
    """`fast` for the first `max_fast` failures of an item, `slow` after (R6)."""

    def __init__(self, fast: float, slow: float, max_fast: int) -> None:
        self._fast = fast
        self._slow = slow
        self._max_fast = max_fast
        self._failures: dict[T, int] = {}

    def when(self, item: T) -> float:
        failures = self._failures.get(item, 0) + 1
        self._failures[item] = failures
        return self._fast if failures <= self._max_fast else self._slow

    def forget(self, item: T) -> None:
        self._failures.pop(item, None)

    def num_requeues(self, item: T) -> int:
        return self._failures.get(item, 0)


class WithMaxWaitRateLimiter(Generic[T]):
    """Another limiter, its delays capped at `max_wait` (R7)."""

    def __init__(self, limiter: RateLimiter[T], max_wait: float) -> None:
        self._limiter = limiter
        self._max_wait = max_wait

    def when(self, item: T) -> float:
        return min(self._limiter.when(item), self._max_wait)

    def forget(self, item: T) -> None:
        self._limiter.forget(item)

    def num_requeues(self, item: T) -> int:
        return self._limiter.num_requeues(item)


def default_controller_rate_limiter(clock: Clock | None = None) -> MaxOfRateLimiter[T]:
    """client-go's default: per-item 5 ms doubling to 1000 s, and 10/s overall with a burst of 100 (R1)."""
    return MaxOfRateLimiter(
        ItemExponentialFailureRateLimiter(0.005, 1000.0),
        BucketRateLimiter(10.0, 100, clock=clock),
    )
