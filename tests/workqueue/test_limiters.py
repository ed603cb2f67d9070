"""Rate limiter arithmetic as tables (R1–R7)."""

from __future__ import annotations

import pytest

from kubelite.clock import FakeClock
from kubelite.workqueue import (
    BucketRateLimiter,
    ItemExponentialFailureRateLimiter,
    ItemFastSlowRateLimiter,
    MaxOfRateLimiter,
    RateLimiter,
    WithMaxWaitRateLimiter,
    default_controller_rate_limiter,
)


def _nth_when(limiter: RateLimiter[str], n: int, item: str = "default/a") -> float:
    delays = [limiter.when(item) for _ in range(n)]
    return delays[-1]


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, 0.005),
        (2, 0.010),
        (3, 0.020),
        (4, 0.040),
        (10, 2.56),
        (17, 327.68),
        (18, 655.36),
        (19, 1000.0),
        (20, 1000.0),
        (64, 1000.0),
        (5000, 1000.0),
    ],
    ids=lambda value: str(value),
)
def test_r2_exponential_nth_failure(n: int, expected: float) -> None:
    """5 ms·2^(n−1), exact in nanoseconds, capped at 1000 s; a huge count does not overflow."""
    limiter: ItemExponentialFailureRateLimiter[str] = ItemExponentialFailureRateLimiter(0.005, 1000.0)
    assert _nth_when(limiter, n) == expected


def test_r2_overflow_guard_returns_the_cap() -> None:
    """Like Go: once base·2^k no longer fits in int64 nanoseconds, the answer is the cap."""
    limiter: ItemExponentialFailureRateLimiter[str] = ItemExponentialFailureRateLimiter(1.0, 2.0**80)
    assert _nth_when(limiter, 34) == 2.0**33  # 8.6e18 ns: still fits
    assert limiter.when("default/a") == 2.0**80  # 1.7e19 ns: would overflow


def test_r2_zero_base_always_zero() -> None:
    limiter: ItemExponentialFailureRateLimiter[str] = ItemExponentialFailureRateLimiter(0.0, 10.0)
    assert _nth_when(limiter, 100) == 0.0


def test_r3_forget_clears_the_count_and_items_are_independent() -> None:
    limiter: ItemExponentialFailureRateLimiter[str] = ItemExponentialFailureRateLimiter(0.005, 1000.0)
    for _ in range(3):
        limiter.when("a")
    limiter.when("b")
    assert (limiter.num_requeues("a"), limiter.num_requeues("b"), limiter.num_requeues("c")) == (3, 1, 0)
    limiter.forget("a")
    assert limiter.num_requeues("a") == 0
    assert limiter.when("a") == 0.005
    assert limiter.num_requeues("b") == 1


def test_r4_bucket_first_burst_is_free_then_delays_grow_by_one_interval() -> None:
    clock = FakeClock()
    bucket = BucketRateLimiter(10.0, 100, clock=clock)
    assert [bucket.when(f"k{i}") for i in range(100)] == [0.0] * 100
    assert [bucket.when("x") for _ in range(3)] == pytest.approx([0.1, 0.2, 0.3])
    assert bucket.num_requeues("x") == 0
    bucket.forget("x")
    assert bucket.when("x") == pytest.approx(0.4)  # forget changes nothing


@pytest.mark.parametrize(
    ("wait", "expected"),
    [(0.0, 0.1), (0.05, 0.05), (0.1, 0.0), (60.0, 0.0)],
    ids=["no-refill", "half-token", "one-token", "refilled"],
)
def test_r4_bucket_refills_with_time(wait: float, expected: float) -> None:
    clock = FakeClock()
    bucket = BucketRateLimiter(10.0, 100, clock=clock)
    for _ in range(100):
        bucket.when("x")
    clock.advance(wait)
    assert bucket.when("x") == pytest.approx(expected)


def test_r4_bucket_refills_only_up_to_burst() -> None:
    clock = FakeClock()
    bucket = BucketRateLimiter(1.0, 2, clock=clock)
    clock.advance(1000)
    assert [bucket.when("x") for _ in range(3)] == pytest.approx([0.0, 0.0, 1.0])


def test_r5_max_of_asks_every_limiter_and_takes_the_largest() -> None:
    clock = FakeClock()
    limiter: MaxOfRateLimiter[str] = MaxOfRateLimiter(
        ItemExponentialFailureRateLimiter(0.005, 1000.0), BucketRateLimiter(1.0, 1, clock=clock)
    )
    assert limiter.when("a") == 0.005  # bucket: free token
    assert limiter.when("b") == 1.0  # the bucket's token was spent by the first call
    assert limiter.when("a") == 2.0  # exp says 10 ms, the bucket 2 s


def test_r5_max_of_requeues_is_the_maximum_and_forget_fans_out() -> None:
    fast_slow: ItemFastSlowRateLimiter[str] = ItemFastSlowRateLimiter(0.001, 1.0, 1)
    exponential: ItemExponentialFailureRateLimiter[str] = ItemExponentialFailureRateLimiter(0.005, 1.0)
    limiter: MaxOfRateLimiter[str] = MaxOfRateLimiter(fast_slow, exponential)
    limiter.when("a")
    exponential.when("a")
    assert limiter.num_requeues("a") == 2
    limiter.forget("a")
    assert (fast_slow.num_requeues("a"), exponential.num_requeues("a")) == (0, 0)


@pytest.mark.parametrize(
    ("n", "expected"),
    [(1, 0.005), (2, 0.005), (3, 0.005), (4, 10.0), (5, 10.0)],
    ids=lambda value: str(value),
)
def test_r6_fast_slow(n: int, expected: float) -> None:
    """The count is incremented first: fast while failures ≤ max_fast."""
    limiter: ItemFastSlowRateLimiter[str] = ItemFastSlowRateLimiter(0.005, 10.0, 3)
    assert _nth_when(limiter, n) == expected
    assert limiter.num_requeues("default/a") == n


def test_r6_fast_slow_forget_starts_over() -> None:
    limiter: ItemFastSlowRateLimiter[str] = ItemFastSlowRateLimiter(0.005, 10.0, 1)
    limiter.when("a")
    assert limiter.when("a") == 10.0
    limiter.forget("a")
    assert limiter.when("a") == 0.005


@pytest.mark.parametrize(
    ("n", "expected"),
    [(1, 1.0), (2, 2.0), (3, 4.0), (4, 5.0), (10, 5.0)],
    ids=lambda value: str(value),
)
def test_r7_with_max_wait_caps_any_limiter(n: int, expected: float) -> None:
    inner: ItemExponentialFailureRateLimiter[str] = ItemExponentialFailureRateLimiter(1.0, 1000.0)
    limiter: WithMaxWaitRateLimiter[str] = WithMaxWaitRateLimiter(inner, 5.0)
    assert _nth_when(limiter, n) == expected
    assert limiter.num_requeues("default/a") == n
    limiter.forget("default/a")
    assert inner.num_requeues("default/a") == 0


def test_r1_default_controller_rate_limiter() -> None:
    clock = FakeClock()
    limiter: MaxOfRateLimiter[str] = default_controller_rate_limiter(clock)
    assert [limiter.when("a") for _ in range(3)] == [0.005, 0.010, 0.020]
    assert [limiter.when(f"k{i}") for i in range(97)] == [0.005] * 97  # 100 tokens spent
    assert limiter.when("new") == pytest.approx(0.1)  # now the bucket dominates
    assert _nth_when(limiter, 18, "slow") == 655.36
    assert limiter.when("slow") == 1000.0
    assert limiter.num_requeues("slow") == 19


def test_max_of_needs_a_limiter() -> None:
    with pytest.raises(ValueError, match="at least one"):
        MaxOfRateLimiter[str]()


@pytest.mark.parametrize(
    ("rate", "burst"), [(0.0, 1), (-1.0, 1), (1.0, 0)], ids=["zero-rate", "negative", "no-burst"]
)
def test_bucket_rejects_nonsense(rate: float, burst: int) -> None:
    with pytest.raises(ValueError, match="rate"):
        BucketRateLimiter(rate, burst)
