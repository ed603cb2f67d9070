"""Completion index intervals (JOB-6): format and parse tables, a hypothesis round trip."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kubelite.controllers.job.indexes import format_intervals, parse_intervals, pending_indexes


@pytest.mark.parametrize(
    ("indexes", "text"),
    [
        (set(), ""),
        ({0}, "0"),
        ({0, 1}, "0,1"),
        ({0, 1, 2}, "0-2"),
        ({0, 1, 3, 4, 5, 7}, "0,1,3-5,7"),
        ({5, 6, 7, 8, 10, 11}, "5-8,10,11"),
        ({99999}, "99999"),
    ],
    ids=["none", "one", "run-of-two", "run-of-three", "issue-example", "mixed", "large"],
)
def test_job6_completed_indexes_format(indexes: set[int], text: str) -> None:
    assert format_intervals(indexes) == text
    assert parse_intervals(text) == indexes


@pytest.mark.parametrize(
    ("text", "limit", "indexes"),
    [
        ("1,x,3-4", None, {1, 3, 4}),
        ("5-3,2", None, {2}),
        ("0-9", 4, {0, 1, 2, 3}),
        ("-1,2-,3", None, {3}),
        (" 1 , 2", None, {1, 2}),
    ],
    ids=["bad-part-skipped", "backwards-range-skipped", "limited", "half-ranges-skipped", "spaces"],
)
def test_job6_parse_skips_what_it_cannot_read(text: str, limit: int | None, indexes: set[int]) -> None:
    assert parse_intervals(text, limit) == indexes


@given(st.sets(st.integers(min_value=0, max_value=2000), max_size=200))
def test_job6_format_then_parse_round_trips(indexes: set[int]) -> None:
    text = format_intervals(indexes)
    assert parse_intervals(text) == indexes
    assert format_intervals(parse_intervals(text)) == text


@given(st.sets(st.integers(0, 50)), st.sets(st.integers(0, 50)), st.integers(0, 60), st.integers(0, 60))
def test_job6_pending_indexes_are_the_lowest_free_ones(
    succeeded: set[int], active: set[int], completions: int, count: int
) -> None:
    chosen = pending_indexes(completions, succeeded, active, count)
    free = [i for i in range(completions) if i not in succeeded and i not in active]
    assert chosen == free[:count]
