"""EventRecorder: events are written in the background, repeats aggregate into `count`."""

from __future__ import annotations

from collections.abc import AsyncIterator

import anyio
import pytest

from kubelite.api.core import ConfigMap, Event
from kubelite.api.meta import ObjectMeta
from kubelite.apiserver import APIServer
from kubelite.client import EventRecorder, InProcessClient
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
