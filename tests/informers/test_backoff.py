"""F5: the reflector's backoff starts at 800 ms, doubles, is capped at 30 s, stretches each delay by
up to 100 % (jitter 1.0), and starts over after 2 min without a failure, on the injected clock."""

from __future__ import annotations

import random

import pytest

from kubelite.clock import FakeClock
from kubelite.informers import Backoff, BackoffSettings


def test_f5_delays_double_from_800ms_to_a_30s_cap() -> None:
    backoff = Backoff(FakeClock(), BackoffSettings(jitter=0.0))
    assert [round(backoff.next_delay(), 3) for _ in range(8)] == [0.8, 1.6, 3.2, 6.4, 12.8, 25.6, 30.0, 30.0]


@pytest.mark.parametrize("seed", range(5))
def test_f5_jitter_stretches_each_delay_by_up_to_100_percent(seed: int) -> None:
    backoff = Backoff(FakeClock(), BackoffSettings(), random.Random(seed))
    for base in (0.8, 1.6, 3.2, 6.4, 12.8, 25.6, 30.0):
        assert base <= backoff.next_delay() < 2 * base


@pytest.mark.parametrize(
    ("quiet", "next_delay"),
    [(119.9, 1.6), (120.0, 1.6), (120.1, 0.8)],
    ids=["within-2-min", "exactly-2-min", "after-2-min"],
)
def test_f5_resets_after_two_minutes_without_a_failure(quiet: float, next_delay: float) -> None:
    """client-go's backoff manager starts over when more than 2 min passed since the last backoff."""
    clock = FakeClock()
    backoff = Backoff(clock, BackoffSettings(jitter=0.0))
    assert backoff.next_delay() == pytest.approx(0.8)
    clock.advance(quiet)
    assert backoff.next_delay() == pytest.approx(next_delay)
