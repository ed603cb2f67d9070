"""The watch window (`kubelite.store.history`) on its own: watches opened after a lane's old events
were physically trimmed, the compacted-revision boundary (a watch may start at any revision ≥ it),
watchers that fall behind and those that started ahead, lanes and namespaces, and shutdown."""

from __future__ import annotations

import anyio
import pytest

from kubelite.store.history import History, HistoryWatch
from kubelite.store.interface import (
    Event,
    EventType,
    RevisionCompactedError,
    StorageError,
    StorageFailedError,
)

pytestmark = pytest.mark.anyio


def event(revision: int, resource: str = "pods", namespace: str = "default") -> Event:
    return Event(EventType.ADDED, (resource, namespace, f"o{revision}"), b"{}", revision)


def filled(limit: int, revisions: range, resource: str = "pods") -> History:
    history = History(limit, 0)
    history.append([event(r, resource) for r in revisions])
    return history


def ready(watch: HistoryWatch) -> list[int]:
    """The revisions the watch can deliver now, without waiting."""
    revisions = []
    while (found := watch._poll()) is not None:
        revisions.append(found.revision)
    return revisions


async def take(watch: HistoryWatch, count: int) -> list[int]:
    revisions = []
    with anyio.fail_after(5):
        async for found in watch:
            revisions.append(found.revision)
            if len(revisions) == count:
                break
    return revisions


@pytest.mark.parametrize(
    "total", [1123, 1124, 1125, 3000], ids=["1023-left", "1024-left", "1025-left", "2900-left"]
)
async def test_api2_a_watch_opened_after_1024_events_of_its_lane_left_the_window(total: int) -> None:
    """However many old events were trimmed from the lane, a watch from the compacted revision
    (or any later one) delivers exactly the retained events after it, in order."""
    history = filled(100, range(1, total + 1))
    assert history.compacted_revision == total - 100
    assert await take(history.watch("pods", None, total - 100), 100) == list(range(total - 99, total + 1))
    assert ready(history.watch("pods", None, total - 10)) == list(range(total - 9, total + 1))
    assert ready(history.watch("pods", None, total)) == []
    with pytest.raises(RevisionCompactedError) as caught:
        history.watch("pods", None, total - 101)
    assert (caught.value.requested, caught.value.oldest) == (total - 101, total - 100)


async def test_trimmed_lanes_keep_only_about_the_window_in_memory() -> None:
    """Dropped events are freed once at least 1,024 of them make at least half of the lane's list:
    a long run never holds more than the window plus 1,024 events, or twice the window."""
    history = filled(10, range(1, 1035))  # 1,024 dropped
    lane = history.lane("pods")
    assert len(lane.events) == 10 and lane.base == lane.start == 1024
    assert len(filled(10, range(1, 1034)).lane("pods").events) == 1033  # 1,023 dropped
    assert len(filled(2000, range(1, 3025)).lane("pods").events) == 3024  # 1,024 dropped, under half
    assert len(filled(2000, range(1, 4000)).lane("pods").events) == 3999  # 1,999 dropped, under half
    assert len(filled(2000, range(1, 4001)).lane("pods").events) == 2000  # 2,000 dropped: half
    history = History(2000, 0)
    for start in range(1, 20_000, 500):
        history.append([event(r) for r in range(start, start + 500)])
        assert len(history.lane("pods").events) <= 2 * 2000
    assert history.lane("pods").base >= 16_000, "old events were freed along the way"


async def test_a_watch_may_start_exactly_at_the_compacted_revision_even_before_trimming() -> None:
    history = filled(3, range(1, 9))
    assert history.compacted_revision == 5
    assert ready(history.watch("pods", None, 5)) == [6, 7, 8]


async def test_a_watcher_that_started_ahead_skips_dropped_events_without_raising() -> None:
    """A watch from a future revision has read nothing it needs; events it would skip anyway may
    leave the window before it looks, and it still delivers the later ones."""
    history = History(3, 0)
    watch = history.watch("pods", None, 5)
    history.append([event(r) for r in range(1, 9)])  # 1..5 left the window, unread
    assert history.compacted_revision == 5
    assert ready(watch) == [6, 7, 8]


async def test_a_watcher_behind_the_window_raises_once_then_ends() -> None:
    history = History(3, 0)
    watch = history.watch("pods", None, 0)
    history.append([event(r) for r in range(1, 5)])  # 1 left the window, unread
    with pytest.raises(RevisionCompactedError) as caught:
        watch._poll()
    assert (caught.value.requested, caught.value.oldest) == (0, 1)
    with pytest.raises(StopAsyncIteration):
        watch._poll()


async def test_lanes_are_read_separately_and_namespaces_filtered() -> None:
    history = History(100, 0)
    pods, nodes = history.watch("pods", None, 0), history.watch("nodes", None, 0)
    team = history.watch("pods", "team", 0)
    history.append([event(1), event(2, "nodes", ""), event(3, namespace="team"), event(4)])
    assert (ready(pods), ready(nodes), ready(team)) == ([1, 3, 4], [2], [3])
    assert len(history) == 4


async def test_an_event_goes_to_its_resources_lane_even_in_a_namespace_named_like_a_resource() -> None:
    history = History(100, 0)
    pods, nodes = history.watch("pods", None, 0), history.watch("nodes", None, 0)
    history.append([event(1, "nodes", ""), event(2, "pods", "nodes"), event(3, "pods", "pods")])
    assert (ready(pods), ready(nodes)) == ([2, 3], [1])


async def test_a_waiting_watcher_wakes_for_its_lane() -> None:
    history = History(100, 0)
    watch = history.watch("pods", None, 0)
    async with anyio.create_task_group() as tg:
        seen: list[int] = []

        async def consume() -> None:
            seen.extend(await take(watch, 2))

        tg.start_soon(consume)
        await anyio.wait_all_tasks_blocked()
        history.append([event(1, "nodes", ""), event(2)])
        await anyio.wait_all_tasks_blocked()
        history.append([event(3)])
    assert seen == [2, 3]


async def test_close_ends_watches_and_fail_makes_them_raise() -> None:
    closed, failed = History(10, 0), History(10, 0)
    ending, raising = closed.watch("pods", None, 0), failed.watch("pods", None, 0)
    closed.append([event(1)])
    closed.close()
    with pytest.raises(StopAsyncIteration):
        ending._poll()
    with pytest.raises(StorageError, match=r"^the store is closed$"):
        closed.watch("pods", None, 0)
    failure = StorageFailedError("disk gone")
    failed.fail(failure)
    with pytest.raises(StorageFailedError, match=r"^disk gone$") as first:
        raising._poll()
    with pytest.raises(StorageFailedError, match=r"^disk gone$") as second:
        failed.watch("pods", None, 0)
    assert first.value is not second.value and first.value.__cause__ is failure


def test_a_history_must_hold_at_least_one_event() -> None:
    with pytest.raises(ValueError, match="at least one event, got 0"):
        History(0, 0)
    assert filled(1, range(1, 3)).compacted_revision == 1
