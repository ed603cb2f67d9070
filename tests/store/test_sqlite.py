"""The SQLite backend: group commit and restart from the file. A write acknowledged by the store
survives a restart; its revision is never reused. Faults under the file are in `test_faults.py`."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import anyio
import pytest

from kubelite.store.interface import Record
from kubelite.store.sqlite import SQLiteStorage

from .conftest import pod, value

pytestmark = pytest.mark.anyio


async def test_group_commit_puts_concurrent_writers_in_few_transactions(tmp_path: Path) -> None:
    async with SQLiteStorage(tmp_path / "db") as store:

        async def writer(number: int) -> None:
            for round_ in range(3):
                await store.create(pod(f"w{number}-{round_}"), value("x"))

        async with anyio.create_task_group() as tg:
            for number in range(200):
                tg.start_soon(writer, number)
        assert store.stats.writes == 600
        assert store.stats.commits <= 20
        assert store.stats.largest_batch >= 100
        assert len(store.list("pods")[0]) == 600


@pytest.mark.parametrize(
    "last_write",
    ["update", "delete"],
    ids=["after-an-update", "after-a-delete"],
)
async def test_restart_restores_objects_and_continues_the_revision(tmp_path: Path, last_write: str) -> None:
    path = tmp_path / "db"
    async with SQLiteStorage(path) as store:
        await store.create(pod("a", "one"), value("a"))
        kept = await store.create(pod("b", "two"), value("b"))
        node = await store.create(("nodes", "", "n1"), value("n"))
        if last_write == "update":
            await store.delete(pod("a", "one"), value("a-final"))
            last = kept = await store.update(pod("b", "two"), value("b2"))
        else:
            last = await store.delete(pod("a", "one"), value("a-final"))
    async with SQLiteStorage(path) as reopened:
        assert reopened.revision == last.revision
        assert reopened.compacted_revision == last.revision
        assert reopened.list("pods") == ([kept], last.revision)
        assert reopened.get(("nodes", "", "n1")) == node
        assert reopened.get(pod("a", "one")) is None
        following = await reopened.create(pod("c"), value("c"))
        assert following.revision == last.revision + 1


async def test_restart_keeps_the_revision_when_everything_was_deleted(tmp_path: Path) -> None:
    path = tmp_path / "db"
    async with SQLiteStorage(path) as store:
        for name in ("a", "b"):
            await store.create(pod(name), value(name))
        for name in ("a", "b"):
            await store.delete(pod(name), value("bye"))
    async with SQLiteStorage(path) as reopened:
        assert reopened.list("pods") == ([], 4)
        assert (await reopened.create(pod("a"), value("again"))).revision == 5


async def test_stored_rows_are_the_current_objects_only(tmp_path: Path) -> None:
    path = tmp_path / "db"
    async with SQLiteStorage(path, synchronous="NORMAL") as store:
        await store.create(pod("a"), value("a"))
        await store.update(pod("a"), value("a2"))
        await store.create(pod("b"), value("b"))
        await store.delete(pod("b"), value("b-final"))
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT resource, namespace, name, value, revision FROM objects").fetchall()
        (saved,) = db.execute("SELECT revision FROM meta").fetchone()
        (mode,) = db.execute("PRAGMA journal_mode").fetchone()
    db.close()
    assert rows == [("pods", "default", "a", b"a2@2", 2)]
    assert (saved, mode) == (4, "wal")


async def test_a_memory_database_works_for_throwaway_stores() -> None:
    async with SQLiteStorage(":memory:") as store:
        assert await store.create(pod("a"), value("a")) == Record(pod("a"), b"a@1", 1)


def test_an_unknown_synchronous_mode_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="synchronous"):
        SQLiteStorage(tmp_path / "db", synchronous="OFF")
