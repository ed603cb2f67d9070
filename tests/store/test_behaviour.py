"""The storage contract, run against both backends: writes, preconditions, the two read views,
listing and revisions (API-2 resourceVersion, API-10 conflicts)."""

from __future__ import annotations

import anyio
import pytest

from kubelite.store.core import BatchingStore
from kubelite.store.interface import (
    KeyExistsError,
    KeyNotFoundError,
    Record,
    RevisionMismatchError,
    Storage,
    StorageError,
)

from .conftest import StoreFactory, pod, value

pytestmark = pytest.mark.anyio


async def test_both_backends_satisfy_the_storage_protocol(store: BatchingStore) -> None:
    checked: Storage = store
    assert checked.revision == 0


async def test_create_get_update_delete_round_trip(store: BatchingStore) -> None:
    created = await store.create(pod("a"), value("one"))
    assert created == Record(pod("a"), b"one@1", 1)
    assert store.get(pod("a")) == created

    updated = await store.update(pod("a"), value("two"), expect_revision=1)
    assert updated == Record(pod("a"), b"two@2", 2)
    assert store.get(pod("a")) == updated

    deleted = await store.delete(pod("a"), value("gone"))
    assert deleted == Record(pod("a"), b"gone@3", 3)
    assert store.get(pod("a")) is None
    assert store.latest(pod("a")) is None
    assert store.revision == 3


async def test_api10_create_of_an_existing_key_raises_and_changes_nothing(store: BatchingStore) -> None:
    first = await store.create(pod("a"), value("one"))
    with pytest.raises(KeyExistsError):
        await store.create(pod("a"), value("two"))
    assert store.get(pod("a")) == first
    assert store.revision == first.revision


@pytest.mark.parametrize("operation", ["update", "delete"], ids=["update", "delete"])
async def test_write_to_a_missing_key_raises_not_found(store: BatchingStore, operation: str) -> None:
    with pytest.raises(KeyNotFoundError):
        await getattr(store, operation)(pod("nobody"), value("x"))
    assert store.revision == 0
    assert store.list("pods") == ([], 0)


@pytest.mark.parametrize("operation", ["update", "delete"], ids=["update", "delete"])
async def test_api10_stale_expected_revision_raises_mismatch_and_changes_nothing(
    store: BatchingStore, operation: str
) -> None:
    first = await store.create(pod("a"), value("one"))
    second = await store.update(pod("a"), value("two"))
    with pytest.raises(RevisionMismatchError) as caught:
        await getattr(store, operation)(pod("a"), value("three"), expect_revision=first.revision)
    assert (caught.value.expected, caught.value.actual) == (first.revision, second.revision)
    assert store.get(pod("a")) == second
    assert store.revision == second.revision


async def test_api2_revisions_strictly_increase_across_keys_and_operations(store: BatchingStore) -> None:
    revisions = [
        (await store.create(pod("a"), value("a"))).revision,
        (await store.create(pod("b", "other"), value("b"))).revision,
        (await store.update(pod("a"), value("a2"))).revision,
        (await store.delete(pod("b", "other"), value("b-final"))).revision,
        (await store.create(pod("b", "other"), value("b-again"))).revision,
    ]
    assert revisions == sorted(set(revisions))
    assert store.revision == revisions[-1]


async def test_render_sees_the_revision_it_is_stored_under(store: BatchingStore) -> None:
    seen: list[int] = []

    def render(revision: int) -> bytes:
        seen.append(revision)
        return b"%d" % revision

    record = await store.create(pod("a"), render)
    assert seen == [record.revision] and record.value == str(record.revision).encode()


async def test_a_failing_render_leaves_no_trace(store: BatchingStore) -> None:
    def broken(revision: int) -> bytes:
        raise ValueError("cannot encode")

    with pytest.raises(ValueError):
        await store.create(pod("a"), broken)
    assert store.latest(pod("a")) is None
    assert (await store.create(pod("a"), value("ok"))).revision == 1


async def test_latest_sees_an_accepted_write_before_get_does(store: BatchingStore) -> None:
    """`latest` includes accepted writes; `get` only committed ones (the read-modify-write view)."""
    before = await store.create(pod("a"), value("one"))
    async with anyio.create_task_group() as tg:
        tg.start_soon(store.update, pod("a"), value("two"))
        with anyio.fail_after(5):
            while (latest := store.latest(pod("a"))) == before:
                await anyio.lowlevel.checkpoint()
        assert latest is not None and latest.value == b"two@2"
        assert store.get(pod("a")) == before
        assert store.list("pods") == ([before], before.revision)
    assert store.get(pod("a")) == store.latest(pod("a")) == latest
    assert store.revision == 2


async def test_writes_racing_in_one_commit_window_conflict(store: BatchingStore) -> None:
    """Two read-modify-writes of one key accepted together: the second sees the first (API-10)."""
    base = await store.create(pod("a"), value("base"))
    outcomes: list[str] = []

    async def write(text: str) -> None:
        try:
            await store.update(pod("a"), value(text), expect_revision=base.revision)
            outcomes.append(text)
        except RevisionMismatchError:
            outcomes.append("conflict")

    async with anyio.create_task_group() as tg:
        tg.start_soon(write, "first")
        tg.start_soon(write, "second")
    assert outcomes == ["conflict", "first"] or outcomes == ["first", "conflict"]
    current = store.get(pod("a"))
    assert current is not None and current.value == f"first@{base.revision + 1}".encode()


async def test_list_is_sorted_by_namespace_then_name_and_filters_by_namespace(store: BatchingStore) -> None:
    for namespace, name in [("b", "z"), ("a", "y"), ("b", "a"), ("a", "x")]:
        await store.create(pod(name, namespace), value(f"{namespace}/{name}"))
    await store.create(("services", "a", "svc"), value("svc"))
    records, revision = store.list("pods")
    assert [r.key[1:] for r in records] == [("a", "x"), ("a", "y"), ("b", "a"), ("b", "z")]
    assert revision == store.revision == 5
    in_b, _ = store.list("pods", "b")
    assert [r.key[1:] for r in in_b] == [("b", "a"), ("b", "z")]
    assert store.list("pods", "missing") == ([], 5)
    assert [r.key for r in store.list("services")[0]] == [("services", "a", "svc")]
    assert store.list("nodes") == ([], 5)


async def test_cluster_scoped_keys_use_the_empty_namespace(store: BatchingStore) -> None:
    node = await store.create(("nodes", "", "n1"), value("node"))
    assert store.list("nodes", "") == ([node], node.revision)
    assert store.list("nodes") == ([node], node.revision)


async def test_delete_then_recreate_in_one_batch_keeps_the_recreated_object(store: BatchingStore) -> None:
    await store.create(pod("a"), value("one"))
    async with anyio.create_task_group() as tg:
        tg.start_soon(store.delete, pod("a"), value("bye"))
        tg.start_soon(store.create, pod("a"), value("again"))
    current = store.get(pod("a"))
    assert current is not None and current.value.startswith(b"again@")


async def test_close_commits_accepted_writes_then_refuses_writes(new_store: StoreFactory) -> None:
    store = new_store()
    results: list[Record] = []
    async with store:

        async def write(name: str) -> None:
            results.append(await store.create(pod(name), value(name)))

        async with anyio.create_task_group() as tg:
            for name in ("a", "b", "c"):
                tg.start_soon(write, name)
            await anyio.lowlevel.checkpoint()
            await store.close()
    assert sorted(r.key[2] for r in results) == ["a", "b", "c"]
    assert store.revision == 3
    with pytest.raises(StorageError):
        await store.create(pod("d"), value("d"))
    await store.close()


async def test_writes_and_watches_before_open_raise(new_store: StoreFactory) -> None:
    store = new_store()
    with pytest.raises(StorageError, match="not open"):
        await store.create(pod("a"), value("a"))
    with pytest.raises(StorageError, match="not open"):
        store.watch("pods", None, 0)
    await store.close()


async def test_an_error_in_the_owner_propagates_unchanged_and_closes_the_store(
    new_store: StoreFactory,
) -> None:
    store = new_store()
    with pytest.raises(LookupError, match="boom"):
        async with store:
            await store.create(pod("a"), value("a"))
            raise LookupError("boom")
    assert store.revision == 1 and store.get(pod("a")) is not None
    with pytest.raises(StorageError, match="closed"):
        await store.create(pod("b"), value("b"))


def test_history_must_hold_at_least_one_event(new_store: StoreFactory) -> None:
    with pytest.raises(ValueError, match="at least one"):
        new_store(history=0)


async def test_cancelling_the_owner_never_leaves_a_writer_hanging(new_store: StoreFactory) -> None:
    """The store's owner is cancelled while writes are pending: each writer either gets its record
    (then it is committed) or `StorageError`; none waits forever."""
    outcomes: dict[str, Record | StorageError] = {}
    store = new_store()

    async def owner(task_status: anyio.abc.TaskStatus[None]) -> None:
        async with store:
            task_status.started()
            await anyio.sleep_forever()

    async def writer(name: str) -> None:
        try:
            outcomes[name] = await store.create(pod(name), value(name))
        except StorageError as error:
            outcomes[name] = error

    with anyio.fail_after(5):
        async with anyio.create_task_group() as writers:
            with anyio.CancelScope() as owner_scope:
                async with anyio.create_task_group() as owned:
                    await owned.start(owner)
                    for index in range(50):
                        writers.start_soon(writer, f"w{index}")
                    await anyio.lowlevel.checkpoint()
                    owner_scope.cancel()
    assert len(outcomes) == 50
    for name, outcome in outcomes.items():
        assert isinstance(outcome, (Record, StorageError))
        assert store.get(pod(name)) == (outcome if isinstance(outcome, Record) else None)
    with pytest.raises(StorageError):
        await store.create(pod("late"), value("late"))
