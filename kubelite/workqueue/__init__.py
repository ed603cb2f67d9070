"""Workqueues with client-go semantics (reference/client-go-semantics.md, W1–W7, D1–D4, R1–R8).

Three queues, each built on the one before (see each module's contract):
- `Queue` (`queue`): de-duplicating FIFO. `add(key)` marks a key as needing work; `await get()`
  hands out the oldest key; `done(key)` ends its processing. A key is never handed out while it
  is being processed, and adds during processing re-queue it exactly once after `done`.
  `shut_down()` / `await shut_down_with_drain()` stop it; `get` then drains and raises
  `QueueShutDown`.
- `DelayingQueue` (`delaying`): adds `add_after(key, seconds)`. Its waiting loop is a task the
  caller owns: `async with DelayingQueue(clock=clock) as q:` or `await task_group.start(q.run)`.
- `RateLimitingQueue` (`ratelimiting`): adds `add_rate_limited(key)`, `forget(key)` and
  `num_requeues(key)`, with delays from a `RateLimiter` (`limiters`; the default is
  `default_controller_rate_limiter()`).

All time comes from the injected `kubelite.clock.Clock`; with a `FakeClock`, `advance()` releases
delayed keys without real sleeping. Only `get`, `shut_down_with_drain` and the waiting loop await;
every other operation is synchronous. Everything runs on one event loop and is not thread-safe.

Metrics (`metrics`, `prometheus`): queues report through a `MetricsProvider`; the default records
nothing, `PrometheusMetricsProvider(registry)` uses controller-runtime's `workqueue_*` names.
"""

from kubelite.workqueue.delaying import HEARTBEAT, DelayingQueue
from kubelite.workqueue.limiters import (
    BucketRateLimiter,
    ItemExponentialFailureRateLimiter,
    ItemFastSlowRateLimiter,
    MaxOfRateLimiter,
    RateLimiter,
    WithMaxWaitRateLimiter,
    default_controller_rate_limiter,
)
from kubelite.workqueue.metrics import (
    CounterMetric,
    GaugeMetric,
    HistogramMetric,
    MetricsProvider,
    NoopMetricsProvider,
)
from kubelite.workqueue.prometheus import PrometheusMetricsProvider
from kubelite.workqueue.queue import Queue, QueueShutDown
from kubelite.workqueue.ratelimiting import RateLimitingQueue

__all__ = [
    "HEARTBEAT",
    "BucketRateLimiter",
    "CounterMetric",
    "DelayingQueue",
    "GaugeMetric",
    "HistogramMetric",
    "ItemExponentialFailureRateLimiter",
    "ItemFastSlowRateLimiter",
    "MaxOfRateLimiter",
    "MetricsProvider",
    "NoopMetricsProvider",
    "PrometheusMetricsProvider",
    "Queue",
    "QueueShutDown",
    "RateLimiter",
    "RateLimitingQueue",
    "WithMaxWaitRateLimiter",
    "default_controller_rate_limiter",
]
