"""The rate-limiting queue (R8): `add_rate_limited(x)` is `add_after(x, when(x))`; forget/num_requeues
go to the limiter (R3)."""

from __future__ import annotations

import anyio
import anyio.lowlevel
import pytest

from kubelite.clock import FakeClock
from kubelite.workqueue import ItemExponentialFailureRateLimiter, RateLimitingQueue

pytestmark = pytest.mark.anyio


async def _get(queue: RateLimitingQueue[str]) -> str:
    with anyio.fail_after(1):
        return await queue.get()


def _exponential(base: float) -> ItemExponentialFailureRateLimiter[str]:
    return ItemExponentialFailureRateLimiter(base, 1000.0)


async def test_r8_rate_limited_add_waits_for_when() -> None:
    clock = FakeClock()
    async with RateLimitingQueue(_exponential(1.0), clock=clock) as queue:
        queue.add_rate_limited("a")  # when = 1 s
        queue.add_rate_limited("a")  # when = 2 s: later, so ignored (D2)
        assert (len(queue), queue.waiting, queue.num_requeues("a")) == (0, 1, 2)
        clock.advance(0.5)
        assert len(queue) == 0
        clock.advance(0.5)
        assert await _get(queue) == "a"


async def test_r8_successive_failures_back_off_and_forget_resets() -> None:
    clock = FakeClock()
    async with RateLimitingQueue(_exponential(1.0), clock=clock) as queue:
        delays = []
        for _ in range(3):
            started = clock.monotonic()
            queue.add_rate_limited("a")
            while not len(queue):
                clock.advance(0.5)
                await anyio.lowlevel.checkpoint()
            delays.append(clock.monotonic() - started)
            assert await _get(queue) == "a"
            queue.done("a")
        assert delays == [1.0, 2.0, 4.0]
        queue.forget("a")
        assert queue.num_requeues("a") == 0
        queue.add_rate_limited("a")
        clock.advance(1.0)
        assert await _get(queue) == "a"


async def test_default_limiter_first_retry_after_five_ms() -> None:
    clock = FakeClock()
    async with RateLimitingQueue[str](clock=clock) as queue:
        queue.add_rate_limited("default/a")
        clock.advance(0.004)
        assert len(queue) == 0
        clock.advance(0.001)
        assert await _get(queue) == "default/a"
        assert queue.num_requeues("default/a") == 1


async def test_rate_limited_add_after_shutdown_counts_the_failure_but_adds_nothing() -> None:
    queue: RateLimitingQueue[str] = RateLimitingQueue(_exponential(1.0), clock=FakeClock())
    queue.shut_down()
    queue.add_rate_limited("a")
    assert (len(queue), queue.waiting, queue.num_requeues("a")) == (0, 0, 1)


async def test_forget_does_not_touch_the_queue() -> None:
    queue: RateLimitingQueue[str] = RateLimitingQueue(_exponential(1.0), clock=FakeClock())
    queue.add("a")
    queue.forget("a")
    assert len(queue) == 1
