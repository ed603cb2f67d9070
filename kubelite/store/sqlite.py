"""`SQLiteStorage`: the durable backend — current objects in one SQLite file (WAL), via aiosqlite.

Schema: `objects(resource, namespace, name, value BLOB, revision)` keyed by the first three, and
`meta(id = 0, revision)`, the newest revision ever given (so the counter survives deletes). Opening
creates both if needed, loads every row into memory and resumes the counter at
max(meta.revision, newest row). Each batch is one transaction: one `executemany` for the upserts,
one for the deletes (only if any), one statement for the revision, then COMMIT — three or four
aiosqlite round trips whatever the batch size. A failed transaction is rolled back and fails the
store. `synchronous` is passed to `PRAGMA synchronous`: "FULL" (default) syncs every commit to disk;
"NORMAL" survives a process crash but may lose the newest commits on power loss.
Reads never touch the database: this process is its only writer.
"""

from __future__ import annotations

import os

import aiosqlite
import anyio
import structlog

from kubelite.store.batch import Batch
from kubelite.store.core import BatchingStore
from kubelite.store.interface import Record, StorageError

log = structlog.get_logger("kubelite.store")

SYNCHRONOUS_MODES = ("FULL", "NORMAL", "EXTRA")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS objects (
    resource TEXT NOT NULL,
    namespace TEXT NOT NULL,
    name TEXT NOT NULL,
    value BLOB NOT NULL,
    revision INTEGER NOT NULL,
    PRIMARY KEY (resource, namespace, name)
);
CREATE TABLE IF NOT EXISTS meta (
    id INTEGER PRIMARY KEY CHECK (id = 0),
    revision INTEGER NOT NULL
);
INSERT OR IGNORE INTO meta (id, revision) VALUES (0, 0);
"""
_SELECT_OBJECTS = "SELECT resource, namespace, name, value, revision FROM objects"
_SELECT_REVISION = "SELECT revision FROM meta WHERE id = 0"
_UPSERT = (
    "INSERT INTO objects (resource, namespace, name, value, revision) VALUES (?, ?, ?, ?, ?)"
    " ON CONFLICT (resource, namespace, name) DO UPDATE SET value = excluded.value,"
    " revision = excluded.revision"
)
_DELETE = "DELETE FROM objects WHERE resource = ? AND namespace = ? AND name = ?"
_SET_REVISION = "UPDATE meta SET revision = ? WHERE id = 0"


class SQLiteStorage(BatchingStore):
    """A store kept in the SQLite file at `path` (":memory:" for a throwaway database)."""

    def __init__(
        self, path: str | os.PathLike[str], *, history: int = 50_000, synchronous: str = "FULL"
    ) -> None:
        mode = synchronous.upper()
        if mode not in SYNCHRONOUS_MODES:
            raise ValueError(
                f"synchronous must be one of {', '.join(SYNCHRONOUS_MODES)}, got {synchronous!r}"
            )
        super().__init__(history)
        self._path = path
        self._synchronous = mode
        self._db: aiosqlite.Connection | None = None

    async def _load(self) -> tuple[list[Record], int]:
        db = await aiosqlite.connect(os.fspath(self._path))
        try:
            loaded = await self._prepare(db)
        except BaseException:
            with anyio.CancelScope(shield=True):
                await db.close()
            raise
        self._db = db
        return loaded

    async def _prepare(self, db: aiosqlite.Connection) -> tuple[list[Record], int]:
        """Set the pragmas, create the schema if needed, read every row and the saved revision."""
        await db.execute("PRAGMA journal_mode=WAL")
        await db.execute(f"PRAGMA synchronous={self._synchronous}")
        await db.executescript(_SCHEMA)
        rows = await db.execute_fetchall(_SELECT_OBJECTS)
        saved = await db.execute_fetchall(_SELECT_REVISION)
        records = [Record((row[0], row[1], row[2]), bytes(row[3]), row[4]) for row in rows]
        revision = max([next(iter(saved))[0], *(record.revision for record in records)])
        return records, revision

    async def _persist(self, batch: Batch) -> None:
        db = self._connection()
        upserts = []
        deletes = []
        for key, record in batch.final.items():
            if record is None:
                deletes.append(key)
            else:
                upserts.append((*key, record.value, record.revision))
        try:
            if upserts:
                await db.executemany(_UPSERT, upserts)
            if deletes:
                await db.executemany(_DELETE, deletes)
            await db.execute(_SET_REVISION, (batch.last_revision,))
            await db.commit()
        except BaseException:
            await self._rollback(db)
            raise

    async def _rollback(self, db: aiosqlite.Connection) -> None:
        try:
            await db.rollback()
        except Exception:
            log.exception("store_rollback_failed", path=str(self._path))

    async def _release(self) -> None:
        db, self._db = self._db, None
        if db is not None:
            await db.close()

    def _connection(self) -> aiosqlite.Connection:
        if self._db is None:
            raise StorageError("the database is not open")
        return self._db
