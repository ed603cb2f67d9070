"""The de-duplicating queue: W1–W6, waiter wake-ups, and W2 under concurrent workers."""

from __future__ import annotations

import random

import anyio
import anyio.abc
import anyio.lowlevel
import pytest

from kubelite.workqueue import Queue, QueueShutDown


def _drain(queue: Queue[str]) -> list[str]:
    """Take every queued key (leaving them processing)."""
    taken = []
    while len(queue):
        taken.append(queue.get_nowait())
    return taken


async def _getter(
    queue: Queue[str], got: list[str], *, task_status: anyio.abc.TaskStatus[anyio.CancelScope]
) -> None:
    """A worker's `get`. `await tg.start(_getter, ...)` returns once it is parked in `get`."""
    with anyio.CancelScope() as scope:
        task_status.started(scope)  # the caller resumes only after this task has parked below
        try:
            got.append(await queue.get())
        except QueueShutDown:
            got.append("<shutdown>")


def test_w1_duplicate_add_is_a_no_op() -> None:
    queue: Queue[str] = Queue()
    queue.add("a")
    queue.add("b")
    queue.add("a")
    assert len(queue) == 2
    assert _drain(queue) == ["a", "b"]


def test_w2_add_while_processing_waits_for_done() -> None:
    queue: Queue[str] = Queue()
    queue.add("a")
    assert queue.get_nowait() == "a"
    queue.add("a")
    assert len(queue) == 0
    with pytest.raises(anyio.WouldBlock):
        queue.get_nowait()
    queue.done("a")
    assert len(queue) == 1
    assert queue.get_nowait() == "a"


def test_w3_many_adds_during_processing_requeue_once() -> None:
    queue: Queue[str] = Queue()
    queue.add("a")
    queue.get_nowait()
    for _ in range(5):
        queue.add("a")
    queue.done("a")
    assert _drain(queue) == ["a"]
    queue.done("a")
    assert len(queue) == 0


def test_w4_get_is_fifo_and_len_counts_only_queued() -> None:
    queue: Queue[str] = Queue()
    for key in ("c", "a", "b"):
        queue.add(key)
    assert queue.get_nowait() == "c"
    assert len(queue) == 2
    assert _drain(queue) == ["a", "b"]
    assert len(queue) == 0


def test_w4_get_clears_dirty_so_a_new_add_counts() -> None:
    queue: Queue[str] = Queue()
    queue.add("a")
    queue.get_nowait()
    queue.add("a")
    queue.done("a")
    queue.get_nowait()
    queue.done("a")
    assert len(queue) == 0


def test_done_of_an_item_not_processing_is_ignored() -> None:
    queue: Queue[str] = Queue()
    queue.add("a")
    queue.done("a")
    queue.done("b")
    assert _drain(queue) == ["a"]


def test_w5_shutdown_ignores_adds_and_drains_before_reporting() -> None:
    queue: Queue[str] = Queue()
    queue.add("a")
    queue.add("b")
    queue.shut_down()
    queue.add("c")
    assert queue.shutting_down
    assert _drain(queue) == ["a", "b"]
    with pytest.raises(QueueShutDown):
        queue.get_nowait()


def test_w5_done_after_shutdown_still_requeues_a_dirty_item() -> None:
    queue: Queue[str] = Queue()
    queue.add("a")
    queue.get_nowait()
    queue.add("a")
    queue.shut_down()
    queue.done("a")
    assert queue.get_nowait() == "a"
    queue.done("a")
    with pytest.raises(QueueShutDown):
        queue.get_nowait()


@pytest.mark.anyio
async def test_w5_shutdown_wakes_every_waiting_get() -> None:
    queue: Queue[str] = Queue()
    got: list[str] = []
    with anyio.fail_after(1):
        async with anyio.create_task_group() as tg:
            for _ in range(3):
                await tg.start(_getter, queue, got)
            queue.shut_down()
    assert got == ["<shutdown>"] * 3


@pytest.mark.anyio
async def test_get_waits_for_an_add_and_each_add_wakes_one_get() -> None:
    queue: Queue[str] = Queue()
    got: list[str] = []
    with anyio.fail_after(1):
        async with anyio.create_task_group() as tg:
            for _ in range(3):
                await tg.start(_getter, queue, got)
            queue.add("a")
            queue.add("b")
            for _ in range(5):
                await anyio.lowlevel.checkpoint()
            assert sorted(got) == ["a", "b"]
            queue.shut_down()
    assert sorted(got) == ["<shutdown>", "a", "b"]


@pytest.mark.anyio
async def test_w2_a_waiting_get_never_receives_an_item_being_processed() -> None:
    queue: Queue[str] = Queue()
    queue.add("a")
    first = queue.get_nowait()
    got: list[str] = []
    with anyio.fail_after(1):
        async with anyio.create_task_group() as tg:
            await tg.start(_getter, queue, got)
            queue.add("a")
            for _ in range(5):
                await anyio.lowlevel.checkpoint()
            assert got == []
            queue.done(first)
    assert got == ["a"]


@pytest.mark.anyio
@pytest.mark.parametrize("cancel_first", [True, False], ids=["cancel-then-add", "add-then-cancel"])
async def test_a_cancelled_get_never_strands_an_item(cancel_first: bool) -> None:
    """The first waiter is woken by the add and cancelled in the same step, in either order:
    the item goes to exactly one getter (the second one, when the cancellation lands first)."""
    queue: Queue[str] = Queue()
    first: list[str] = []
    second: list[str] = []
    with anyio.fail_after(1):
        async with anyio.create_task_group() as tg:
            scope = await tg.start(_getter, queue, first)
            await tg.start(_getter, queue, second)
            if cancel_first:
                scope.cancel()
            queue.add("a")
            if not cancel_first:
                scope.cancel()
            for _ in range(5):
                await anyio.lowlevel.checkpoint()
            assert sorted(first + second) == ["a"]
            queue.shut_down()
    if cancel_first:
        assert (first, second) == ([], ["a"])
    assert len(queue) == 0


@pytest.mark.anyio
async def test_w6_drain_waits_for_processing_items() -> None:
    queue: Queue[str] = Queue()
    queue.add("a")
    queue.add("b")
    held = [queue.get_nowait(), queue.get_nowait()]
    returned = anyio.Event()

    async def drain() -> None:
        await queue.shut_down_with_drain()
        returned.set()

    with anyio.fail_after(1):
        async with anyio.create_task_group() as tg:
            tg.start_soon(drain)
            await anyio.lowlevel.checkpoint()
            assert queue.shutting_down
            queue.add("c")  # ignored: shutting down
            queue.done(held[0])
            await anyio.lowlevel.checkpoint()
            assert not returned.is_set()
            queue.done(held[1])
            await returned.wait()
    assert len(queue) == 0


@pytest.mark.anyio
async def test_w6_a_later_shutdown_aborts_the_drain() -> None:
    queue: Queue[str] = Queue()
    queue.add("a")
    queue.get_nowait()
    returned = anyio.Event()

    async def drain() -> None:
        await queue.shut_down_with_drain()
        returned.set()

    with anyio.fail_after(1):
        async with anyio.create_task_group() as tg:
            tg.start_soon(drain)
            await anyio.lowlevel.checkpoint()
            assert not returned.is_set()
            queue.shut_down()
            await returned.wait()  # returned although "a" was never done


@pytest.mark.anyio
async def test_w6_edge_drain_returns_at_once_with_items_queued_but_none_processing() -> None:
    """[I] in the reference: the drain loop checks only the processing set."""
    queue: Queue[str] = Queue()
    queue.add("a")
    queue.add("b")
    with anyio.fail_after(1):
        await queue.shut_down_with_drain()
    assert len(queue) == 2
    assert _drain(queue) == ["a", "b"]


@pytest.mark.anyio
async def test_w6_edge_drain_returns_when_done_requeues_the_last_processing_item() -> None:
    queue: Queue[str] = Queue()
    queue.add("a")
    queue.get_nowait()
    queue.add("a")
    with anyio.fail_after(1):
        async with anyio.create_task_group() as tg:
            tg.start_soon(queue.shut_down_with_drain)
            await anyio.lowlevel.checkpoint()
            queue.done("a")
    assert len(queue) == 1  # returned with "a" queued again


@pytest.mark.anyio
@pytest.mark.parametrize("seed", range(5), ids=lambda seed: f"seed{seed}")
async def test_w2_concurrent_workers_never_share_a_key(seed: int) -> None:
    rng = random.Random(seed)
    queue: Queue[str] = Queue()
    in_flight: set[str] = set()
    processed: list[str] = []
    keys = [f"default/pod-{i}" for i in range(5)]
    added: set[str] = set()

    async def worker() -> None:
        while True:
            try:
                key = await queue.get()
            except QueueShutDown:
                return
            assert key not in in_flight, f"W2: {key} handed to two workers"
            in_flight.add(key)
            for _ in range(rng.randrange(4)):
                await anyio.lowlevel.checkpoint()
            in_flight.remove(key)
            processed.append(key)
            queue.done(key)

    with anyio.fail_after(5):
        async with anyio.create_task_group() as tg:
            for _ in range(4):
                tg.start_soon(worker)
            for _ in range(300):
                key = rng.choice(keys)
                added.add(key)
                queue.add(key)
                if rng.random() < 0.5:
                    await anyio.lowlevel.checkpoint()
            await queue.shut_down_with_drain()
    assert set(processed) == added, "an add was lost"
    assert len(queue) == 0
