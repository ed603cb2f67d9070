"""Properties of the store under arbitrary write sequences (API-2), checked on both backends.

Three properties (named in each test's docstring): revisions-strictly-increase,
watch-delivers-exactly-the-later-writes, list-equals-model.

Writes come in rounds: the writes of one round run concurrently, each after a few checkpoints, so
they share commit batches or land in the batch accepted while another commits. Each write records
its position in the accept order (accepting is synchronous); a plain dict model, fed the same
writes in that order, predicts which ones fail and what the store must hold.
"""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import anyio
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kubelite.store.core import BatchingStore
from kubelite.store.history import HistoryWatch
from kubelite.store.interface import (
    Event,
    EventType,
    Key,
    KeyExistsError,
    KeyNotFoundError,
    Record,
    Render,
    RevisionMismatchError,
    StorageError,
)
from kubelite.store.memory import MemoryStorage
from kubelite.store.sqlite import SQLiteStorage

pytestmark = pytest.mark.anyio

KINDS = {"create": EventType.ADDED, "update": EventType.MODIFIED, "delete": EventType.DELETED}
EXPECT = ["none", "current", "stale"]


@dataclass(frozen=True)
class Op:
    kind: str
    key: Key
    expect: str
    delay: int
    """Checkpoints to pass before writing, so that writes spread over several commit batches."""


ops = st.builds(
    Op,
    kind=st.sampled_from(sorted(KINDS)),
    key=st.tuples(st.just("pods"), st.sampled_from(["x", "y"]), st.sampled_from(["a", "b", "c"])),
    expect=st.sampled_from(EXPECT),
    delay=st.integers(min_value=0, max_value=3),
)
rounds = st.lists(st.lists(ops, min_size=1, max_size=6), min_size=1, max_size=8)


@dataclass
class Model:
    """The dict the store should behave like."""

    records: dict[Key, Record] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)

    def predict(self, op: Op) -> type[StorageError] | None:
        exists = op.key in self.records
        if op.kind == "create":
            return KeyExistsError if exists else None
        if not exists:
            return KeyNotFoundError
        return RevisionMismatchError if op.expect == "stale" else None

    def apply(self, op: Op, record: Record) -> None:
        before = self.records.get(op.key)
        if op.kind == "delete":
            del self.records[op.key]
        else:
            self.records[op.key] = record
        previous = None if before is None else before.value
        self.events.append(Event(KINDS[op.kind], record.key, record.value, record.revision, previous))


@asynccontextmanager
async def opened(backend: str, directory: str, history: int = 1000) -> AsyncIterator[BatchingStore]:
    store: BatchingStore
    if backend == "memory":
        store = MemoryStorage(history=history)
    else:
        store = SQLiteStorage(Path(directory) / "store.db", history=history, synchronous="NORMAL")
    async with store:
        yield store


def labelled(label: str) -> Render:
    return lambda revision: f"{label}:{revision}".encode()


async def run_op(
    store: BatchingStore, op: Op, order: list[Op], results: dict[int, Record | StorageError]
) -> None:
    """Issue one write; the expected revision is read from `latest` just before, as the apiserver does."""
    for _ in range(op.delay):
        await anyio.lowlevel.checkpoint()
    index = len(order)
    order.append(op)
    current = store.latest(op.key)
    expect = None
    if op.expect != "none" and current is not None:
        expect = current.revision - 1 if op.expect == "stale" else current.revision
    render = labelled(f"{op.kind}:{index}")
    try:
        if op.kind == "create":
            results[index] = await store.create(op.key, render)
        else:
            results[index] = await getattr(store, op.kind)(op.key, render, expect_revision=expect)
    except StorageError as error:
        results[index] = error


async def run_rounds(store: BatchingStore, plan: list[list[Op]]) -> tuple[Model, list[int]]:
    """Run every round; return the model fed the same writes and the store revision before each round."""
    model, starts = Model(), []
    for round_ops in plan:
        starts.append(store.revision)
        order: list[Op] = []
        results: dict[int, Record | StorageError] = {}
        async with anyio.create_task_group() as tg:
            for op in round_ops:
                tg.start_soon(run_op, store, op, order, results)
        check_round(model, order, results)
    return model, starts


def check_round(model: Model, order: list[Op], results: dict[int, Record | StorageError]) -> None:
    for index, op in enumerate(order):
        outcome, predicted = results[index], model.predict(op)
        if predicted is None:
            assert isinstance(outcome, Record), (op, outcome)
            assert outcome.value == f"{op.kind}:{index}:{outcome.revision}".encode()
            assert not model.events or outcome.revision > model.events[-1].revision
            model.apply(op, outcome)
        else:
            assert type(outcome) is predicted, (op, outcome)


async def drain_until_sentinel(watch: HistoryWatch) -> list[Event]:
    events: list[Event] = []
    with anyio.fail_after(5):
        async for event in watch:
            if event.key[2] == "sentinel":
                return events
            events.append(event)
    raise AssertionError("the watch ended before the sentinel")


BACKENDS = pytest.mark.parametrize("backend", ["memory", "sqlite"], ids=["memory", "sqlite"])
EXAMPLES = settings(max_examples=40, deadline=None)


@BACKENDS
@EXAMPLES
@given(plan=rounds)
async def test_api2_revisions_strictly_increase(backend: str, plan: list[list[Op]]) -> None:
    """Property revisions-strictly-increase: for any writes, failing ones included, each successful
    write gets a revision above every earlier one (in accept order); failures are exactly the ones
    the dict model predicts and leave the revision alone."""
    with tempfile.TemporaryDirectory() as directory:
        async with opened(backend, directory) as store:
            model, _ = await run_rounds(store, plan)
            assert store.revision == (model.events[-1].revision if model.events else 0)


@BACKENDS
@EXAMPLES
@given(plan=rounds, watch_round=st.integers(min_value=0, max_value=7))
async def test_api2_watch_from_r_delivers_exactly_the_later_writes(
    backend: str, plan: list[list[Op]], watch_round: int
) -> None:
    """Property watch-delivers-exactly-the-later-writes: a watch opened at revision R yields exactly
    the committed writes after R, in order, with the right types and bytes (also per namespace)."""
    with tempfile.TemporaryDirectory() as directory:
        async with opened(backend, directory) as store:
            from_start = store.watch("pods", None, 0)
            only_x = store.watch("pods", "x", 0)
            model, starts = await run_rounds(store, plan)
            await store.create(("pods", "x", "sentinel"), labelled("end"))
            assert await drain_until_sentinel(from_start) == model.events
            assert await drain_until_sentinel(only_x) == [e for e in model.events if e.key[1] == "x"]
            resume = starts[min(watch_round, len(starts) - 1)]
            later = store.watch("pods", None, resume)
            assert await drain_until_sentinel(later) == [e for e in model.events if e.revision > resume]


@BACKENDS
@EXAMPLES
@given(plan=rounds)
async def test_api2_final_list_equals_a_dict_model(backend: str, plan: list[list[Op]]) -> None:
    """Property list-equals-model: after any writes, `list`, `get` and `latest` agree with a dict
    model; for SQLite also after a restart, where the revision continues above the last one."""
    with tempfile.TemporaryDirectory() as directory:
        async with opened(backend, directory) as store:
            model, _ = await run_rounds(store, plan)
            assert_matches(store, model)
            last = store.revision
        if backend == "sqlite":
            async with opened(backend, directory) as reopened:
                assert_matches(reopened, model)
                assert reopened.revision == last
                assert (await reopened.create(("pods", "x", "new"), labelled("new"))).revision > last


def assert_matches(store: BatchingStore, model: Model) -> None:
    expected = sorted(model.records.values(), key=lambda record: record.key)
    assert store.list("pods")[0] == expected
    assert store.list("pods", "y")[0] == [r for r in expected if r.key[1] == "y"]
    for key, record in model.records.items():
        assert store.get(key) == store.latest(key) == record
