"""Kubernetes' `duration.HumanDuration` and the Age cells built on it.

`human_duration(seconds)` renders an elapsed time the way `kubectl get` shows ages: whole seconds
below 2 minutes, then minutes (with seconds below 10 minutes), hours (with minutes below 8 hours),
days (with hours below 8 days) and years (with days below 8 years). Less than -1 s is `<invalid>`
(clock skew beyond tolerance), -1 s reads `0s`. `since(timestamp, now)` is the Age of an RFC 3339
timestamp, `<unknown>` when the timestamp is unset. Pure functions, no state.
"""

from __future__ import annotations

import math

from kubelite.clock import parse_rfc3339

UNKNOWN = "<unknown>"

# (unit, size of the next unit in this one, switch to the next unit at this many of it,
#  below this many of the next unit a remainder in this unit is shown)
_UNITS = (("s", 60, 2, 10), ("m", 60, 3, 8), ("h", 24, 2, 8), ("d", 365, 2, 8))


def human_duration(seconds: float) -> str:
    """A short human form of an elapsed time (`3s`, `5m10s`, `2h`, `2d3h`, `3y`)."""
    whole = math.trunc(seconds)
    if whole < -1:
        return "<invalid>"
    value, unit = max(0, whole), "s"
    for name, size, threshold, detail in _UNITS:
        unit = name
        if value < size * threshold:
            return f"{value}{unit}"
        bigger, rest = divmod(value, size)
        if bigger < detail:
            next_unit = _next_unit(name)
            return f"{bigger}{next_unit}{rest}{name}" if rest else f"{bigger}{next_unit}"
        value = bigger
    return f"{value}y"


def _next_unit(unit: str) -> str:
    return {"s": "m", "m": "h", "h": "d", "d": "y"}[unit]


def since(timestamp: str | None, now: float) -> str:
    """The age of `timestamp` at `now` (`<unknown>` for an unset timestamp)."""
    if not timestamp:
        return UNKNOWN
    return human_duration(now - parse_rfc3339(timestamp))


def between(start: str, end: str) -> str:
    """The human duration from `start` to `end` (both RFC 3339)."""
    return human_duration(parse_rfc3339(end) - parse_rfc3339(start))
