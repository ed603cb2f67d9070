"""Expectations and slow-start batching (E1–E3, RS-7), public for user controllers too.

Why: a controller's cache lags its own writes. After asking for 5 pods, the next sync may still see
0 and ask for 5 more. `Expectations` records what a controller asked for; informer handlers report
what they observe; until every expected create and delete has been seen (or `timeout` passes, 5 min
by default), `satisfied(key)` is False and the controller must not act again (it may still write
status). Deletions are tracked by pod key, so the deletionTimestamp update and the final delete of
one pod count once. Failed calls must be reported with `lower_*` so they are not waited for.

`slow_start_batch(count, call)` runs `call` `count` times in batches of 1, 2, 4, … concurrently and
stops before the next batch once any call in a batch has failed; it returns how many succeeded.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field

import anyio

from kubelite.clock import Clock

EXPECTATIONS_TIMEOUT = 300.0
SLOW_START_INITIAL_BATCH = 1


@dataclass(slots=True)
class _Record:
    adds: int = 0
    deletes: set[str] = field(default_factory=set)
    recorded_at: float = 0.0


class Expectations:
    def __init__(self, clock: Clock, timeout: float = EXPECTATIONS_TIMEOUT) -> None:
        self._clock = clock
        self._timeout = timeout
        self._records: dict[str, _Record] = {}

    def expect_creations(self, key: str, count: int) -> None:
        self._records[key] = _Record(adds=count, recorded_at=self._clock.monotonic())

    def expect_deletions(self, key: str, pod_keys: Iterable[str]) -> None:
        self._records[key] = _Record(deletes=set(pod_keys), recorded_at=self._clock.monotonic())

    def creation_observed(self, key: str) -> None:
        self.lower_creations(key, 1)

    def lower_creations(self, key: str, count: int) -> None:
        record = self._records.get(key)
        if record is not None:
            record.adds -= count

    def deletion_observed(self, key: str, pod_key: str) -> None:
        record = self._records.get(key)
        if record is not None:
            record.deletes.discard(pod_key)

    def satisfied(self, key: str) -> bool:
        record = self._records.get(key)
        if record is None:
            return True
        if record.adds <= 0 and not record.deletes:
            return True
        return self._clock.monotonic() - record.recorded_at >= self._timeout

    def forget(self, key: str) -> None:
        self._records.pop(key, None)

    def expires_in(self, key: str) -> float | None:
        """Seconds until the unsatisfied expectations of `key` expire; None if `satisfied(key)`."""
        if self.satisfied(key):
            return None
        record = self._records[key]
        return max(0.0, record.recorded_at + self._timeout - self._clock.monotonic())


async def slow_start_batch(
    count: int, call: Callable[[], Awaitable[None]], initial: int = SLOW_START_INITIAL_BATCH
) -> int:
    """Run `call` up to `count` times in doubling concurrent batches; stop after a failing batch."""
    done = 0
    batch = min(initial, count)
    while batch > 0:
        failures = 0

        async def one() -> None:
            nonlocal failures
            try:
                await call()
            except Exception:
                failures += 1

        async with anyio.create_task_group() as tg:
            for _ in range(batch):
                tg.start_soon(one)
        done += batch - failures
        if failures:
            return done
        remaining = count - done
        batch = min(2 * batch, remaining)
    return done
