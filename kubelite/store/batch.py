"""One group-commit batch: the writes accepted while the previous batch was being made durable.

A `Batch` records every accepted write twice: in `events` (all of them, in revision order, for the
watch history) and in `final` (the last state per key: a `Record`, or None for a delete), which is
both the pending overlay `latest()` reads and what a backend persists. Writers wait on the whole
batch (it is a `Latch`): one event per batch. `settle()` marks it durable or failed (with a
classified `StorageError`); after the wait, `raise_failure()` makes each writer of a failed batch
raise its own exception of the same class, chained to the failure's cause.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from kubelite.store.interface import Event, Key, Record, StorageError
from kubelite.store.latch import Latch


@dataclass(slots=True)
class StoreStats:
    """Counters of committed work, for tests and metrics."""

    batches: int = 0
    """Batches made durable (one transaction each in SQLite)."""
    writes: int = 0
    """Writes made durable."""
    largest_batch: int = 0
    """The most writes one batch has held."""
    failed_batches: int = 0
    """Batches that failed with a transient fault (their writes were not applied)."""

    @property
    def commits(self) -> int:
        """Alias of `batches`: transactions committed."""
        return self.batches

    def count(self, batch: Batch) -> None:
        size = len(batch.events)
        self.batches += 1
        self.writes += size
        if size > self.largest_batch:
            self.largest_batch = size


class Batch(Latch):
    """Accepted writes that commit together; set once they are durable or have failed."""

    __slots__ = ("error", "events", "final")

    def __init__(self) -> None:
        super().__init__()
        self.events: list[Event] = []
        self.final: dict[Key, Record | None] = {}
        self.error: StorageError | None = None

    def __len__(self) -> int:
        return len(self.events)

    @property
    def last_revision(self) -> int:
        return self.events[-1].revision

    def settle(self, error: StorageError | None = None) -> None:
        """Wake every writer of this batch; with `error`, the batch failed."""
        self.error = error
        self.set()

    def raise_failure(self) -> None:
        """After `wait()`: raise the batch's failure (a fresh exception per writer) if it failed."""
        if self.error is not None:
            raise renewed(self.error)


_E = TypeVar("_E", bound=StorageError)


def renewed(error: _E, message: str = "") -> _E:
    """A new error of `error`'s class (message `message`, or the same), with the same cause (or
    `error` itself as the cause): one exception per raiser, never one shared instance."""
    fresh = type(error)(message or str(error))
    fresh.__cause__ = error.__cause__ or error
    return fresh
