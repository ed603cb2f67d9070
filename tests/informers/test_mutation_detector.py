"""The cache mutation detector (issue 9 item 12) checks every object handlers share: the new and
the old object of an update, the object of a watch DELETED, a tombstone's last state, and a
resynced object; and it stays quiet for handlers that only read."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from kubelite.api.core import Pod
from kubelite.apiserver import APIServer
from kubelite.client import InProcessClient
from kubelite.clock import FakeClock
from kubelite.informers import (
    CacheMutationError,
    DeletedFinalStateUnknown,
    EventHandlers,
    SharedInformer,
    unwrap,
)
from tests.apiserver.conftest import pod
from tests.informers.test_informer import MERGE, _server

pytestmark = pytest.mark.anyio


@pytest.fixture
async def server() -> AsyncIterator[APIServer]:
    async with _server() as s:
        yield s


def vandalize(obj: Pod) -> None:
    obj.metadata.labels["oops"] = "mutated"


async def informer_holding_a(server: APIServer, handlers: EventHandlers[Pod]) -> SharedInformer[Pod]:
    """An informer (detect_mutation on) whose cache holds pod `a`, with `handlers` added after."""
    await server.create(Pod, pod("a"), "default")
    informer = SharedInformer(InProcessClient(server), Pod, clock=FakeClock(), detect_mutation=True)
    listed = await server.list(Pod)
    informer.replace(listed.items, listed.resource_version)
    informer.add_event_handler(handlers)
    return informer


async def test_a_mutated_old_object_of_an_update_is_detected(server: APIServer) -> None:
    informer = await informer_holding_a(server, EventHandlers(on_update=lambda old, new: vandalize(old)))
    changed = await server.patch(Pod, "a", {"metadata": {"labels": {"x": "1"}}}, MERGE, "default")
    with pytest.raises(CacheMutationError, match=r"Pod default/a \(old object of an update\) was mutated"):
        informer.apply("MODIFIED", changed)
    with pytest.raises(CacheMutationError):
        informer.verify_all()


async def test_a_mutated_deleted_object_is_detected(server: APIServer) -> None:
    informer = await informer_holding_a(server, EventHandlers(on_delete=lambda obj: vandalize(unwrap(obj))))
    current = await server.get(Pod, "a", "default")
    with pytest.raises(CacheMutationError, match=r"Pod default/a \(deleted object\) was mutated"):
        informer.apply("DELETED", current)
    with pytest.raises(CacheMutationError):
        informer.verify_all()


async def test_a_mutated_tombstone_is_detected(server: APIServer) -> None:
    seen: list[object] = []

    def on_delete(obj: Pod | DeletedFinalStateUnknown[Pod]) -> None:
        seen.append(obj)
        vandalize(unwrap(obj))

    informer = await informer_holding_a(server, EventHandlers(on_delete=on_delete))
    with pytest.raises(CacheMutationError, match=r"Pod default/a \(tombstone's object\) was mutated"):
        informer.replace([], "99")  # a relist without `a`: a deletion the watch missed
    assert [type(obj) for obj in seen] == [DeletedFinalStateUnknown]


async def test_a_mutated_resynced_object_is_detected(server: APIServer) -> None:
    informer = await informer_holding_a(server, EventHandlers(on_update=lambda old, new: vandalize(new)))
    with pytest.raises(CacheMutationError, match=r"\(resynced object\)"):
        informer._resync()  # what the resync loop runs each period


async def test_handlers_that_only_read_are_never_flagged(server: APIServer) -> None:
    """No false positives: decoding and re-encoding a cached object is exact for every path."""
    read: list[str] = []
    handlers: EventHandlers[Pod] = EventHandlers(
        on_add=lambda obj, initial: read.append("add"),
        on_update=lambda old, new: read.append("update"),
        on_delete=lambda obj: read.append("delete"),
    )
    informer = await informer_holding_a(server, handlers)
    await server.create(Pod, pod("b"), "default")
    changed = await server.patch(Pod, "a", {"metadata": {"labels": {"x": "1"}}}, MERGE, "default")
    informer.apply("MODIFIED", changed)
    informer._resync()
    listed = await server.list(Pod)
    informer.replace(listed.items, listed.resource_version)
    informer.apply("DELETED", await server.get(Pod, "b", "default"))
    informer.replace([], "99")
    informer.verify_all()
    assert read == ["add", "update", "update", "update", "add", "delete", "delete"]
