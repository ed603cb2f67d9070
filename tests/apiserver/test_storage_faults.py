"""Storage faults through the API server (issue 9, item 6): every store failure reaches callers as an
`APIError` in Kubernetes' shape, never a raw `StorageError`.

A database locked by another connection is a 504 `Timeout` ("Timeout: ...", retryAfterSeconds 1,
as Kubernetes' `NewTimeoutError`); any other store failure is a 500 `InternalError` ("Internal
error occurred: ...", the message repeated as the one cause, as Kubernetes' `NewInternalError`).
After a transient fault the stored state is unchanged and the next request succeeds; after a fatal
one every request, reads included, is a 500 and the store's owner stops. A restart finds exactly
the acknowledged writes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path

import anyio
import pytest
from anyio.abc import TaskStatus

from kubelite.api.core import ConfigMap
from kubelite.api.errors import APIError, InternalError
from kubelite.api.meta import ObjectMeta, Status, StatusCause, StatusDetails
from kubelite.apiserver import APIServer
from kubelite.cli.cluster import local_cluster
from kubelite.clock import FakeClock
from kubelite.store.interface import StorageFailedError
from kubelite.store.sqlerrors import sqlite_error
from kubelite.store.sqlite import SQLiteStorage
from tests.store.faults import Faults, write_lock

pytestmark = pytest.mark.anyio


def config(name: str, value: str = "one") -> ConfigMap:
    return ConfigMap(metadata=ObjectMeta(name=name, namespace="default"), data={"key": value})


def failure(code: int, reason: str, message: str, details: StatusDetails) -> Status:
    return Status(status="Failure", message=message, reason=reason, details=details, code=code)


def internal(what: str) -> Status:
    message = f"Internal error occurred: {what}"
    return failure(500, "InternalError", message, StatusDetails(causes=[StatusCause(message=what)]))


async def stored(server: APIServer) -> dict[str, tuple[str, dict[str, str]]]:
    """name → (resourceVersion, data) of every ConfigMap in "default"."""
    listed = await server.list(ConfigMap, "default")
    return {
        item.metadata.name: (item.metadata.resource_version, item.data)
        for item in listed.items
        if isinstance(item, ConfigMap)
    }


async def after_restart(path: Path) -> dict[str, tuple[str, dict[str, str]]]:
    async with SQLiteStorage(path) as storage:
        return await stored(APIServer(storage, clock=FakeClock()))


def three_requests(server: APIServer) -> list[Callable[[], Awaitable[object]]]:
    """Create `c`, update `a`, delete `b`: each a write of its own."""
    changed = config("a", "two")
    return [
        lambda: server.create(ConfigMap, config("c"), "default"),
        lambda: server.update(ConfigMap, changed, "a", "default"),
        lambda: server.delete(ConfigMap, "b", "default"),
    ]


async def each_fails(requests: list[Callable[[], Awaitable[object]]]) -> list[Status]:
    statuses: list[Status] = []
    for request in requests:
        with pytest.raises(APIError) as caught:
            await request()
        statuses.append(caught.value.status)
    return statuses


async def test_a_locked_database_is_a_504_timeout_and_the_next_request_succeeds(tmp_path: Path) -> None:
    path = tmp_path / "db"
    async with SQLiteStorage(path, busy_timeout=0.05) as storage:
        server = APIServer(storage, clock=FakeClock())
        await server.bootstrap()
        for name in ("a", "b"):
            await server.create(ConfigMap, config(name), "default")
        before = await stored(server)
        with write_lock(path), anyio.fail_after(5):
            statuses = await each_fails(three_requests(server))
        what = "the write was not committed: database is locked (SQLITE_BUSY)"
        timeout = failure(504, "Timeout", f"Timeout: {what}", StatusDetails(retry_after_seconds=1))
        assert statuses == [timeout] * 3
        assert await stored(server) == before
        for request in three_requests(server):
            await request()
        after = await stored(server)
    assert set(after) == {"a", "c"} and after["a"][1] == {"key": "two"}
    assert await after_restart(path) == after


@pytest.mark.parametrize(
    ("code", "what"),
    [
        (sqlite3.SQLITE_FULL, "database or disk is full (SQLITE_FULL)"),
        (sqlite3.SQLITE_IOERR_WRITE, "disk I/O error (SQLITE_IOERR_WRITE)"),
    ],
    ids=["disk-full", "io-error"],
)
async def test_a_transient_fault_is_a_500_and_changes_nothing(tmp_path: Path, code: int, what: str) -> None:
    path = tmp_path / "db"
    faults = Faults()
    async with SQLiteStorage(path, before_commit=faults) as storage:
        server = APIServer(storage, clock=FakeClock())
        await server.bootstrap()
        for name in ("a", "b"):
            await server.create(ConfigMap, config(name), "default")
        before = await stored(server)
        statuses: list[Status] = []
        for request in three_requests(server):
            faults.queue.append(sqlite_error(code, what.split(" (")[0]))
            statuses += await each_fails([request])
        assert statuses == [internal(f"the write was not committed: {what}")] * 3
        assert isinstance(APIError.from_status(statuses[0]), InternalError)
        assert await stored(server) == before
        for request in three_requests(server):
            await request()
        after = await stored(server)
    assert set(after) == {"a", "c"}
    assert await after_restart(path) == after


async def serve(
    storage: SQLiteStorage, stopped: list[BaseException], *, task_status: TaskStatus[None]
) -> None:
    """Own the store as `python -m kubelite` does: inside `async with`, until something stops it."""
    try:
        async with storage:
            task_status.started()
            await anyio.sleep_forever()
    except StorageFailedError as error:
        stopped.append(error)


async def test_a_fatal_fault_makes_every_request_a_500_and_stops_the_server(tmp_path: Path) -> None:
    path = tmp_path / "db"
    faults = Faults()
    storage = SQLiteStorage(path, before_commit=faults)
    stopped: list[BaseException] = []
    with anyio.fail_after(5):
        async with anyio.create_task_group() as tg:
            await tg.start(serve, storage, stopped)
            server = APIServer(storage, clock=FakeClock())
            await server.bootstrap()
            kept = await server.create(ConfigMap, config("kept"), "default")
            before = await stored(server)
            stream = server.watch(ConfigMap, "default", resource_version=kept.metadata.resource_version)
            faults.queue.append(sqlite_error(sqlite3.SQLITE_CORRUPT, "database disk image is malformed"))
            (status,) = await each_fails([lambda: server.create(ConfigMap, config("lost"), "default")])
    what = "the store failed: the database failed: database disk image is malformed (SQLITE_CORRUPT)"
    assert status == internal(f"the write was not committed: {what}")
    assert [type(error) for error in stopped] == [StorageFailedError], "the owner stops loudly"
    reads = [
        lambda: server.get(ConfigMap, "kept", "default"),
        lambda: server.list(ConfigMap, "default"),
        *three_requests(server),
    ]
    assert await each_fails(reads) == [internal(what)] * 5
    with pytest.raises(InternalError) as caught:
        server.watch(ConfigMap, "default")
    assert caught.value.status == internal(what)
    with pytest.raises(InternalError) as caught, anyio.fail_after(5):
        await anext(aiter(stream))
    assert caught.value.status == internal(what)
    assert await after_restart(path) == before


async def test_a_fatal_fault_under_a_whole_local_cluster_stops_it_loudly(tmp_path: Path) -> None:
    """The store is owned as `python -m kubelite` owns it, under the scheduler, controllers and a
    node: a fatal fault cancels all of them and the `async with` raises `StorageFailedError`."""
    faults = Faults()
    with anyio.fail_after(10), pytest.raises(StorageFailedError, match="SQLITE_CORRUPT"):
        async with (
            SQLiteStorage(tmp_path / "db", before_commit=faults) as storage,
            local_cluster(storage, nodes=1, clock=FakeClock()) as cluster,
        ):
            await cluster.client.create(config("kept"))
            faults.queue.append(sqlite_error(sqlite3.SQLITE_CORRUPT, "database disk image is malformed"))
            await cluster.client.create(config("lost"))  # a 500, or cancelled as the store stops
            await anyio.sleep_forever()
    assert set(await after_restart(tmp_path / "db")) == {"kept"}
