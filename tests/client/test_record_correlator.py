"""EventCorrelator, pure: spam filter, similar-event aggregation, repeat counting, name order.

Numbers follow client-go's `tools/record/events_cache.go` defaults (burst 25 per source + object,
1 token per 300 s; 10 similar messages within 600 s before combining; 4,096-entry caches)."""

from __future__ import annotations

from kubelite.api.core import EventSource, ObjectReference
from kubelite.client.events import EventCorrelator
from kubelite.client.events.correlator import COMBINED_PREFIX
from kubelite.clock import FakeClock


def _ref(name: str = "web-1") -> ObjectReference:
    return ObjectReference(kind="Pod", namespace="default", name=name, uid=f"uid-{name}", api_version="v1")


def _correlator(clock: FakeClock) -> EventCorrelator:
    return EventCorrelator(EventSource(component="kubelet", host="node-a"), clock)


def test_repeat_keeps_name_and_counts_with_first_and_last_timestamps() -> None:
    clock = FakeClock(start=1_700_000_000.0)
    correlator = _correlator(clock)
    first = correlator.observe(_ref(), "Warning", "BackOff", "back-off restarting")
    clock.advance(30)
    second = correlator.observe(_ref(), "Warning", "BackOff", "back-off restarting")
    assert first is not None and second is not None
    assert second.metadata.name == first.metadata.name
    assert (first.count, second.count) == (1, 2)
    assert second.first_timestamp == "2023-11-14T22:13:20Z"
    assert second.last_timestamp == "2023-11-14T22:13:50Z"
    assert first.last_timestamp == "2023-11-14T22:13:20Z", "an Event handed out is never mutated"


def test_names_are_object_dot_hex_nanoseconds_in_creation_order_even_on_a_frozen_clock() -> None:
    clock = FakeClock(start=1_700_000_000.0)
    correlator = _correlator(clock)
    names = []
    for reason in ("Scheduled", "Pulling", "Pulled", "Created", "Started"):
        event = correlator.observe(_ref(), "Normal", reason, reason.lower())
        assert event is not None
        names.append(event.metadata.name)
    assert names[0] == f"web-1.{1_700_000_000 * 10**9:016x}"
    assert names == sorted(names) and len(set(names)) == 5


def test_tenth_similar_message_is_combined_and_later_ones_count_into_it() -> None:
    clock = FakeClock()
    correlator = _correlator(clock)
    events = [correlator.observe(_ref(), "Warning", "Failed", f"error {i}") for i in range(12)]
    assert all(e is not None for e in events)
    distinct = {e.metadata.name for e in events[:9] if e is not None}
    assert len(distinct) == 9 and all(e.count == 1 for e in events[:9] if e is not None)
    combined = [e for e in events[9:] if e is not None]
    assert [e.message for e in combined] == [COMBINED_PREFIX + f"error {i}" for i in (9, 10, 11)]
    assert combined[0].message == "(combined from similar events): error 9"
    assert len({e.metadata.name for e in combined}) == 1 and combined[-1].metadata.name not in distinct
    assert [e.count for e in combined] == [1, 2, 3]


def test_similar_messages_older_than_ten_minutes_are_forgotten() -> None:
    clock = FakeClock()
    correlator = _correlator(clock)
    for i in range(9):
        correlator.observe(_ref(), "Warning", "Failed", f"error {i}")
    clock.advance(601)
    event = correlator.observe(_ref(), "Warning", "Failed", "error 9")
    assert event is not None and event.message == "error 9"


def test_spam_filter_allows_a_burst_of_25_per_object_then_one_per_five_minutes() -> None:
    clock = FakeClock()
    correlator = _correlator(clock)
    allowed = [correlator.observe(_ref(), "Normal", f"R{i}", "m") is not None for i in range(30)]
    assert allowed == [True] * 25 + [False] * 5
    assert correlator.observe(_ref("other"), "Normal", "R", "m") is not None, "buckets are per object"
    clock.advance(299)
    assert correlator.observe(_ref(), "Normal", "R", "m") is None
    clock.advance(1)
    assert correlator.observe(_ref(), "Normal", "R", "m") is not None
    assert correlator.observe(_ref(), "Normal", "R", "m") is None


def test_spam_filter_applies_to_repeats_too() -> None:
    clock = FakeClock()
    correlator = _correlator(clock)
    counted = [correlator.observe(_ref(), "Warning", "BackOff", "same") for _ in range(26)]
    assert counted[24] is not None and counted[24].count == 25
    assert counted[25] is None
