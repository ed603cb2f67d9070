"""Workqueue metrics (W7, C6 names) through the Prometheus provider on a private registry."""

from __future__ import annotations

import anyio
import anyio.lowlevel
import prometheus_client
import pytest
from prometheus_client import CollectorRegistry

from kubelite.clock import FakeClock
from kubelite.workqueue import (
    DelayingQueue,
    NoopMetricsProvider,
    PrometheusMetricsProvider,
    Queue,
)

NAME = "replicaset"
LABELS = {"name": NAME, "controller": NAME}
FAMILIES = (
    "workqueue_depth",
    "workqueue_adds_total",
    "workqueue_queue_duration_seconds_count",
    "workqueue_work_duration_seconds_count",
    "workqueue_unfinished_work_seconds",
    "workqueue_longest_running_processor_seconds",
    "workqueue_retries_total",
)


class Scrape:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.provider = PrometheusMetricsProvider(self.registry)

    def __call__(self, metric: str, **labels: str) -> float | None:
        return self.registry.get_sample_value(metric, {**LABELS, **labels})


def test_c6_every_series_exists_at_zero_before_the_first_add() -> None:
    scrape = Scrape()
    DelayingQueue[str](name=NAME, clock=FakeClock(), metrics=scrape.provider)
    assert {family: scrape(family) for family in FAMILIES} == dict.fromkeys(FAMILIES, 0.0)


def test_c6_histogram_buckets_are_exponential_from_ten_nanoseconds() -> None:
    scrape = Scrape()
    Queue[str](name=NAME, clock=FakeClock(), metrics=scrape.provider)
    bounds = [f"{10.0 ** (k - 8)}" for k in range(12)]
    for family in ("workqueue_queue_duration_seconds", "workqueue_work_duration_seconds"):
        assert [scrape(f"{family}_bucket", le=bound) for bound in bounds] == [0.0] * 12
        assert scrape(f"{family}_bucket", le="+Inf") == 0.0
    assert bounds[0] == "1e-08" and bounds[-1] == "1000.0"


def test_nothing_is_registered_globally() -> None:
    Scrape()
    assert prometheus_client.REGISTRY.get_sample_value("workqueue_adds_total", LABELS) is None


def test_w7_depth_and_adds_move_only_on_non_duplicate_adds() -> None:
    scrape = Scrape()
    queue: Queue[str] = Queue(name=NAME, clock=FakeClock(), metrics=scrape.provider)
    queue.add("a")
    queue.add("a")
    queue.add("b")
    assert (scrape("workqueue_adds_total"), scrape("workqueue_depth")) == (2.0, 2.0)
    queue.get_nowait()
    assert scrape("workqueue_depth") == 1.0
    queue.add("a")  # processing: dirty again, counted once
    queue.add("a")
    assert (scrape("workqueue_adds_total"), scrape("workqueue_depth")) == (3.0, 2.0)
    queue.shut_down()
    queue.add("c")
    assert scrape("workqueue_adds_total") == 3.0


def test_w7_queue_duration_runs_from_the_first_add_and_work_duration_from_get_to_done() -> None:
    scrape = Scrape()
    clock = FakeClock()
    queue: Queue[str] = Queue(name=NAME, clock=clock, metrics=scrape.provider)
    queue.add("a")
    clock.advance(2)
    queue.add("a")  # duplicate: does not restart the timer
    clock.advance(3)
    queue.get_nowait()
    clock.advance(7)
    queue.done("a")
    assert scrape("workqueue_queue_duration_seconds_sum") == 5.0
    assert scrape("workqueue_queue_duration_seconds_count") == 1.0
    assert scrape("workqueue_work_duration_seconds_sum") == 7.0
    assert scrape("workqueue_work_duration_seconds_bucket", le="10.0") == 1.0
    assert scrape("workqueue_work_duration_seconds_bucket", le="1.0") == 0.0


def test_w7_in_flight_gauges_are_computed_on_scrape() -> None:
    scrape = Scrape()
    clock = FakeClock()
    queue: Queue[str] = Queue(name=NAME, clock=clock, metrics=scrape.provider)
    queue.add("a")
    queue.add("b")
    queue.get_nowait()
    clock.advance(3)
    queue.get_nowait()
    clock.advance(1)
    assert scrape("workqueue_unfinished_work_seconds") == 5.0  # 4 + 1
    assert scrape("workqueue_longest_running_processor_seconds") == 4.0
    clock.advance(1)
    assert scrape("workqueue_unfinished_work_seconds") == 7.0  # no timer: always current
    queue.done("a")
    queue.done("b")
    assert scrape("workqueue_unfinished_work_seconds") == 0.0
    assert scrape("workqueue_longest_running_processor_seconds") == 0.0


@pytest.mark.anyio
async def test_d4_every_add_after_counts_as_a_retry_including_zero_delay() -> None:
    scrape = Scrape()
    clock = FakeClock()
    async with DelayingQueue[str](name=NAME, clock=clock, metrics=scrape.provider) as queue:
        queue.add_after("a", 0)
        queue.add_after("b", -1)
        queue.add_after("c", 5)
        queue.add_after("c", 9)  # ignored for timing (D2) but still a retry
        assert scrape("workqueue_retries_total") == 4.0
        assert scrape("workqueue_adds_total") == 2.0  # waiting items are not added yet
        clock.advance(5)
        with anyio.fail_after(1):
            while len(queue) < 3:
                await anyio.lowlevel.checkpoint()
        assert scrape("workqueue_adds_total") == 3.0
        queue.shut_down()
        queue.add_after("d", 0)
        assert scrape("workqueue_retries_total") == 4.0


def test_two_queues_have_separate_series() -> None:
    scrape = Scrape()
    first: Queue[str] = Queue(name="one", metrics=scrape.provider)
    Queue[str](name="two", metrics=scrape.provider)
    first.add("a")
    sample = scrape.registry.get_sample_value
    assert sample("workqueue_adds_total", {"name": "one", "controller": "one"}) == 1.0
    assert sample("workqueue_adds_total", {"name": "two", "controller": "two"}) == 0.0


def test_noop_provider_is_accepted() -> None:
    queue: Queue[str] = Queue(name=NAME, metrics=NoopMetricsProvider())
    queue.add("a")
    assert queue.get_nowait() == "a"
