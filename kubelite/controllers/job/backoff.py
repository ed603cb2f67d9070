"""The replacement-pod backoff (JOB-9), pure.

A `BackoffRecord` holds the failures since the latest success and when the latest of them
finished. `advance(record, succeeded, failed)` folds in the finish times of newly seen succeeded
and failed pods, as upstream's `newBackoffRecord`: with no new success the failures add up and
the latest failure time moves on; with a success, only the failures that finished after the
latest success remain. `delay(failures, base, cap)` is `min(base·2^(n−1), cap)` (0 for n = 0):
10, 20, 40, 80, 160, 320 s with base 10 s. `remaining(record, now, base, cap)` is how long
creation must still wait: `last failure + delay − now`, at least 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BackoffRecord:
    failures: int = 0
    last_failure: float | None = None


def advance(record: BackoffRecord, succeeded: Sequence[float], failed: Sequence[float]) -> BackoffRecord:
    failed = sorted(failed)
    if not succeeded:
        if not failed:
            return record
        return BackoffRecord(record.failures + len(failed), failed[-1])
    last_success = max(succeeded)
    after = [time for time in failed if time > last_success]
    return BackoffRecord(len(after), after[-1] if after else None)


def delay(failures: int, base: float, cap: float) -> float:
    if failures <= 0:
        return 0.0
    if failures > 64:
        return cap
    return min(base * float(2 ** (failures - 1)), cap)


def remaining(record: BackoffRecord, now: float, base: float, cap: float) -> float:
    if record.failures == 0 or record.last_failure is None:
        return 0.0
    return max(0.0, record.last_failure + delay(record.failures, base, cap) - now)
