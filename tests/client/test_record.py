"""EventRecorder: events are written in the background, repeats aggregate into `count`."""

from __future__ import annotations

from collections.abc import AsyncIterator

import anyio
import anyio.lowlevel
import pytest
from prometheus_client import CollectorRegistry

from kubelite.api.core import ConfigMap, Event
from kubelite.api.meta import ObjectMeta
from kubelite.apiserver import APIServer
from kubelite.client import EventRecorder, InProcessClient
from kubelite.client.events import EventMetrics
from kubelite.clock import FakeClock
from kubelite.store.memory import MemoryStorage


@pytest.fixture
async def client() -> AsyncIterator[InProcessClient]:
    async with MemoryStorage() as storage:
        server = APIServer(storage)
        await server.bootstrap()
        yield InProcessClient(server)


async def _subject(client: InProcessClient) -> ConfigMap:
    return await client.create(ConfigMap(metadata=ObjectMeta(name="cm", namespace="default")))


@pytest.mark.anyio
async def test_event_is_written_with_reference_and_source(client: InProcessClient) -> None:
    clock = FakeClock(start=1_700_000_000.0)
    recorder = EventRecorder(client, "scheduler", host="node-a", clock=clock)
    subject = await _subject(client)
    async with anyio.create_task_group() as tg:
        await tg.start(recorder.run)
        recorder.event(subject, "Warning", "FailedScheduling", "no nodes")
        with anyio.fail_after(5):
            await recorder.flush()
        tg.cancel_scope.cancel()
    events = (await client.list(Event, namespace="default")).items
    assert len(events) == 1
    event = events[0]
    assert (event.reason, event.type, event.count) == ("FailedScheduling", "Warning", 1)
    assert event.involved_object.uid == subject.metadata.uid
    assert event.involved_object.kind == "ConfigMap"
    assert event.source.component == "scheduler" and event.source.host == "node-a"
    assert event.first_timestamp == event.last_timestamp == "2023-11-14T22:13:20Z"


@pytest.mark.anyio
async def test_repeats_aggregate_into_count(client: InProcessClient) -> None:
    clock = FakeClock(start=1_700_000_000.0)
    recorder = EventRecorder(client, "kubelet", clock=clock)
    subject = await _subject(client)
    async with anyio.create_task_group() as tg:
        await tg.start(recorder.run)
        recorder.event(subject, "Warning", "BackOff", "back-off restarting")
        await recorder.flush()
        clock.advance(10)
        recorder.event(subject, "Warning", "BackOff", "back-off restarting")
        recorder.event(subject, "Normal", "Pulled", "pulled")
        with anyio.fail_after(5):
            await recorder.flush()
        tg.cancel_scope.cancel()
    events = {e.reason: e for e in (await client.list(Event, namespace="default")).items}
    assert events["BackOff"].count == 2
    assert events["BackOff"].last_timestamp == "2023-11-14T22:13:30Z"
    assert events["Pulled"].count == 1


@pytest.mark.anyio
async def test_full_buffer_drops_instead_of_blocking(client: InProcessClient) -> None:
    recorder = EventRecorder(client, "kubelet", buffer=2)
    subject = await _subject(client)
    for i in range(5):
        recorder.event(subject, "Normal", "R", f"m{i}")
    assert recorder.dropped == 3


async def _record_all(recorder: EventRecorder, calls: list[tuple[ConfigMap, str, str, str]]) -> None:
    async with anyio.create_task_group() as tg:
        await tg.start(recorder.run)
        for obj, type, reason, message in calls:
            recorder.event(obj, type, reason, message)
        with anyio.fail_after(10):
            await recorder.flush()
        tg.cancel_scope.cancel()


@pytest.mark.anyio
async def test_burst_within_the_spam_filter_keeps_every_event_in_creation_order(
    client: InProcessClient,
) -> None:
    """500 objects × 4 events recorded at once (a pod start burst): all written, none dropped."""
    registry = CollectorRegistry()
    recorder = EventRecorder(client, "kubelet", clock=FakeClock(), metrics=EventMetrics.create(registry))
    objects = [
        ConfigMap(metadata=ObjectMeta(name=f"p{i:03}", namespace="default", uid=f"u{i}")) for i in range(500)
    ]
    reasons = ("Scheduled", "Pulled", "Created", "Started")
    await _record_all(
        recorder, [(o, "Normal", r, f"{r} {o.metadata.name}") for o in objects for r in reasons]
    )
    events = (await client.list(Event, namespace="default")).items
    assert len(events) == 2000 and recorder.dropped == 0
    by_object = [e.reason for e in events if e.involved_object.name == "p042"]
    assert by_object == list(reasons), "list order (by name) is creation order"
    assert (
        registry.get_sample_value(
            "kubelite_events_dropped_total", {"component": "kubelet", "reason": "buffer_full"}
        )
        is None
    )


@pytest.mark.anyio
async def test_drops_are_counted_by_reason(client: InProcessClient) -> None:
    registry = CollectorRegistry()
    metrics = EventMetrics.create(registry)
    recorder = EventRecorder(client, "kubelet", clock=FakeClock(), metrics=metrics, buffer=30)
    subject = await _subject(client)
    ghost = ConfigMap(metadata=ObjectMeta(name="ghost", namespace="no-such-namespace", uid="g"))
    spam = [(subject, "Normal", f"R{i}", "m") for i in range(27)]
    await _record_all(recorder, [*spam, (ghost, "Warning", "Failed", "x")])

    def dropped(reason: str) -> float | None:
        return registry.get_sample_value(
            "kubelite_events_dropped_total", {"component": "kubelet", "reason": reason}
        )

    assert (dropped("spam_filtered"), dropped("write_failed")) == (2.0, 1.0)
    assert recorder.dropped == 3
    assert len((await client.list(Event, namespace="default")).items) == 25

    other = EventRecorder(client, "scheduler", clock=FakeClock(), metrics=metrics, buffer=2)
    for i in range(5):
        other.event(
            ConfigMap(metadata=ObjectMeta(name=f"o{i}", namespace="default", uid=f"o{i}")), "Normal", "R", "m"
        )
    sample = registry.get_sample_value(
        "kubelite_events_dropped_total", {"component": "scheduler", "reason": "buffer_full"}
    )
    assert sample == 3.0 and other.dropped == 3


@pytest.mark.anyio
async def test_repeats_recorded_during_a_write_land_as_the_final_count(client: InProcessClient) -> None:
    clock = FakeClock(start=1_700_000_000.0)
    recorder = EventRecorder(client, "kubelet", clock=clock, writers=4)
    subject = await _subject(client)
    async with anyio.create_task_group() as tg:
        await tg.start(recorder.run)
        for _ in range(20):
            recorder.event(subject, "Warning", "BackOff", "back-off")
            await anyio.lowlevel.checkpoint()
        clock.advance(5)
        recorder.event(subject, "Warning", "BackOff", "back-off")
        with anyio.fail_after(5):
            await recorder.flush()
        tg.cancel_scope.cancel()
    (event,) = (await client.list(Event, namespace="default")).items
    assert (event.count, event.last_timestamp) == (21, "2023-11-14T22:13:25Z")


@pytest.mark.anyio
async def test_two_recorders_on_a_frozen_clock_never_overwrite_each_other(client: InProcessClient) -> None:
    clock = FakeClock()
    subject = await _subject(client)
    scheduler = EventRecorder(client, "default-scheduler", clock=clock)
    kubelet = EventRecorder(client, "kubelet", clock=clock)
    async with anyio.create_task_group() as tg:
        await tg.start(scheduler.run)
        await tg.start(kubelet.run)
        scheduler.event(subject, "Normal", "Scheduled", "assigned")
        kubelet.event(subject, "Normal", "Pulled", "pulled")
        with anyio.fail_after(5):
            await scheduler.flush()
            await kubelet.flush()
        tg.cancel_scope.cancel()
    events = (await client.list(Event, namespace="default")).items
    assert sorted((e.source.component, e.reason, e.count) for e in events) == [
        ("default-scheduler", "Scheduled", 1),
        ("kubelet", "Pulled", 1),
    ]
