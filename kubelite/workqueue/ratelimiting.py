"""The rate-limiting queue: a `DelayingQueue` that asks a `RateLimiter` for each retry's delay (R8).

Contract (on top of `kubelite.workqueue.delaying`):
- `add_rate_limited(x)` is `add_after(x, limiter.when(x))`. The limiter is consulted even after
  shutdown (it counts the failure); the add itself is then ignored.
- `forget(x)` tells the limiter x succeeded, resetting its failure count; it does not touch the
  queue. `num_requeues(x)` is the limiter's count. Without `forget` a key's failures are tracked
  for ever, so callers forget on success (the controller runner does).
- The default limiter is `default_controller_rate_limiter(clock)` on the queue's clock (R1).
- Like the delaying queue, its waiting loop must run: `async with RateLimitingQueue(...) as q:` or
  `await task_group.start(q.run)`.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TypeVar

from kubelite.clock import Clock
from kubelite.workqueue.delaying import HEARTBEAT, DelayingQueue
from kubelite.workqueue.limiters import RateLimiter, default_controller_rate_limiter
from kubelite.workqueue.metrics import MetricsProvider

T = TypeVar("T", bound=Hashable)


class RateLimitingQueue(DelayingQueue[T]):
    """A delaying queue with per-item retry delays from a rate limiter."""

    def __init__(
        self,
        rate_limiter: RateLimiter[T] | None = None,
        *,
        name: str = "",
        clock: Clock | None = None,
        metrics: MetricsProvider | None = None,
        heartbeat: float = HEARTBEAT,
    ) -> None:
        super().__init__(name=name, clock=clock, metrics=metrics, heartbeat=heartbeat)
        self.rate_limiter: RateLimiter[T] = (
            rate_limiter if rate_limiter is not None else default_controller_rate_limiter(self._clock)
        )

    def add_rate_limited(self, item: T) -> None:
        """Add `item` once the rate limiter allows it (R8)."""
        self.add_after(item, self.rate_limiter.when(item))

    def forget(self, item: T) -> None:
        """`item` succeeded: clear its failure count (R3)."""
        self.rate_limiter.forget(item)

    def num_requeues(self, item: T) -> int:
        """How many failures of `item` the rate limiter tracks (R3)."""
        return self.rate_limiter.num_requeues(item)
