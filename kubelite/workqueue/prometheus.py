"""Workqueue metrics in Prometheus form, with controller-runtime's names (C6).

Contract:
- `PrometheusMetricsProvider(registry)` registers seven metric families in the given
  `CollectorRegistry` when it is constructed — never in the global default registry, and nothing
  at import time. Build one provider per registry (a second one on the same registry fails with
  prometheus_client's duplicate-name error) and share it between queues.
- Families: `workqueue_depth`, `workqueue_adds_total`, `workqueue_queue_duration_seconds`,
  `workqueue_work_duration_seconds`, `workqueue_unfinished_work_seconds`,
  `workqueue_longest_running_processor_seconds`, `workqueue_retries_total`. Each is labelled
  `name` and `controller`, both set to the queue's name, as controller-runtime does (its newer
  `priority` label on depth belongs to the priority queue, which kubelite does not have).
  Histograms use buckets 1e-8 × 10^k for k = 0 … 11 (`ExponentialBuckets(1e-8, 10, 12)`).
- Queue names must be unique per registry: two queues with one name share series, and the
  in-flight gauges follow whichever queue was built last.
- The two in-flight gauges are computed on scrape (see `kubelite.workqueue.metrics`).
"""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from kubelite.workqueue.metrics import CounterMetric, GaugeMetric, HistogramMetric

BUCKETS = tuple(10.0 ** (k - 8) for k in range(12))
LABELS = ("name", "controller")


class PrometheusMetricsProvider:
    """A `MetricsProvider` that records into one Prometheus registry."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self._depth = Gauge("workqueue_depth", "Current depth of workqueue", LABELS, registry=registry)
        self._adds = Counter(
            "workqueue_adds_total", "Total number of adds handled by workqueue", LABELS, registry=registry
        )
        self._queue_duration = Histogram(
            "workqueue_queue_duration_seconds",
            "How long in seconds an item stays in workqueue before being requested",
            LABELS,
            registry=registry,
            buckets=BUCKETS,
        )
        self._work_duration = Histogram(
            "workqueue_work_duration_seconds",
            "How long in seconds processing an item from workqueue takes",
            LABELS,
            registry=registry,
            buckets=BUCKETS,
        )
        self._unfinished = Gauge(
            "workqueue_unfinished_work_seconds",
            "Seconds of work in progress not yet observed by work_duration; large values mean stuck workers",
            LABELS,
            registry=registry,
        )
        self._longest = Gauge(
            "workqueue_longest_running_processor_seconds",
            "Seconds the longest running processor of the workqueue has been running",
            LABELS,
            registry=registry,
        )
        self._retries = Counter(
            "workqueue_retries_total",
            "Total number of retries handled by workqueue",
            LABELS,
            registry=registry,
        )

    def new_depth_metric(self, name: str) -> GaugeMetric:
        return self._depth.labels(name, name)

    def new_adds_metric(self, name: str) -> CounterMetric:
        return self._adds.labels(name, name)

    def new_queue_duration_metric(self, name: str) -> HistogramMetric:
        return self._queue_duration.labels(name, name)

    def new_work_duration_metric(self, name: str) -> HistogramMetric:
        return self._work_duration.labels(name, name)

    def new_retries_metric(self, name: str) -> CounterMetric:
        return self._retries.labels(name, name)

    def watch_in_flight(
        self, name: str, unfinished_work: Callable[[], float], longest_running: Callable[[], float]
    ) -> None:
        self._unfinished.labels(name, name).set_function(unfinished_work)
        self._longest.labels(name, name).set_function(longest_running)
