"""Fault injection for store tests, at real boundaries: a second sqlite3 connection holding the
write lock, and a `before_commit` hook for `SQLiteStorage` raising queued SQLite errors."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kubelite.store.batch import Batch


@contextmanager
def write_lock(path: Path) -> Iterator[None]:
    """A second, real connection holding the database's write lock until the block ends."""
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield
        other.execute("ROLLBACK")
    finally:
        other.close()


class Faults:
    """A `before_commit` hook raising the queued errors, one per batch (None lets one pass), then
    letting every batch pass."""

    def __init__(self) -> None:
        self.queue: list[BaseException | None] = []

    def __call__(self, batch: Batch) -> None:
        if self.queue:
            error = self.queue.pop(0)
            if error is not None:
                raise error
