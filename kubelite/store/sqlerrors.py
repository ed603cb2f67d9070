"""What an SQLite error means for the store: a transient fault (one batch fails) or a fatal one.

`classify(error)` turns an exception raised while a batch was being committed (after the
transaction was rolled back) into the store's error tree, by SQLite's extended result code:

- `SQLITE_BUSY`, `SQLITE_LOCKED`: another connection held the database past the busy timeout →
  `StorageBusyError` (the apiserver answers 504 Timeout);
- `SQLITE_FULL` (the disk, or `max_page_count`), `SQLITE_IOERR` except the codes below →
  `TransientStorageError`: the transaction rolled back, the file is intact, a later batch may
  succeed once space is freed or the device answers again;
- everything else → `StorageFailedError`: corruption (`SQLITE_CORRUPT`, `SQLITE_NOTADB`,
  `SQLITE_IOERR_DATA`, `SQLITE_IOERR_CORRUPTFS`), a failed fsync (`SQLITE_IOERR_FSYNC`,
  `SQLITE_IOERR_DIR_FSYNC`: whether the commit reached the disk is unknown, so, as PostgreSQL
  does, the only safe answer is to stop), a file that became unopenable or read-only, the schema
  gone (`SQLITE_ERROR`), and any exception that is not an SQLite error at all.

`sqlite_error(code, message)` builds the exception SQLite would raise with that code, for tests that
inject faults through `SQLiteStorage(before_commit=...)`.
"""

from __future__ import annotations

import sqlite3

from kubelite.store.interface import (
    StorageBusyError,
    StorageError,
    StorageFailedError,
    TransientStorageError,
)

_BUSY = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})
_TRANSIENT = frozenset({sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR})
_FATAL_IOERR = frozenset(
    {
        sqlite3.SQLITE_IOERR_FSYNC,
        sqlite3.SQLITE_IOERR_DIR_FSYNC,
        sqlite3.SQLITE_IOERR_DATA,
        sqlite3.SQLITE_IOERR_CORRUPTFS,
    }
)


def result_code(error: BaseException) -> int | None:
    """SQLite's extended result code carried by `error`, or None if it is not an SQLite error."""
    code = getattr(error, "sqlite_errorcode", None)
    return code if isinstance(error, sqlite3.Error) and isinstance(code, int) else None


def classify(error: BaseException) -> StorageError:
    """The store error for `error` raised by a commit; its `__cause__` is `error`."""
    code = result_code(error)
    primary = None if code is None else code & 0xFF
    described = describe(error)
    classified: StorageError
    if primary in _BUSY:
        classified = StorageBusyError(described)
    elif primary in _TRANSIENT and code not in _FATAL_IOERR:
        classified = TransientStorageError(described)
    else:
        classified = StorageFailedError(f"the database failed: {described}")
    classified.__cause__ = error
    return classified


def describe(error: BaseException) -> str:
    """`message (SQLITE_NAME)` for an SQLite error, `repr(error)` otherwise."""
    name = getattr(error, "sqlite_errorname", None)
    if isinstance(error, sqlite3.Error) and isinstance(name, str):
        return f"{error} ({name})"
    return repr(error)


def sqlite_error(code: int, message: str) -> sqlite3.Error:
    """The exception SQLite raises for the extended result `code` (for fault injection)."""
    primary = code & 0xFF
    corrupt = primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
    error = sqlite3.DatabaseError(message) if corrupt else sqlite3.OperationalError(message)
    error.sqlite_errorcode = code
    error.sqlite_errorname = _name(code)
    return error


def _name(code: int) -> str:
    """`SQLITE_IOERR_FSYNC` for 1034: the constant whose name extends the primary code's name."""
    primary = next((name for name in _PRIMARY_NAMES if getattr(sqlite3, name) == code & 0xFF), "SQLITE_ERROR")
    for name, value in vars(sqlite3).items():
        if value == code and name.startswith(primary):
            return name
    return f"{primary}_{code >> 8}"


_PRIMARY_NAMES = (
    "SQLITE_ERROR",
    "SQLITE_PERM",
    "SQLITE_BUSY",
    "SQLITE_LOCKED",
    "SQLITE_READONLY",
    "SQLITE_IOERR",
    "SQLITE_CORRUPT",
    "SQLITE_FULL",
    "SQLITE_CANTOPEN",
    "SQLITE_PROTOCOL",
    "SQLITE_NOTADB",
)
