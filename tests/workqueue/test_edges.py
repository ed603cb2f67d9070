"""Workqueue edges that the behaviour tables leave open: a cancelled `get` that was never woken,
processing after a drained shutdown (W5, W6), the 1 ns due rule and the misuse errors of the
delaying queue (D1), and the rate limiters' argument errors, fractional tokens (R4) and
forgetting unknown items (R3, R6)."""

from __future__ import annotations

import anyio
import pytest

from kubelite.clock import FakeClock
from kubelite.workqueue import (
    BucketRateLimiter,
    DelayingQueue,
    ItemExponentialFailureRateLimiter,
    ItemFastSlowRateLimiter,
    MaxOfRateLimiter,
    Queue,
)

pytestmark = pytest.mark.anyio


def test_a_queue_is_unnamed_unless_named() -> None:
    assert (Queue[str]().name, Queue[str](name="pods").name) == ("", "pods")


async def test_w4_a_get_cancelled_before_any_item_leaves_no_stale_waiter() -> None:
    queue: Queue[str] = Queue()
    async with anyio.create_task_group() as tg:
        tg.start_soon(queue.get)
        await anyio.wait_all_tasks_blocked()
        tg.cancel_scope.cancel()
    got: list[str] = []
    with anyio.fail_after(1):
        async with anyio.create_task_group() as tg:

            async def worker() -> None:
                got.append(await queue.get())

            tg.start_soon(worker)
            await anyio.wait_all_tasks_blocked()
            queue.add("a")
    assert got == ["a"]


async def test_w6_items_still_queued_after_a_drained_shutdown_are_processed() -> None:
    queue: Queue[str] = Queue()
    for item in ("a", "b"):
        queue.add(item)
    first = await queue.get()
    async with anyio.create_task_group() as tg:
        tg.start_soon(queue.shut_down_with_drain)
        await anyio.wait_all_tasks_blocked()
        queue.done(first)  # the drain ends
    second = await queue.get()
    queue.done(second)
    assert (first, second, len(queue)) == ("a", "b", 0)


async def test_w6_shut_down_ends_a_drain_and_processing_goes_on() -> None:
    queue: Queue[str] = Queue()
    queue.add("a")
    item = await queue.get()
    async with anyio.create_task_group() as tg:
        tg.start_soon(queue.shut_down_with_drain)
        await anyio.wait_all_tasks_blocked()
        queue.shut_down()
    queue.done(item)
    queue.done(item)  # a second done is ignored
    assert len(queue) == 0 and queue.shutting_down


async def test_d1_an_item_within_1ns_of_its_ready_time_is_due() -> None:
    clock = FakeClock()
    async with DelayingQueue[str](clock=clock) as queue:
        queue.add_after("a", 1e-9)
        with anyio.fail_after(1):
            assert await queue.get() == "a"
        assert clock.monotonic() == 0.0


async def test_delaying_queue_misuse_errors_and_default_name() -> None:
    queue: DelayingQueue[str] = DelayingQueue(clock=FakeClock())
    assert queue.name == ""
    with pytest.raises(AssertionError, match=r"^__aexit__ without __aenter__$"):
        await queue.__aexit__(None, None, None)
    async with DelayingQueue[str](clock=FakeClock()) as running:
        with pytest.raises(RuntimeError, match=r"^this delaying queue's waiting loop is already running$"):
            await running.run()


async def test_an_error_in_the_delaying_queues_block_reaches_its_task_group() -> None:
    """The block runs inside the queue's task group, so, as with any anyio task group, the error
    comes out in an exception group (alone in it) and the waiting items are dropped."""
    error = ValueError("boom")
    with pytest.raises(BaseExceptionGroup) as caught:
        async with DelayingQueue[str](clock=FakeClock()) as queue:
            queue.add_after("a", 5)
            raise error
    assert caught.value.exceptions == (error,)
    assert queue.shutting_down and queue.waiting == 0


def test_r4_bucket_argument_errors_and_the_system_clock_default() -> None:
    for rate, burst in ((0, 1), (1, 0)):
        with pytest.raises(ValueError, match=r"^a bucket needs rate > 0 and burst >= 1$"):
            BucketRateLimiter(rate, burst)
    bucket = BucketRateLimiter(1.0, 1)  # no clock given: the system clock
    assert bucket.when("a") == 0.0
    assert 0.9 < bucket.when("a") <= 1.0


def test_r4_a_fraction_of_a_token_left_means_no_wait() -> None:
    clock = FakeClock()
    bucket = BucketRateLimiter(1.0, 2, clock=clock)
    assert bucket.when("a") == 0.0  # 1 token left
    clock.advance(0.5)  # 1.5 tokens
    assert bucket.when("a") == 0.0  # 0.5 left
    assert bucket.when("a") == pytest.approx(0.5)  # 0.5 short


def test_r5_max_of_needs_a_limiter() -> None:
    with pytest.raises(ValueError, match=r"^MaxOfRateLimiter needs at least one limiter$"):
        MaxOfRateLimiter()


def test_r3_r6_forgetting_an_item_never_seen_is_harmless() -> None:
    fast_slow: ItemFastSlowRateLimiter[str] = ItemFastSlowRateLimiter(0.1, 5.0, 1)
    exponential: ItemExponentialFailureRateLimiter[str] = ItemExponentialFailureRateLimiter(0.005, 10)
    for limiter in (fast_slow, exponential):
        limiter.forget("never")
        assert limiter.num_requeues("never") == 0
