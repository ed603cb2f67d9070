"""Watch over both backends: resumption from a revision, namespace filtering, the bounded window
(compacted revisions and watchers that fall behind), durability before delivery, and shutdown
(API-2: every committed change is seen once, in revision order)."""

from __future__ import annotations

import anyio
import pytest

from kubelite.store.core import BatchingStore
from kubelite.store.history import HistoryWatch
from kubelite.store.interface import Event, EventType, Record, RevisionCompactedError, StorageError

from .conftest import StoreFactory, pod, value

pytestmark = pytest.mark.anyio


async def take(watch: HistoryWatch, count: int) -> list[Event]:
    events: list[Event] = []
    with anyio.fail_after(5):
        async for event in watch:
            events.append(event)
            if len(events) == count:
                break
    return events


def summary(events: list[Event]) -> list[tuple[str, str, int]]:
    return [(e.type.value, e.key[2], e.revision) for e in events]


async def test_api2_watch_from_a_revision_delivers_exactly_the_later_changes(store: BatchingStore) -> None:
    a = await store.create(pod("a"), value("a"))
    await store.update(pod("a"), value("a2"))
    await store.create(pod("b"), value("b"))
    await store.delete(pod("a"), value("a-final"))
    events = await take(store.watch("pods", None, a.revision), 3)
    assert summary(events) == [("MODIFIED", "a", 2), ("ADDED", "b", 3), ("DELETED", "a", 4)]
    assert events[2].value == b"a-final@4"


async def test_watch_waits_for_changes_committed_later(store: BatchingStore) -> None:
    watch = store.watch("pods", None, store.revision)
    async with anyio.create_task_group() as tg:
        tg.start_soon(store.create, pod("a"), value("a"))
        events = await take(watch, 1)
    assert summary(events) == [("ADDED", "a", 1)]


async def test_watch_filters_by_resource_and_namespace(store: BatchingStore) -> None:
    await store.create(pod("a", "one"), value("a"))
    await store.create(pod("b", "two"), value("b"))
    await store.create(("services", "one", "s"), value("s"))
    await store.create(pod("c", "one"), value("c"))
    events = await take(store.watch("pods", "one", 0), 2)
    assert [e.key for e in events] == [pod("a", "one"), pod("c", "one")]


async def test_watch_from_a_future_revision_skips_changes_up_to_it(store: BatchingStore) -> None:
    watch = store.watch("pods", None, 2)
    for name in ("a", "b", "c"):
        await store.create(pod(name), value(name))
    assert summary(await take(watch, 1)) == [("ADDED", "c", 3)]


async def test_events_are_delivered_only_after_their_batch_is_durable(store: BatchingStore) -> None:
    watch = store.watch("pods", None, 0)
    delivered: list[Event] = []
    committed: list[Record | None] = []

    async def consume() -> None:
        async for event in watch:
            delivered.append(event)
            committed.append(store.get(event.key))
            return

    async with anyio.create_task_group() as tg:
        tg.start_soon(consume)
        await store.create(pod("a"), value("a"))
    assert delivered[0].type is EventType.ADDED
    assert committed == [Record(pod("a"), b"a@1", 1)]


async def test_watch_from_a_compacted_revision_raises_at_once(new_store: StoreFactory) -> None:
    async with new_store(history=3) as store:
        for index in range(6):
            await store.create(pod(f"p{index}"), value("x"))
        assert store.compacted_revision == 3
        with pytest.raises(RevisionCompactedError) as caught:
            store.watch("pods", None, 2)
        assert (caught.value.requested, caught.value.oldest) == (2, 3)
        assert summary(await take(store.watch("pods", None, 3), 3)) == [
            ("ADDED", "p3", 4),
            ("ADDED", "p4", 5),
            ("ADDED", "p5", 6),
        ]


async def test_a_watcher_that_falls_out_of_the_window_raises(new_store: StoreFactory) -> None:
    async with new_store(history=3) as store:
        watch = store.watch("pods", None, 0)
        await store.create(pod("first"), value("x"))
        assert summary(await take(watch, 1)) == [("ADDED", "first", 1)]
        for index in range(5):
            await store.create(pod(f"p{index}"), value("x"))
        with pytest.raises(RevisionCompactedError) as caught, anyio.fail_after(5):
            await watch.__anext__()
        assert (caught.value.requested, caught.value.oldest) == (1, 3)
        with pytest.raises(StopAsyncIteration):
            await watch.__anext__()


async def test_a_watcher_of_another_resource_is_not_compacted_by_unrelated_churn(
    new_store: StoreFactory,
) -> None:
    """Only the watcher's own events leaving the window make it fall behind."""
    async with new_store(history=3) as store:
        watch = store.watch("nodes", None, 0)
        node = await store.create(("nodes", "", "n1"), value("n"))
        assert await take(watch, 1) == [Event(EventType.ADDED, node.key, node.value, node.revision)]
        for index in range(10):
            await store.create(pod(f"p{index}"), value("x"))
        later = await store.update(node.key, value("n2"))
        assert summary(await take(watch, 1)) == [("MODIFIED", "n1", later.revision)]


async def test_close_ends_open_watches(new_store: StoreFactory) -> None:
    store = new_store()
    ended = anyio.Event()
    async with store:
        watch = store.watch("pods", None, 0)

        async def consume() -> None:
            async for _ in watch:
                pass
            ended.set()

        async with anyio.create_task_group() as tg:
            tg.start_soon(consume)
            await anyio.lowlevel.checkpoint()
            await store.close()
            with anyio.fail_after(5):
                await ended.wait()


async def test_closing_one_watch_ends_its_iteration_only(store: BatchingStore) -> None:
    first = store.watch("pods", None, 0)
    second = store.watch("pods", None, 0)
    ended = anyio.Event()

    async def consume() -> None:
        async for _ in first:
            pass
        ended.set()

    async with anyio.create_task_group() as tg:
        tg.start_soon(consume)
        await anyio.lowlevel.checkpoint()
        first.close()
        with anyio.fail_after(5):
            await ended.wait()
    await store.create(pod("a"), value("a"))
    assert summary(await take(second, 1)) == [("ADDED", "a", 1)]


async def test_many_watchers_each_see_every_event(store: BatchingStore) -> None:
    watches = [store.watch("pods", None, 0) for _ in range(50)]
    for name in ("a", "b", "c"):
        await store.create(pod(name), value(name))
    for watch in watches:
        assert [e.key[2] for e in await take(watch, 3)] == ["a", "b", "c"]


async def test_watch_after_close_raises(new_store: StoreFactory) -> None:
    async with new_store() as store:
        pass
    with pytest.raises(StorageError, match="closed"):
        store.watch("pods", None, 0)


async def test_a_watcher_keeping_up_reads_through_a_long_run_of_trimmed_history(
    new_store: StoreFactory,
) -> None:
    async with new_store(history=150) as store:
        watch = store.watch("pods", None, 0)
        seen: list[int] = []
        for group in range(25):
            async with anyio.create_task_group() as tg:
                for index in range(100):
                    tg.start_soon(store.create, pod(f"p{group}-{index}"), value("x"))
            seen.extend(e.revision for e in await take(watch, 100))
        assert seen == list(range(1, 2501))
        assert store.compacted_revision == 2350
