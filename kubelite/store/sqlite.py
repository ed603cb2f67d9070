"""`SQLiteStorage`: the durable backend — current objects in one SQLite file (WAL), via aiosqlite.

Schema: `objects(resource, namespace, name, value BLOB, revision)` keyed by the first three, and
`meta(id = 0, revision)`, the newest revision ever given (so the counter survives deletes). Opening
creates both if needed, loads every row into memory and resumes the counter at
max(meta.revision, newest row). Each batch is one transaction: one `executemany` for the upserts,
one for the deletes (only if any), one statement for the revision, then COMMIT — three or four
aiosqlite round trips whatever the batch size. `synchronous` is passed to `PRAGMA synchronous`:
"FULL" (default) syncs every commit to disk; "NORMAL" survives a process crash but may lose the
newest commits on power loss. Reads never touch the database: this process is its only writer.

Faults: a failed transaction is rolled back and its error classified (`kubelite.store.sqlerrors`):
a lock held by another connection for longer than `busy_timeout` seconds, a full disk or a healable
I/O error fail that batch only (`TransientStorageError`); anything else, a failed rollback, or the
file at `path` no longer being the file that was opened (removed or replaced: SQLite would go on
writing to the unlinked inode, so each commit is checked afterwards) fails the store
(`StorageFailedError`). A file that cannot be opened or read raises `StorageFailedError` from
`__aenter__`. `before_commit`, a test seam, is called with each batch inside its transaction just
before COMMIT; what it raises is handled exactly as an error from SQLite (build one with
`sqlerrors.sqlite_error`).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable

import aiosqlite
import anyio
import structlog

from kubelite.store.batch import Batch
from kubelite.store.core import BatchingStore
from kubelite.store.interface import Record, StorageError, StorageFailedError
from kubelite.store.sqlerrors import classify, describe

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
        self,
        path: str | os.PathLike[str],
        *,
        history: int = 50_000,
        synchronous: str = "FULL",
        busy_timeout: float = 5.0,
        before_commit: Callable[[Batch], None] | None = None,
    ) -> None:
        """`busy_timeout`: seconds a commit waits for a lock another connection holds before its
        batch fails with `StorageBusyError`. `before_commit`: the fault-injection seam above."""
        mode = synchronous.upper()
        if mode not in SYNCHRONOUS_MODES:
            raise ValueError(
                f"synchronous must be one of {', '.join(SYNCHRONOUS_MODES)}, got {synchronous!r}"
            )
        super().__init__(history)
        self._path = path
        self._synchronous = mode
        self._busy_timeout = busy_timeout
        self._before_commit = before_commit
        self._db: aiosqlite.Connection | None = None
        self._identity: tuple[str, int, int] | None = None
        """(absolute path, st_dev, st_ino) of the opened file; None for an in-memory database."""

    async def _load(self) -> tuple[list[Record], int]:
        try:
            db = await aiosqlite.connect(os.fspath(self._path), timeout=self._busy_timeout)
        except sqlite3.Error as error:
            raise self._unusable(error) from error
        try:
            loaded = await self._prepare(db)
            self._identity = _identity(os.fspath(self._path))
        except BaseException as error:
            with anyio.CancelScope(shield=True):
                await db.close()
            if isinstance(error, sqlite3.Error):
                raise self._unusable(error) from error
            raise
        self._db = db
        return loaded

    def _unusable(self, error: sqlite3.Error) -> StorageFailedError:
        return StorageFailedError(f"cannot open the database {os.fspath(self._path)}: {describe(error)}")

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
            if self._before_commit is not None:
                self._before_commit(batch)
            await db.commit()
        except Exception as error:
            await self._rollback(db)
            raise classify(error) from error
        self._check_file()

    async def _rollback(self, db: aiosqlite.Connection) -> None:
        """Roll the failed transaction back; if even that fails, the connection is unusable."""
        try:
            await db.rollback()
        except Exception as error:
            log.exception("store_rollback_failed", path=str(self._path))
            raise StorageFailedError(f"the rollback failed: {describe(error)}") from error

    def _check_file(self) -> None:
        """Raise `StorageFailedError` unless `path` still names the file this store opened."""
        if self._identity is None:
            return
        path = self._identity[0]
        try:
            now = _identity(path)
        except OSError as error:
            raise StorageFailedError(f"the database file {path} is gone: {error}") from error
        if now != self._identity:
            raise StorageFailedError(f"the database file {path} was replaced by another file")

    async def _release(self) -> None:
        db, self._db = self._db, None
        if db is not None:
            await db.close()

    def _connection(self) -> aiosqlite.Connection:
        if self._db is None:
            raise StorageError("the database is not open")
        return self._db


def _identity(path: str) -> tuple[str, int, int] | None:
    """(absolute path, device, inode) of a database file; None for an in-memory database."""
    if path in ("", ":memory:"):
        return None
    absolute = os.path.abspath(path)
    stat = os.stat(absolute)
    return absolute, stat.st_dev, stat.st_ino
