"""The delaying queue on a FakeClock (D1–D3): due items appear exactly when the clock reaches them,
ready times only move earlier, and the waiting loop never sleeps longer than its 10 s heartbeat."""

from __future__ import annotations

import anyio
import anyio.lowlevel
import pytest

from kubelite.clock import FakeClock
from kubelite.workqueue import DelayingQueue, QueueShutDown

pytestmark = pytest.mark.anyio


class NapClock(FakeClock):
    """A FakeClock that also records every sleep it is asked for (the waiting loop's naps)."""

    def __init__(self) -> None:
        super().__init__()
        self.naps: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.naps.append(seconds)
        await super().sleep(seconds)


async def _parked(clock: NapClock, naps: int) -> float:
    """Wait (bounded) until the waiting loop has gone to sleep `naps` times; return the last nap."""
    with anyio.fail_after(1):
        while len(clock.naps) < naps:
            await anyio.lowlevel.checkpoint()
    return clock.naps[-1]


async def _get(queue: DelayingQueue[str]) -> str:
    with anyio.fail_after(1):
        return await queue.get()


async def test_d1_non_positive_delay_is_a_plain_add() -> None:
    queue: DelayingQueue[str] = DelayingQueue(clock=FakeClock())
    queue.add_after("a", 0)
    queue.add_after("b", -1)
    assert len(queue) == 2  # at once, without the waiting loop
    assert queue.waiting == 0


async def test_d1_add_after_shutdown_is_ignored() -> None:
    clock = NapClock()
    async with DelayingQueue[str](clock=clock) as queue:
        queue.shut_down()
        queue.add_after("a", 0)
        queue.add_after("b", 1)
        assert (len(queue), queue.waiting) == (0, 0)
        with pytest.raises(QueueShutDown):
            queue.get_nowait()


async def test_item_becomes_available_exactly_at_its_ready_time() -> None:
    clock = NapClock()
    async with DelayingQueue[str](clock=clock) as queue:
        assert await _parked(clock, 1) == 10.0
        queue.add_after("a", 5)
        assert await _parked(clock, 2) == pytest.approx(5.0)
        assert (len(queue), queue.waiting) == (0, 1)
        clock.advance(4.75)
        assert (len(queue), queue.waiting) == (0, 1)
        clock.advance(0.25)
        assert await _get(queue) == "a"
        assert queue.waiting == 0


async def test_items_come_out_in_ready_time_order() -> None:
    clock = NapClock()
    async with DelayingQueue[str](clock=clock) as queue:
        queue.add_after("late", 3)
        queue.add_after("early", 1)
        queue.add_after("middle", 2)
        clock.advance(3)
        assert [await _get(queue) for _ in range(3)] == ["early", "middle", "late"]


async def test_d2_a_later_ready_time_does_not_postpone() -> None:
    clock = NapClock()
    async with DelayingQueue[str](clock=clock) as queue:
        queue.add_after("a", 5)
        queue.add_after("a", 8)
        assert queue.waiting == 1
        clock.advance(5)
        assert await _get(queue) == "a"


async def test_d2_an_earlier_ready_time_wins_and_the_old_one_is_forgotten() -> None:
    clock = NapClock()
    async with DelayingQueue[str](clock=clock) as queue:
        await _parked(clock, 1)
        queue.add_after("a", 8)
        queue.add_after("a", 3)
        assert queue.waiting == 1
        clock.advance(3)
        assert await _get(queue) == "a"
        queue.done("a")
        naps = len(clock.naps)
        clock.advance(10)  # past the superseded 8 s entry and the loop's next heartbeat
        await _parked(clock, naps + 1)
        assert len(queue) == 0  # the superseded entry did not add "a" again


async def test_d2_a_superseded_entry_does_not_fire_after_the_item_waits_again() -> None:
    clock = NapClock()
    async with DelayingQueue[str](clock=clock) as queue:
        queue.add_after("a", 8)
        queue.add_after("b", 5)
        queue.add_after("a", 3)
        clock.advance(3)
        assert await _get(queue) == "a"
        queue.done("a")
        queue.add_after("a", 10)  # ready at 13; the old 8 s entry is still in the heap
        clock.advance(2)
        assert await _get(queue) == "b"
        assert clock.naps[-1] == pytest.approx(8.0)  # the loop aims at 13 s, not at the stale 8 s
        clock.advance(3.5)
        assert (len(queue), queue.waiting) == (0, 1)
        clock.advance(4.5)
        assert await _get(queue) == "a"


async def test_waiting_items_are_not_dirty_and_do_not_count_in_len() -> None:
    clock = NapClock()
    async with DelayingQueue[str](clock=clock) as queue:
        queue.add_after("a", 5)
        assert len(queue) == 0
        queue.add("a")  # a plain add is not held back by the waiting entry
        assert await _get(queue) == "a"
        queue.done("a")
        clock.advance(5)
        assert await _get(queue) == "a"  # and the waiting entry still fires


async def test_d3_heartbeat_caps_every_sleep_at_ten_seconds() -> None:
    clock = NapClock()
    async with DelayingQueue[str](clock=clock) as queue:
        assert await _parked(clock, 1) == 10.0
        queue.add_after("a", 25)  # later than the loop's wake-up: it stays asleep
        clock.advance(10)
        assert await _parked(clock, 2) == pytest.approx(10.0)
        clock.advance(10)
        assert await _parked(clock, 3) == pytest.approx(5.0)
        assert len(queue) == 0
        clock.advance(5)
        assert await _get(queue) == "a"


async def test_d3_heartbeat_is_configurable() -> None:
    clock = NapClock()
    async with DelayingQueue[str](clock=clock, heartbeat=2.0):
        assert await _parked(clock, 1) == 2.0


async def test_shutdown_drops_waiting_items_and_ends_the_loop() -> None:
    clock = NapClock()
    with anyio.fail_after(1):
        async with anyio.create_task_group() as tg:
            queue: DelayingQueue[str] = DelayingQueue(clock=clock)
            await tg.start(queue.run)
            queue.add_after("a", 5)
            queue.shut_down()
            assert queue.waiting == 0
        # the task group exited: `run` returned on shutdown
    clock.advance(5)
    assert len(queue) == 0


async def test_drain_shutdown_also_ends_the_loop() -> None:
    clock = NapClock()
    with anyio.fail_after(1):
        async with anyio.create_task_group() as tg:
            queue: DelayingQueue[str] = DelayingQueue(clock=clock)
            await tg.start(queue.run)
            queue.add_after("a", 5)
            await queue.shut_down_with_drain()
    assert queue.waiting == 0


async def test_the_loop_cannot_run_twice() -> None:
    clock = NapClock()
    async with DelayingQueue[str](clock=clock) as queue:
        with pytest.raises(RuntimeError, match="already running"):
            await queue.run()


async def test_items_added_before_the_loop_starts_wait_for_it() -> None:
    clock = NapClock()
    queue: DelayingQueue[str] = DelayingQueue(clock=clock)
    queue.add_after("a", 1)
    clock.advance(2)
    assert len(queue) == 0
    async with queue:
        assert await _get(queue) == "a"


async def test_leaving_the_context_shuts_the_queue_down() -> None:
    async with DelayingQueue[str](clock=NapClock()) as queue:
        pass
    assert queue.shutting_down


async def test_the_loop_can_be_restarted_after_its_task_is_cancelled() -> None:
    clock = NapClock()
    queue: DelayingQueue[str] = DelayingQueue(clock=clock)
    async with anyio.create_task_group() as tg:
        await tg.start(queue.run)
        tg.cancel_scope.cancel()
    queue.add_after("a", 1)
    async with queue:
        clock.advance(1)
        assert await _get(queue) == "a"
