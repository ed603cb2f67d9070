"""Crash safety: a write the SQLite store acknowledged survives SIGKILL of the process, and the
revision counter never goes back (API-2), because a write is acknowledged only after its batch
committed with `synchronous=FULL`."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import anyio
import pytest
from anyio.streams.buffered import BufferedByteReceiveStream

from kubelite.store.sqlite import SQLiteStorage

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
ACKNOWLEDGED = 400


async def acknowledged_writes_until_killed(db: Path, log: Path) -> dict[str, int]:
    """Run the writer child, read `name revision` lines until enough, SIGKILL it mid-stream."""
    newest: dict[str, int] = {}
    command = [sys.executable, "-m", "tests.store.crash_writer", str(db)]
    with log.open("wb") as stderr:
        async with await anyio.open_process(command, cwd=ROOT, stderr=stderr) as process:
            assert process.stdout is not None
            lines = BufferedByteReceiveStream(process.stdout)
            try:
                for _ in range(ACKNOWLEDGED):
                    name, revision = (await read_line(lines, log)).split()
                    newest[name] = max(newest.get(name, 0), int(revision))
            finally:
                process.kill()
                await process.wait()
    assert process.returncode == -signal.SIGKILL, await anyio.Path(log).read_text()
    return newest


async def read_line(lines: BufferedByteReceiveStream, log: Path) -> str:
    try:
        return (await lines.receive_until(b"\n", 200)).decode()
    except (anyio.EndOfStream, anyio.IncompleteRead):
        pytest.fail(f"the writer stopped early:\n{await anyio.Path(log).read_text()}")


async def test_acknowledged_writes_survive_sigkill(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    with anyio.fail_after(30):
        newest = await acknowledged_writes_until_killed(db, tmp_path / "child.log")
    last = max(newest.values())
    async with SQLiteStorage(db) as store:
        for name, revision in newest.items():
            record = store.get(("crash", "default", name))
            assert record is not None, name
            assert record.revision >= revision, name
        assert store.revision >= last
        following = await store.create(("crash", "default", "after-restart"), lambda revision: b"x")
    assert following.revision > last
