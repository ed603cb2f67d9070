"""Informers over the real in-process apiserver: sync, event order, tombstones after a gap (Q3),
replay to late handlers (H3), convergence under injected watch faults (F1–F5), mutation detection."""

from __future__ import annotations

import contextlib
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import anyio
import anyio.lowlevel
import pytest

from kubelite.api.core import Pod
from kubelite.apiserver import APIServer
from kubelite.client import InProcessClient
from kubelite.clock import FakeClock
from kubelite.informers import (
    CacheMutationError,
    DeletedFinalStateUnknown,
    EventHandlers,
    SharedInformer,
    SharedInformerFactory,
)
from kubelite.informers.backoff import BackoffSettings
from kubelite.store.memory import MemoryStorage
from tests.apiserver.conftest import pod
from tests.informers.faults import FaultPlan, FaultyClient

pytestmark = pytest.mark.anyio
MERGE = "application/merge-patch+json"


@dataclass
class Recorder:
    events: list[tuple[str, str]] = field(default_factory=list)

    def handlers(self) -> EventHandlers[Pod]:
        return EventHandlers(on_add=self.add, on_update=self.update, on_delete=self.delete)

    def add(self, obj: Pod, initial: bool) -> None:
        self.events.append(("add-initial" if initial else "add", obj.metadata.name))

    def update(self, old: Pod, new: Pod) -> None:
        self.events.append(("update", new.metadata.name))

    def delete(self, obj: Pod | DeletedFinalStateUnknown[Pod]) -> None:
        kind = "tombstone" if isinstance(obj, DeletedFinalStateUnknown) else "delete"
        name = obj.obj.metadata.name if isinstance(obj, DeletedFinalStateUnknown) else obj.metadata.name
        self.events.append((kind, name))


@contextlib.asynccontextmanager
async def _server(history: int = 1000) -> AsyncIterator[APIServer]:
    async with MemoryStorage(history=history) as storage:
        server = APIServer(storage, clock=FakeClock())
        await server.bootstrap()
        yield server


@pytest.fixture
async def server() -> AsyncIterator[APIServer]:
    async with _server() as s:
        yield s


async def _until(predicate: object, clock: FakeClock | None = None, limit: float = 10) -> None:
    """Wait for `predicate()` with a bound, moving a fake clock whenever something sleeps on it."""
    with anyio.fail_after(limit):
        while not predicate():  # type: ignore[operator]
            if clock is not None and clock.sleepers:
                clock.advance(1.0)
            await anyio.lowlevel.checkpoint()


async def test_informer_syncs_then_follows_changes(server: APIServer) -> None:
    await server.create(Pod, pod("a"), "default")
    client = InProcessClient(server)
    informer = SharedInformer(client, Pod, clock=FakeClock(), detect_mutation=True)
    recorder = Recorder()
    informer.add_event_handler(recorder.handlers())
    async with anyio.create_task_group() as tg:
        tg.start_soon(informer.run)
        with anyio.fail_after(5):
            await informer.wait_synced()
        await server.create(Pod, pod("b"), "default")
        await server.patch(Pod, "a", {"metadata": {"labels": {"x": "1"}}}, MERGE, "default")
        await server.delete(Pod, "b", "default")
        await _until(lambda: len(recorder.events) == 4)
        tg.cancel_scope.cancel()
    assert recorder.events == [("add-initial", "a"), ("add", "b"), ("update", "a"), ("delete", "b")]
    assert informer.indexer.list_keys() == ["default/a"]
    informer.verify_all()


async def test_h3_late_handler_gets_the_cache_replayed(server: APIServer) -> None:
    for name in ("a", "b"):
        await server.create(Pod, pod(name), "default")
    informer = SharedInformer(InProcessClient(server), Pod, clock=FakeClock())
    async with anyio.create_task_group() as tg:
        tg.start_soon(informer.run)
        with anyio.fail_after(5):
            await informer.wait_synced()
        late = Recorder()
        informer.add_event_handler(late.handlers())
        assert sorted(late.events) == [("add-initial", "a"), ("add-initial", "b")]
        tg.cancel_scope.cancel()


async def test_q3_deletions_missed_during_a_gap_arrive_as_tombstones() -> None:
    async with _server(history=5) as server:
        for name in ("a", "b", "c"):
            await server.create(Pod, pod(name), "default")
        informer = SharedInformer(InProcessClient(server), Pod, clock=FakeClock())
        recorder = Recorder()
        informer.add_event_handler(recorder.handlers())
        async with anyio.create_task_group() as tg:
            tg.start_soon(informer.run)
            with anyio.fail_after(5):
                await informer.wait_synced()
            tg.cancel_scope.cancel()
        await server.delete(Pod, "a", "default")
        for index in range(10):
            await server.create(Pod, pod(f"n{index}"), "default")
        lists_before = informer.state.lists
        async with anyio.create_task_group() as tg:
            tg.start_soon(informer.run)
            await _until(lambda: ("tombstone", "a") in recorder.events and len(informer.indexer) == 12)
            tg.cancel_scope.cancel()
        assert informer.state.lists == lists_before + 1, (
            "the restarted reflector lists once (its first step), which finds the gap"
        )
        assert ("delete", "a") not in recorder.events


@pytest.mark.parametrize("seed", range(6))
async def test_cache_converges_to_the_store_under_watch_faults(seed: int) -> None:
    """Random writes while watches drop, fail and expire: the cache ends equal to the store, and
    no watch stays dead."""
    async with _server(history=20) as server:
        clock = FakeClock()
        plan = FaultPlan(drop=0.3, expire=0.15, error=0.1, list_error=0.1, forced_drops=3)
        client = FaultyClient(InProcessClient(server), plan, seed)
        settings = BackoffSettings(jitter=0.0)
        factory = SharedInformerFactory(client, clock=clock, backoff=settings, detect_mutation=True)  # type: ignore[arg-type]
        informer = factory.informer(Pod)
        rng = random.Random(seed)
        async with anyio.create_task_group() as tg:
            factory.start(tg)
            for step in range(60):
                await _random_write(server, rng, step)
                await anyio.lowlevel.checkpoint()
                if clock.sleepers:
                    clock.advance(1.0)
            expected = {p.metadata.name: p.metadata.resource_version for p in (await server.list(Pod)).items}
            await _until(lambda: _cached(informer) == expected, clock)
            await _until(lambda: informer.state.watching, clock)
            tg.cancel_scope.cancel()
        factory.verify_caches()
        assert client.faults > 0


def _cached(informer: SharedInformer[Pod]) -> dict[str, str]:
    return {p.metadata.name: p.metadata.resource_version for p in informer.indexer.values()}


async def _random_write(server: APIServer, rng: random.Random, step: int) -> None:
    names = [p.metadata.name for p in (await server.list(Pod)).items]
    choice = rng.random()
    if choice < 0.5 or not names:
        await server.create(Pod, pod(f"p{step}"), "default")
    elif choice < 0.8:
        await server.patch(
            Pod, rng.choice(names), {"metadata": {"labels": {"s": str(step)}}}, MERGE, "default"
        )
    else:
        await server.delete(Pod, rng.choice(names), "default")


async def test_lister_reads_are_private_copies(server: APIServer) -> None:
    """The shared-cache contract by construction: mutating what a lister returned changes nothing."""
    await server.create(Pod, pod("a"), "default")
    factory = SharedInformerFactory(InProcessClient(server), clock=FakeClock(), detect_mutation=True)
    lister = factory.lister(Pod)
    async with anyio.create_task_group() as tg:
        factory.start(tg)
        with anyio.fail_after(5):
            await factory.wait_for_cache_sync()
        cached = lister.get("a", "default")
        assert cached is not None
        cached.metadata.labels["oops"] = "mutated"
        again = lister.get("a", "default")
        assert again is not None and "oops" not in again.metadata.labels
        assert all("oops" not in p.metadata.labels for p in lister.list("default"))
        factory.verify_caches()
        tg.cancel_scope.cancel()


async def test_a_handler_mutating_its_delivered_object_is_detected(server: APIServer) -> None:
    """Handlers of one event share the delivered object; changing it is caught (client-go's detector)."""
    await server.create(Pod, pod("a"), "default")
    informer = SharedInformer(InProcessClient(server), Pod, clock=FakeClock(), detect_mutation=True)

    def vandal(obj: Pod, initial: bool) -> None:
        obj.metadata.labels["oops"] = "mutated"

    informer.add_event_handler(EventHandlers(on_add=vandal))
    with pytest.raises(CacheMutationError):
        informer.replace((await server.list(Pod)).items, "1")
    with pytest.raises(CacheMutationError):
        informer.verify_all()


async def test_factory_shares_informers_and_indexes(server: APIServer) -> None:
    await server.create(Pod, pod("a", node="n1"), "default")
    await server.create(Pod, pod("b", node="n2"), "default")
    factory = SharedInformerFactory(InProcessClient(server), clock=FakeClock())
    assert factory.informer(Pod) is factory.informer(Pod)
    factory.informer(Pod).add_indexers({"node": lambda p: [p.spec.node_name]})
    async with anyio.create_task_group() as tg:
        factory.start(tg)
        with anyio.fail_after(5):
            await factory.wait_for_cache_sync()
        lister = factory.lister(Pod)
        assert [p.metadata.name for p in lister.by_index("node", "n2")] == ["b"]
        assert [p.metadata.name for p in lister.list("default")] == ["a", "b"]
        assert [h.kind for h in factory.health()] == ["Pod"] and factory.health()[0].synced
        tg.cancel_scope.cancel()


async def test_health_shows_a_watch_that_keeps_failing(server: APIServer) -> None:
    """A watch that cannot be opened is not silent: health shows it down, with its last error."""
    clock = FakeClock()
    client = FaultyClient(InProcessClient(server), FaultPlan(error=1.0), seed=0)
    informer = SharedInformer(client, Pod, clock=clock, backoff=BackoffSettings(jitter=0.0))  # type: ignore[arg-type]
    async with anyio.create_task_group() as tg:
        tg.start_soon(informer.run)
        await _until(lambda: informer.state.failures >= 3, clock)
        health = informer.health()
        tg.cancel_scope.cancel()
    assert health.synced, "the list worked, so the cache is synced"
    assert not health.watching
    assert health.failures >= 3
    assert "injected watch failure" in health.last_error
    assert health.last_event_age is None
