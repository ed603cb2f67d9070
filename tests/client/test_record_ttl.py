"""EventTTLSweeper: Events expire an hour (by default) after they last changed, as upstream's
`--event-ttl` etcd leases do (a write renews the lease, so an updated Event lives on)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import anyio
import anyio.lowlevel
import pytest

from kubelite.api.core import ConfigMap, Event
from kubelite.api.meta import ObjectMeta
from kubelite.apiserver import APIServer
from kubelite.cli.cluster import local_cluster
from kubelite.client import EventRecorder, InProcessClient
from kubelite.client.events import EventTTLSweeper
from kubelite.clock import FakeClock
from kubelite.store.memory import MemoryStorage


@pytest.fixture
async def client() -> AsyncIterator[InProcessClient]:
    async with MemoryStorage() as storage:
        server = APIServer(storage)
        await server.bootstrap()
        yield InProcessClient(server)


async def _reasons(client: InProcessClient) -> list[str]:
    return sorted(e.reason for e in (await client.list(Event)).items)


@pytest.mark.anyio
async def test_events_expire_one_hour_after_their_last_change(client: InProcessClient) -> None:
    clock = FakeClock()
    recorder = EventRecorder(client, "kubelet", clock=clock)
    sweeper = EventTTLSweeper(client, clock)
    subject = ConfigMap(metadata=ObjectMeta(name="cm", namespace="default", uid="u"))
    async with anyio.create_task_group() as tg:
        await tg.start(recorder.run)
        recorder.event(subject, "Normal", "Old", "once")
        recorder.event(subject, "Warning", "Renewed", "again")
        await recorder.flush()
        clock.advance(1800)
        recorder.event(subject, "Warning", "Renewed", "again")
        await recorder.flush()
        tg.cancel_scope.cancel()
    clock.advance(1799)
    assert (await sweeper.sweep(), await _reasons(client)) == (0, ["Old", "Renewed"])
    clock.advance(1)
    assert (await sweeper.sweep(), await _reasons(client)) == (1, ["Renewed"]), "untouched for 1 h"
    clock.advance(1800)
    assert (await sweeper.sweep(), await _reasons(client)) == (1, [])


@pytest.mark.anyio
async def test_running_sweeper_deletes_expired_events_each_interval(client: InProcessClient) -> None:
    clock = FakeClock()
    recorder = EventRecorder(client, "kubelet", clock=clock)
    subject = ConfigMap(metadata=ObjectMeta(name="cm", namespace="default", uid="u"))
    async with anyio.create_task_group() as tg:
        await tg.start(recorder.run)
        await tg.start(EventTTLSweeper(client, clock, interval=60).run)
        recorder.event(subject, "Normal", "Old", "once")
        await recorder.flush()
        clock.advance(3599)
        assert await _reasons(client) == ["Old"], "not an hour old at this sweep"
        clock.advance(60)
        with anyio.fail_after(5):
            while await _reasons(client):
                await anyio.lowlevel.checkpoint()
        tg.cancel_scope.cancel()


@pytest.mark.anyio
async def test_ttl_is_configurable_and_sweep_reports_what_it_deleted(client: InProcessClient) -> None:
    clock = FakeClock()
    recorder = EventRecorder(client, "kubelet", clock=clock)
    sweeper = EventTTLSweeper(client, clock, ttl=120)
    subject = ConfigMap(metadata=ObjectMeta(name="cm", namespace="default", uid="u"))
    async with anyio.create_task_group() as tg:
        await tg.start(recorder.run)
        recorder.event(subject, "Normal", "A", "a")
        recorder.event(subject, "Normal", "B", "b")
        await recorder.flush()
        tg.cancel_scope.cancel()
    clock.advance(119)
    assert await sweeper.sweep() == 0
    clock.advance(1)
    assert await sweeper.sweep() == 2
    assert await _reasons(client) == []


@pytest.mark.anyio
async def test_local_cluster_expires_events_after_an_hour() -> None:
    clock = FakeClock()
    async with MemoryStorage() as storage, local_cluster(storage, nodes=0, clock=clock) as cluster:
        subject = ConfigMap(metadata=ObjectMeta(name="cm", namespace="default", uid="u"))
        recorder = EventRecorder(cluster.client, "test", clock=clock)
        async with anyio.create_task_group() as tg:
            await tg.start(recorder.run)
            recorder.event(subject, "Normal", "Old", "once")
            await recorder.flush()
            tg.cancel_scope.cancel()
        assert await _reasons(cluster.client) == ["Old"]
        clock.advance(3660)
        with anyio.fail_after(5):
            while await _reasons(cluster.client):
                await anyio.lowlevel.checkpoint()
