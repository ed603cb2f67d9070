"""`MemoryStorage`: the `Storage` contract with nothing on disk, for tests and embedding.

It runs the same group-commit code as the SQLite backend with a persist step that does nothing, so
its semantics (two-phase writes, `latest` vs `get`, revisions, watch window, close) are identical
and writes still complete asynchronously. Everything is lost when it closes.
Use it as `async with MemoryStorage() as store:`.
"""

from __future__ import annotations

from kubelite.store.batch import Batch
from kubelite.store.core import BatchingStore
from kubelite.store.interface import Record


class MemoryStorage(BatchingStore):
    """A store whose durability is the lifetime of the process."""

    def __init__(self, history: int = 50_000) -> None:
        super().__init__(history)

    async def _load(self) -> tuple[list[Record], int]:
        return [], 0

    async def _persist(self, batch: Batch) -> None:
        return None

    async def _release(self) -> None:
        return None
