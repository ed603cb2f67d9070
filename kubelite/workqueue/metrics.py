"""Workqueue metrics: a small provider protocol, its no-op default, and the per-queue recorder (W7).

Contract:
- A `MetricsProvider` hands out one metric object per queue name for each measure. The queue
  builds them once, at construction, so counters exist (at 0) before the first add.
- `depth` and `adds_total` move only on non-duplicate adds (an add of an item that is already
  waiting to be processed is not counted, W1); `depth` falls when `get` hands the item out.
- `queue_duration_seconds` runs from the *first* add of an item (since it was last handed out) to
  the `get` that hands it out; `work_duration_seconds` runs from that `get` to `done`.
- `retries_total` counts `add_after` calls on a delaying queue (see `kubelite.workqueue.delaying`).
- `unfinished_work_seconds` (sum of the ages of every item being processed) and
  `longest_running_processor_seconds` (the oldest of them) are computed when read: the provider
  receives two callables and calls them on scrape. kubelite does not refresh them every 500 ms as
  client-go does, so a scrape always sees the exact current value and no timer task is needed.
  The callables read the clock and take a snapshot of the start times in one C-level call, so a
  scrape from another thread (prometheus_client's HTTP server) never sees a half-updated table.
- Durations come from the queue's clock (`monotonic()`), so a `FakeClock` makes them exact.
- A queue given `NoopMetricsProvider` (the default) keeps no recorder at all: the hot path pays one
  `is None` test per operation.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, Protocol, TypeVar

from kubelite.clock import Clock

T = TypeVar("T", bound=Hashable)


class CounterMetric(Protocol):
    def inc(self) -> None: ...


class GaugeMetric(Protocol):
    def inc(self) -> None: ...

    def dec(self) -> None: ...


class HistogramMetric(Protocol):
    def observe(self, amount: float) -> None: ...


class MetricsProvider(Protocol):
    """Makes the metrics of one queue, identified by `name` (client-go `MetricsProvider`)."""

    def new_depth_metric(self, name: str) -> GaugeMetric: ...

    def new_adds_metric(self, name: str) -> CounterMetric: ...

    def new_queue_duration_metric(self, name: str) -> HistogramMetric: ...

    def new_work_duration_metric(self, name: str) -> HistogramMetric: ...

    def new_retries_metric(self, name: str) -> CounterMetric: ...

    def watch_in_flight(
        self, name: str, unfinished_work: Callable[[], float], longest_running: Callable[[], float]
    ) -> None:
        """Publish the two in-flight gauges, computed by the given callables when read."""
        ...


class _Nothing:
    def inc(self) -> None:
        pass

    def dec(self) -> None:
        pass

    def observe(self, amount: float) -> None:
        pass


class NoopMetricsProvider:
    """Records nothing. Queues recognise it and skip metrics entirely."""

    def new_depth_metric(self, name: str) -> GaugeMetric:
        return _Nothing()

    def new_adds_metric(self, name: str) -> CounterMetric:
        return _Nothing()

    def new_queue_duration_metric(self, name: str) -> HistogramMetric:
        return _Nothing()

    def new_work_duration_metric(self, name: str) -> HistogramMetric:
        return _Nothing()

    def new_retries_metric(self, name: str) -> CounterMetric:
        return _Nothing()

    def watch_in_flight(
        self, name: str, unfinished_work: Callable[[], float], longest_running: Callable[[], float]
    ) -> None:
        pass


class QueueMetrics(Generic[T]):
    """The bookkeeping one queue does for its metrics (add/get/done/retry hooks)."""

    def __init__(self, name: str, provider: MetricsProvider, clock: Clock) -> None:
        self._clock = clock
        self._depth = provider.new_depth_metric(name)
        self._adds = provider.new_adds_metric(name)
        self._queue_duration = provider.new_queue_duration_metric(name)
        self._work_duration = provider.new_work_duration_metric(name)
        self._retries = provider.new_retries_metric(name)
        self._added_at: dict[T, float] = {}
        self._started_at: dict[T, float] = {}
        provider.watch_in_flight(name, self.unfinished_work_seconds, self.longest_running_processor_seconds)

    def add(self, item: T) -> None:
        self._adds.inc()
        self._depth.inc()
        if item not in self._added_at:
            self._added_at[item] = self._clock.monotonic()

    def get(self, item: T) -> None:
        self._depth.dec()
        now = self._clock.monotonic()
        self._started_at[item] = now
        added = self._added_at.pop(item, None)
        if added is not None:
            self._queue_duration.observe(now - added)

    def done(self, item: T) -> None:
        started = self._started_at.pop(item, None)
        if started is not None:
            self._work_duration.observe(self._clock.monotonic() - started)

    def retry(self) -> None:
        self._retries.inc()

    def unfinished_work_seconds(self) -> float:
        now = self._clock.monotonic()
        return sum(now - started for started in list(self._started_at.values()))

    def longest_running_processor_seconds(self) -> float:
        oldest = min(list(self._started_at.values()), default=None)
        return 0.0 if oldest is None else self._clock.monotonic() - oldest
