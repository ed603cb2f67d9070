"""Child process of the crash-safety test: `python -m tests.store.crash_writer DB`.

Opens an `SQLiteStorage` (synchronous FULL) at DB and writes until it is killed: several concurrent
writers create, then keep updating, their own keys under resource "crash", namespace "default".
After each acknowledged write it prints `NAME REVISION` on one line and flushes stdout, so the
parent knows exactly which writes the store has promised are durable.
"""

from __future__ import annotations

import sys
from itertools import count

import anyio

from kubelite.store.interface import Render
from kubelite.store.sqlite import SQLiteStorage

WRITERS = 20
KEYS_PER_WRITER = 25


def constant(payload: bytes) -> Render:
    return lambda revision: payload


async def write_forever(store: SQLiteStorage, writer: int) -> None:
    for step in count():
        key = ("crash", "default", f"w{writer}-{step % KEYS_PER_WRITER}")
        render = constant(f"writer {writer} step {step} ".encode() * 20)
        if store.latest(key) is None:
            record = await store.create(key, render)
        else:
            record = await store.update(key, render)
        sys.stdout.write(f"{key[2]} {record.revision}\n")
        sys.stdout.flush()


async def main(path: str) -> None:
    async with SQLiteStorage(path) as store, anyio.create_task_group() as tg:
        for writer in range(WRITERS):
            tg.start_soon(write_forever, store, writer)


if __name__ == "__main__":
    anyio.run(main, sys.argv[1])
