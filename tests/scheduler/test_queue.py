"""The scheduling queue (SCH-1, SCH-9): priority then creation order, backoff 1 s doubling to 10 s,
unschedulable pods retried on events or after 5 minutes, all on a fake clock."""

from __future__ import annotations

import anyio
import pytest

from kubelite.clock import FakeClock, rfc3339
from kubelite.scheduler.podinfo import PodInfo
from kubelite.scheduler.queue import ACTIVE, BACKOFF, IN_FLIGHT, UNSCHEDULABLE, SchedulingQueue
from tests.scheduler.builders import pod

pytestmark = pytest.mark.anyio


def info(name: str, *, priority: int | None = None, created: float = 0.0, **labels: str) -> PodInfo:
    subject = pod(name, priority=priority)
    subject.metadata.creation_timestamp = rfc3339(1_767_225_600 + created)
    subject.metadata.labels = labels
    return PodInfo(subject)


def drain(queue: SchedulingQueue) -> list[str]:
    names = []
    while (queued := queue.pop_nowait()) is not None:
        names.append(queued.info.name)
    return names


async def test_sch1_higher_priority_first_then_earliest_created() -> None:
    queue = SchedulingQueue(FakeClock())
    queue.add(info("late-low", priority=0, created=20))
    queue.add(info("early-low", created=10))
    queue.add(info("high", priority=1000, created=30))
    queue.add(info("negative", priority=-5, created=0))
    queue.add(info("early-low-second", created=10))
    assert drain(queue) == ["high", "early-low", "early-low-second", "late-low", "negative"]


async def test_pop_waits_for_an_active_pod() -> None:
    queue = SchedulingQueue(FakeClock())
    popped: list[str] = []

    async def consumer() -> None:
        popped.append((await queue.pop()).info.name)

    async with anyio.create_task_group() as tg:
        tg.start_soon(consumer)
        await anyio.lowlevel.checkpoint()
        assert popped == []
        queue.add(info("a"))
        with anyio.fail_after(5):
            while not popped:
                await anyio.lowlevel.checkpoint()
    assert popped == ["a"] and queue.where("uid-a") == IN_FLIGHT


@pytest.mark.parametrize(
    ("attempts", "seconds"), [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (5, 10.0), (9, 10.0)]
)
async def test_sch9_backoff_doubles_from_1s_to_10s(attempts: int, seconds: float) -> None:
    clock = FakeClock()
    queue = SchedulingQueue(clock)
    queue.add(info("a"))
    for _ in range(attempts):
        queue.flush_backoff()
        while queue.pop_nowait() is None:  # wait out the previous backoff
            clock.advance(0.25)
            queue.flush_backoff()
        queue.requeue_backoff("uid-a")
    clock.advance(seconds - 0.5)
    queue.flush_backoff()
    assert queue.where("uid-a") == BACKOFF
    clock.advance(0.5)
    queue.flush_backoff()
    assert queue.where("uid-a") == ACTIVE


async def test_sch9_unschedulable_pods_move_on_events_respecting_backoff() -> None:
    clock = FakeClock()
    queue = SchedulingQueue(clock)
    queue.add(info("a"))
    queue.pop_nowait()
    queue.requeue_unschedulable("uid-a")
    assert queue.where("uid-a") == UNSCHEDULABLE
    queue.move_all()
    assert queue.where("uid-a") == BACKOFF  # still within its 1 s backoff
    clock.advance(1)
    queue.flush_backoff()
    assert drain(queue) == ["a"]
    queue.requeue_unschedulable("uid-a")
    clock.advance(5)
    queue.move_all()
    assert queue.where("uid-a") == ACTIVE


async def test_sch9_unschedulable_pods_are_retried_after_5_minutes() -> None:
    clock = FakeClock()
    queue = SchedulingQueue(clock)
    queue.add(info("a"))
    queue.pop_nowait()
    queue.requeue_unschedulable("uid-a")
    clock.advance(299)
    queue.flush_unschedulable()
    assert queue.where("uid-a") == UNSCHEDULABLE
    clock.advance(1)
    queue.flush_unschedulable()
    assert queue.where("uid-a") == ACTIVE


async def test_sch9_a_move_during_the_attempt_sends_the_pod_to_backoff() -> None:
    queue = SchedulingQueue(FakeClock())
    queue.add(info("a"))
    queue.pop_nowait()
    queue.move_all()  # e.g. a node was added while "a" was being scheduled
    queue.requeue_unschedulable("uid-a")
    assert queue.where("uid-a") == BACKOFF


async def test_updates_reach_in_flight_and_unschedulable_pods() -> None:
    queue = SchedulingQueue(FakeClock())
    queue.add(info("a"))
    queue.pop_nowait()
    queue.update(info("a", team="x"))
    queue.requeue_unschedulable("uid-a")
    assert queue.where("uid-a") == UNSCHEDULABLE
    queue.update(info("a", team="x"))  # e.g. our own status write: no change that matters
    assert queue.where("uid-a") == UNSCHEDULABLE
    queue.update(info("a", team="y"))  # a label change may make it fit somewhere
    assert queue.where("uid-a") == BACKOFF
    queue.delete("uid-a")
    assert queue.where("uid-a") is None and len(queue) == 0
    queue.requeue_backoff("uid-a")  # a late failure for a deleted pod is ignored
    assert len(queue) == 0
