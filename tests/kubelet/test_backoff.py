"""The kubelet's per-key back-off (KUB-6, KUB-3) at its edges: the 10-minute reset boundary, keys it
has never seen, forgetting a key or a pod's keys, and garbage collection of idle entries.

Upstream (client-go `flowcontrol.Backoff.hasExpired`) resets only when strictly more than
2 × maximum has passed since the last step; an event exactly 600 s later still doubles.
"""

from __future__ import annotations

import pytest

from kubelite.clock import FakeClock
from kubelite.kubelet.backoff import Backoff


def stepped(times: int) -> tuple[FakeClock, Backoff]:
    """A back-off of 10 → 300 s whose key `uid/c` has been stepped `times` times, one per delay."""
    clock = FakeClock()
    backoff = Backoff(10, 300, clock)
    for _ in range(times):
        clock.advance(backoff.next("uid/c", clock.now()))
    return clock, backoff


@pytest.mark.parametrize(
    ("idle", "expected"),
    [(599.0, 40), (600.0, 40), (600.001, 10), (900.0, 10)],
    ids=["under-10-min", "exactly-10-min-keeps", "just-over-resets", "15-min-resets"],
)
def test_kub6_reset_needs_strictly_more_than_600s_since_the_last_step(idle: float, expected: float) -> None:
    clock = FakeClock()
    backoff = Backoff(10, 300, clock)
    backoff.next("uid/c", clock.now())
    backoff.next("uid/c", clock.now())  # 20 s, stepped at t0
    clock.advance(idle)
    assert backoff.next("uid/c", clock.now()) == expected


@pytest.mark.parametrize(("ran", "in_backoff"), [(600.0, True), (600.5, False)], ids=["600s", "600.5s"])
def test_kub6_a_container_that_ran_over_600s_since_the_last_step_restarts_at_once(
    ran: float, in_backoff: bool
) -> None:
    clock = FakeClock()
    backoff = Backoff(10, 300, clock)
    backoff.next("uid/c", clock.now())  # step at t0: delay 10 s
    clock.advance(ran)
    finished = clock.now()  # the container exits `ran` seconds after the step
    clock.advance(5)
    assert backoff.in_backoff_since("uid/c", finished) is in_backoff


def test_kub6_an_unknown_key_has_no_delay_and_no_time_remaining() -> None:
    clock, backoff = stepped(2)
    assert backoff.delay("uid/other") == 0.0
    assert backoff.remaining("uid/other", clock.now()) == 0.0
    assert not backoff.in_backoff_since("uid/other", clock.now())
    assert backoff.delay("uid/c") == 20


def test_kub6_forget_starts_the_key_over_and_leaves_others() -> None:
    clock, backoff = stepped(3)
    backoff.next("uid/d", clock.now())
    backoff.forget("uid/c")
    backoff.forget("uid/never-seen")
    assert (backoff.delay("uid/c"), backoff.delay("uid/d")) == (0.0, 10)
    assert backoff.next("uid/c", clock.now()) == 10


def test_kub6_forget_prefix_drops_only_that_pods_keys() -> None:
    clock, backoff = stepped(2)
    for key in ("uid/d", "uid2/c", "other/c"):
        backoff.next(key, clock.now())
    backoff.forget_prefix("uid/")
    assert [backoff.delay(k) for k in ("uid/c", "uid/d", "uid2/c", "other/c")] == [0.0, 0.0, 10, 10]


def test_kub6_gc_drops_entries_idle_for_more_than_600s_only() -> None:
    clock = FakeClock()
    backoff = Backoff(10, 300, clock)
    backoff.next("old/c", clock.now())
    clock.advance(300)
    backoff.next("edge/c", clock.now())
    clock.advance(300)
    backoff.next("new/c", clock.now())
    clock.advance(300.5)  # old: 900.5 s idle, edge: 600.5 s, new: 300.5 s
    backoff.gc()
    assert [backoff.delay(k) for k in ("old/c", "edge/c", "new/c")] == [0.0, 0.0, 10]
    clock.advance(299.5)  # new: exactly 600 s idle, kept
    backoff.gc()
    assert backoff.delay("new/c") == 10
