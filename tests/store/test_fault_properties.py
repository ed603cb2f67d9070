"""Property acknowledged-writes-survive (issue 9, item 6; API-2): with transient faults injected
into arbitrary commit batches of arbitrary concurrent write rounds, the store, its watch and the
reopened file hold exactly the acknowledged writes, and each acknowledged write was valid against
acknowledged state alone (none was accepted against a write that then failed)."""

from __future__ import annotations

import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

import anyio
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kubelite.store.interface import (
    KeyExistsError,
    KeyNotFoundError,
    Record,
    RevisionMismatchError,
    StorageError,
    TransientStorageError,
)
from kubelite.store.sqlerrors import sqlite_error
from kubelite.store.sqlite import SQLiteStorage

from .conftest import value
from .faults import Faults
from .test_properties import Model, Op, assert_matches, drain_until_sentinel, rounds

pytestmark = pytest.mark.anyio

Outcome = Record | StorageError
PRECONDITIONS = (KeyExistsError, KeyNotFoundError, RevisionMismatchError)


@dataclass
class Acked:
    """An acknowledged write: the op, the revision it expected (None: any) and its record."""

    op: Op
    expect: int | None
    record: Record


async def acked_writes(store: SQLiteStorage, round_ops: list[Op], accepted: list[Acked]) -> None:
    """Run one round concurrently; append the acknowledged writes in accept order. A write fails
    only by a precondition or by a transient fault."""
    outcomes: list[tuple[Op, int | None, Outcome]] = []

    async def run(op: Op) -> None:
        for _ in range(op.delay):
            await anyio.lowlevel.checkpoint()
        slot = len(outcomes)
        outcomes.append((op, None, StorageError("pending")))
        current = store.latest(op.key)
        expect = None
        if op.expect != "none" and current is not None:
            expect = current.revision - 1 if op.expect == "stale" else current.revision
        render = value(f"{op.kind}:{op.key[2]}")
        try:
            if op.kind == "create":
                outcome: Outcome = await store.create(op.key, render)
            else:
                outcome = await getattr(store, op.kind)(op.key, render, expect_revision=expect)
        except StorageError as error:
            outcome = error
        outcomes[slot] = (op, expect, outcome)

    async with anyio.create_task_group() as tg:
        for op in round_ops:
            tg.start_soon(run, op)
    for op, expect, outcome in outcomes:
        if isinstance(outcome, Record):
            accepted.append(Acked(op, expect, outcome))
        else:
            assert isinstance(outcome, (*PRECONDITIONS, TransientStorageError)), (op, outcome)


def replay(acked: list[Acked]) -> Model:
    """The dict model fed the acknowledged writes in revision order; each must have been valid
    against the acknowledged state alone (none was accepted against a write that then failed)."""
    revisions = [write.record.revision for write in acked]
    assert revisions == sorted(set(revisions)), "acknowledged revisions increase in accept order"
    model = Model()
    for write in acked:
        current = model.records.get(write.op.key)
        if write.op.kind == "create":
            assert current is None, write
        else:
            assert current is not None, write
            assert write.expect is None or write.expect == current.revision, write
        model.apply(write.op, write.record)
    return model


FAULT_CODES = [None, sqlite3.SQLITE_FULL, sqlite3.SQLITE_BUSY, sqlite3.SQLITE_IOERR_WRITE]


ON_TOP = [Op("create", ("pods", "x", "a"), "none", 0), Op("update", ("pods", "x", "a"), "current", 2)]
"""An update accepted while the create it depends on is committing (and fails)."""


@settings(max_examples=30, deadline=None)
@given(plan=rounds, faults=st.lists(st.sampled_from(FAULT_CODES), max_size=12))
@example(plan=[ON_TOP], faults=[sqlite3.SQLITE_FULL])
async def test_property_the_store_holds_exactly_the_acknowledged_writes(
    plan: list[list[Op]], faults: list[int | None]
) -> None:
    """Property acknowledged-writes-survive: with transient faults injected into arbitrary batches,
    the store's state, its watch and the reopened file hold exactly the acknowledged writes, and
    every acknowledged write was valid against acknowledged state only."""
    hook = Faults()
    hook.queue = [sqlite_error(code, "injected") if code else None for code in faults]
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "store.db"
        acked: list[Acked] = []
        async with SQLiteStorage(path, synchronous="NORMAL", before_commit=hook) as store:
            watch = store.watch("pods", None, 0)
            for round_ops in plan:
                await acked_writes(store, round_ops, acked)
            model = replay(acked)
            hook.queue.clear()
            sentinel = await store.create(("pods", "x", "sentinel"), value("end"))
            assert await drain_until_sentinel(watch) == model.events
            model.records[sentinel.key] = sentinel
            assert_matches(store, model)
        async with SQLiteStorage(path) as reopened:
            assert_matches(reopened, model)
            assert reopened.revision == sentinel.revision
