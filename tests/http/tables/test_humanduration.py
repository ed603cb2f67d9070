"""`human_duration` reproduces Kubernetes' duration.HumanDuration at every unit boundary."""

from __future__ import annotations

import pytest

from kubelite.apiserver.http.tables.humanduration import between, human_duration, since

MINUTE, HOUR, DAY, YEAR = 60, 3600, 86400, 365 * 86400

CASES = [
    (-2, "<invalid>"),
    (-1.5, "0s"),
    (-1, "0s"),
    (0, "0s"),
    (0.9, "0s"),
    (59, "59s"),
    (119, "119s"),
    (120, "2m"),
    (121, "2m1s"),
    (9 * MINUTE + 59, "9m59s"),
    (10 * MINUTE, "10m"),
    (10 * MINUTE + 59, "10m"),
    (3 * HOUR - 1, "179m"),
    (3 * HOUR, "3h"),
    (3 * HOUR + MINUTE + 30, "3h1m"),
    (8 * HOUR - MINUTE, "7h59m"),
    (8 * HOUR, "8h"),
    (48 * HOUR - 1, "47h"),
    (48 * HOUR, "2d"),
    (2 * DAY + 3 * HOUR, "2d3h"),
    (8 * DAY - HOUR, "7d23h"),
    (8 * DAY, "8d"),
    (2 * YEAR - 1, "729d"),
    (2 * YEAR, "2y"),
    (2 * YEAR + DAY, "2y1d"),
    (8 * YEAR - DAY, "7y364d"),
    (8 * YEAR, "8y"),
    (20 * YEAR + 100 * DAY, "20y"),
]


@pytest.mark.parametrize(("seconds", "text"), CASES, ids=[text for _, text in CASES])
def test_human_duration(seconds: float, text: str) -> None:
    assert human_duration(seconds) == text


def test_since_an_unset_timestamp_is_unknown() -> None:
    assert since(None, 100.0) == "<unknown>"
    assert since("", 100.0) == "<unknown>"


def test_since_and_between_read_rfc3339() -> None:
    assert since("2026-01-01T00:00:00Z", 1_767_225_600.0 + 125) == "2m5s"
    assert between("2026-01-01T00:00:00Z", "2026-01-01T00:05:00Z") == "5m"
