"""Storage faults under the SQLite store (issue 9, item 6).

A transient fault (another connection holding the write lock past the busy timeout, a full disk, an
I/O error the transaction survived) fails the writes of one batch and nothing else: state,
revision, watch and file are as if those writes never happened, their revisions are not reused,
and writes succeed again once the cause is gone. A fatal one (the file removed, replaced or
corrupt, an unknown error) fails the store: every call raises `StorageFailedError` and the store's
owner is stopped with it. Locks are real (a second sqlite3 connection in `BEGIN IMMEDIATE`); other
faults are raised into the persist step through `SQLiteStorage(before_commit=...)`.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path

import anyio
import pytest
from anyio.abc import TaskStatus
from structlog.testing import capture_logs

from kubelite.store.interface import (
    Event,
    EventType,
    Record,
    StorageBusyError,
    StorageError,
    StorageFailedError,
    TransientStorageError,
)
from kubelite.store.sqlerrors import classify, sqlite_error
from kubelite.store.sqlite import SQLiteStorage

from .conftest import pod, value
from .faults import Faults, write_lock

pytestmark = pytest.mark.anyio

Outcome = Record | StorageError


async def attempt(writes: list[Callable[[], Awaitable[Record]]]) -> list[Outcome]:
    """Run the writes concurrently (one commit window); each outcome is a record or the error."""
    outcomes: list[Outcome | None] = [None] * len(writes)

    async def run(index: int) -> None:
        try:
            outcomes[index] = await writes[index]()
        except StorageError as error:
            outcomes[index] = error

    with anyio.fail_after(5):
        async with anyio.create_task_group() as tg:
            for index in range(len(writes)):
                tg.start_soon(run, index)
    return [outcome for outcome in outcomes if outcome is not None]


def three_writes(store: SQLiteStorage, tag: str) -> list[Callable[[], Awaitable[Record]]]:
    """Create `c`, update `a`, delete `b`."""
    return [
        lambda: store.create(pod("c"), value(tag)),
        lambda: store.update(pod("a"), value(tag)),
        lambda: store.delete(pod("b"), value(tag)),
    ]


async def reopened(path: Path) -> tuple[list[Record], int]:
    """What a restart finds in the file: every pod and the revision."""
    async with SQLiteStorage(path) as store:
        return store.list("pods")


async def test_a_locked_database_fails_the_batch_and_writes_succeed_once_the_lock_is_gone(
    tmp_path: Path,
) -> None:
    path = tmp_path / "db"
    async with SQLiteStorage(path, busy_timeout=0.05) as store:
        a = await store.create(pod("a"), value("a"))
        b = await store.create(pod("b"), value("b"))
        watch = store.watch("pods", None, b.revision)
        with write_lock(path), capture_logs() as logs:
            failed = await attempt(three_writes(store, "locked"))
        assert [type(outcome) for outcome in failed] == [StorageBusyError] * 3
        assert str(failed[0]) == "the write was not committed: database is locked (SQLITE_BUSY)"
        assert [(entry["event"], entry["log_level"]) for entry in logs] == [("store_batch_failed", "warning")]
        assert store.list("pods") == ([a, b], b.revision)
        assert [store.latest(pod(name)) for name in "abc"] == [a, b, None]
        assert store.stats.failed_batches == 1

        done = await attempt(three_writes(store, "free"))
        assert all(isinstance(outcome, Record) for outcome in done)
        first = b.revision + 4
        assert [outcome.revision for outcome in done if isinstance(outcome, Record)] == [
            first,
            first + 1,
            first + 2,
        ], "the failed writes' revisions are not reused"
        with anyio.fail_after(5):
            seen = [await watch.__anext__() for _ in range(3)]
        assert [(event.type, event.key[2], event.revision) for event in seen] == [
            (EventType.ADDED, "c", first),
            (EventType.MODIFIED, "a", first + 1),
            (EventType.DELETED, "b", first + 2),
        ]
        expected = store.list("pods")
    assert expected == ([Record(pod("a"), b"free@%d" % (first + 1), first + 1), done[0]], first + 2)
    assert await reopened(path) == expected


async def test_writes_accepted_on_top_of_a_failing_batch_fail_with_it(tmp_path: Path) -> None:
    """An update accepted against a create that is still committing, and a create accepted in the
    same window, may depend on it (the apiserver checks namespaces and conflicts against the latest
    state): when the create fails, they fail too, and nothing of them reaches the file. A real lock
    holds the create's batch inside its transaction while the others are accepted."""
    path = tmp_path / "db"
    faults = Faults()
    outcomes: dict[str, Outcome] = {}
    async with SQLiteStorage(path, before_commit=faults) as store:

        async def run(name: str, write: Callable[[], Awaitable[Record]]) -> None:
            try:
                outcomes[name] = await write()
            except StorageError as error:
                outcomes[name] = error

        with anyio.fail_after(5):
            async with anyio.create_task_group() as tg:
                with write_lock(path):
                    tg.start_soon(run, "create x", lambda: store.create(pod("x"), value("x")))
                    await anyio.wait_all_tasks_blocked()
                    pending = store.latest(pod("x"))
                    assert pending is not None and store.get(pod("x")) is None
                    update = lambda: store.update(pod("x"), value("x2"), expect_revision=pending.revision)  # noqa: E731
                    tg.start_soon(run, "update x", update)
                    tg.start_soon(run, "create y", lambda: store.create(pod("y"), value("y")))
                    await anyio.wait_all_tasks_blocked()
                    faults.queue.append(sqlite_error(sqlite3.SQLITE_FULL, "database or disk is full"))
        assert {name: type(outcome) for name, outcome in outcomes.items()} == {
            "create x": TransientStorageError,
            "update x": TransientStorageError,
            "create y": TransientStorageError,
        }
        assert str(outcomes["create x"]) == (
            "the write was not committed: database or disk is full (SQLITE_FULL)"
        )
        assert str(outcomes["update x"]) == (
            "the write was not committed: the write was accepted while a batch that failed was"
            " committing: database or disk is full (SQLITE_FULL)"
        )
        assert store.latest(pod("x")) is None and store.latest(pod("y")) is None
        assert store.revision == 0
        again = await store.create(pod("x"), value("again"))
    assert again.revision == 4
    assert await reopened(path) == ([again], again.revision)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (sqlite3.SQLITE_FULL, TransientStorageError),
        (sqlite3.SQLITE_IOERR_WRITE, TransientStorageError),
        (sqlite3.SQLITE_IOERR, TransientStorageError),
        (sqlite3.SQLITE_BUSY, StorageBusyError),
        (sqlite3.SQLITE_LOCKED, StorageBusyError),
    ],
    ids=["disk-full", "ioerr-write", "ioerr", "busy", "locked"],
)
async def test_a_transient_fault_in_the_persist_step_fails_that_batch_only(
    tmp_path: Path, code: int, expected: type[StorageError]
) -> None:
    path = tmp_path / "db"
    faults = Faults()
    async with SQLiteStorage(path, before_commit=faults) as store:
        a = await store.create(pod("a"), value("a"))
        b = await store.create(pod("b"), value("b"))
        faults.queue.append(sqlite_error(code, "injected"))
        failed = await attempt(three_writes(store, "faulty"))
        assert [type(outcome) for outcome in failed] == [expected] * 3
        assert store.list("pods") == ([a, b], b.revision)
        assert await attempt(three_writes(store, "healed")) == [
            Record(pod("c"), b"healed@6", 6),
            Record(pod("a"), b"healed@7", 7),
            Record(pod("b"), b"healed@8", 8),
        ]
        state = store.list("pods")
    assert state == ([Record(pod("a"), b"healed@7", 7), Record(pod("c"), b"healed@6", 6)], 8)
    assert await reopened(path) == state


async def run_owner(
    store: SQLiteStorage, stopped: list[BaseException], *, task_status: TaskStatus[None]
) -> None:
    """Own the store as a server would: sleep inside `async with` until something stops it."""
    try:
        async with store:
            task_status.started()
            await anyio.sleep_forever()
    except StorageFailedError as error:
        stopped.append(error)


def remove_file(path: Path) -> None:
    os.remove(path)


def replace_file(path: Path) -> None:
    other = path.with_name("other.db")
    sqlite3.connect(other).close()
    os.replace(other, path)


def drop_table(path: Path) -> None:
    with sqlite3.connect(path) as other:
        other.execute("DROP TABLE objects")
    other.close()


FATAL = {
    "file-removed": (remove_file, "the database file .* is gone"),
    "file-replaced": (replace_file, "was replaced by another file"),
    "schema-dropped": (drop_table, r"no such table: objects \(SQLITE_ERROR\)"),
    "corrupt": (sqlite_error(sqlite3.SQLITE_CORRUPT, "database disk image is malformed"), "SQLITE_CORRUPT"),
    "not-a-database": (sqlite_error(sqlite3.SQLITE_NOTADB, "file is not a database"), "SQLITE_NOTADB"),
    "fsync-failed": (sqlite_error(sqlite3.SQLITE_IOERR_FSYNC, "disk I/O error"), "SQLITE_IOERR_FSYNC"),
    "unknown-error": (RuntimeError("driver bug"), "RuntimeError"),
}


@pytest.mark.parametrize("fault", list(FATAL), ids=list(FATAL))
async def test_a_fatal_fault_fails_every_call_and_stops_the_owner_loudly(tmp_path: Path, fault: str) -> None:
    path = tmp_path / "db"
    faults = Faults()
    store = SQLiteStorage(path, before_commit=faults)
    cause, message = FATAL[fault]
    stopped: list[BaseException] = []
    with anyio.fail_after(5), capture_logs() as logs:
        async with anyio.create_task_group() as tg:
            await tg.start(run_owner, store, stopped)
            kept = await store.create(pod("kept"), value("kept"))
            watch = store.watch("pods", None, kept.revision)
            if isinstance(cause, BaseException):
                faults.queue.append(cause)
            else:
                cause(path)
            with pytest.raises(StorageFailedError, match=message):
                await store.create(pod("lost"), value("lost"))
    assert [type(error) for error in stopped] == [StorageFailedError]
    assert "store_failed" in [entry["event"] for entry in logs]
    for call in (
        lambda: store.get(pod("kept")),
        lambda: store.latest(pod("kept")),
        lambda: store.list("pods"),
        lambda: store.watch("pods", None, 0),
    ):
        with pytest.raises(StorageFailedError, match=message):
            call()
    with pytest.raises(StorageFailedError, match=message):
        await store.update(pod("kept"), value("again"))
    with pytest.raises(StorageFailedError, match=message), anyio.fail_after(5):
        await watch.__anext__()
    if isinstance(cause, BaseException):
        assert await reopened(path) == ([kept], kept.revision)


async def test_a_file_that_is_not_a_database_fails_the_open(tmp_path: Path) -> None:
    path = tmp_path / "db"
    path.write_bytes(b"not a database, " * 512)
    with pytest.raises(StorageFailedError, match=r"cannot open the database .*\(SQLITE_NOTADB\)"):
        async with SQLiteStorage(path):
            pytest.fail("opened")


async def test_watchers_never_see_a_failed_write(tmp_path: Path) -> None:
    """Watch and list stay consistent with the file: the events after a fault are exactly the
    committed writes, in strictly increasing revisions."""
    path = tmp_path / "db"
    faults = Faults()
    async with SQLiteStorage(path, before_commit=faults) as store:
        watch = store.watch("pods", None, 0)
        committed: list[Record] = []
        for round_ in range(4):
            if round_ % 2:
                faults.queue.append(sqlite_error(sqlite3.SQLITE_FULL, "database or disk is full"))
            name = f"p{round_}"
            outcomes = await attempt([lambda name=name: store.create(pod(name), value("v"))])
            committed += [outcome for outcome in outcomes if isinstance(outcome, Record)]
        with anyio.fail_after(5):
            seen = [await watch.__anext__() for _ in committed]
    assert seen == [Event(EventType.ADDED, record.key, record.value, record.revision) for record in committed]
    assert [record.key[2] for record in committed] == ["p0", "p2"]
    assert [record.revision for record in committed] == [1, 3]
    assert await reopened(path) == (committed, 3)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (sqlite3.SQLITE_BUSY, StorageBusyError),
        (sqlite3.SQLITE_BUSY_SNAPSHOT, StorageBusyError),
        (sqlite3.SQLITE_LOCKED, StorageBusyError),
        (sqlite3.SQLITE_FULL, TransientStorageError),
        (sqlite3.SQLITE_IOERR_WRITE, TransientStorageError),
        (sqlite3.SQLITE_IOERR_FSYNC, StorageFailedError),
        (sqlite3.SQLITE_IOERR_DIR_FSYNC, StorageFailedError),
        (sqlite3.SQLITE_IOERR_DATA, StorageFailedError),
        (sqlite3.SQLITE_CORRUPT, StorageFailedError),
        (sqlite3.SQLITE_NOTADB, StorageFailedError),
        (sqlite3.SQLITE_READONLY_DBMOVED, StorageFailedError),
        (sqlite3.SQLITE_CANTOPEN, StorageFailedError),
        (sqlite3.SQLITE_ERROR, StorageFailedError),
    ],
    ids=lambda item: item if isinstance(item, int) else item.__name__,
)
def test_classification_of_sqlite_errors(code: int, expected: type[StorageError]) -> None:
    error = sqlite_error(code, "boom")
    classified = classify(error)
    assert type(classified) is expected
    assert classified.__cause__ is error
    assert str(classified).endswith(f"boom ({error.sqlite_errorname})")
