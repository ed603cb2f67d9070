"""Watch semantics: synthetic ADDED from "0", exact resumption from a revision, 410 beyond the
window, selector transitions (API-2, F1/F3 of client-go-semantics.md)."""

from __future__ import annotations

import anyio
import pytest

from kubelite.api.core import Pod
from kubelite.api.meta import Object
from kubelite.api.results import WatchEvent
from kubelite.apiserver import APIServer, WatchStream
from kubelite.clock import FakeClock
from kubelite.store.memory import MemoryStorage

from .conftest import pod

pytestmark = pytest.mark.anyio
MERGE = "application/merge-patch+json"


async def _take(stream: WatchStream, count: int) -> list[WatchEvent[Object]]:
    events = []
    with anyio.fail_after(5):
        async for event in stream:
            events.append(event)
            if len(events) == count:
                break
    return events


def _summary(events: list[WatchEvent[Object]]) -> list[tuple[str, str]]:
    return [(e.type, e.object.metadata.name if e.object else "") for e in events]


async def test_watch_from_zero_starts_with_the_current_state(server: APIServer) -> None:
    await server.create(Pod, pod("a"), "default")
    await server.create(Pod, pod("b"), "default")
    async with server.watch(Pod, "default", resource_version="0") as stream:
        await server.create(Pod, pod("c"), "default")
        await server.delete(Pod, "a", "default")
        events = await _take(stream, 4)
    assert _summary(events) == [("ADDED", "a"), ("ADDED", "b"), ("ADDED", "c"), ("DELETED", "a")]


async def test_watch_from_a_revision_delivers_exactly_the_later_writes(server: APIServer) -> None:
    a = await server.create(Pod, pod("a"), "default")
    await server.patch(Pod, "a", {"metadata": {"labels": {"v": "2"}}}, MERGE, "default")
    await server.create(Pod, pod("b"), "default")
    async with server.watch(Pod, resource_version=a.metadata.resource_version) as stream:
        events = await _take(stream, 2)
    assert _summary(events) == [("MODIFIED", "a"), ("ADDED", "b")]
    revisions = [int(e.object.metadata.resource_version) for e in events if e.object]
    assert revisions == sorted(revisions) and revisions[0] > int(a.metadata.resource_version)


async def test_watch_from_a_compacted_revision_is_410() -> None:
    async with MemoryStorage(history=3) as storage:
        server = APIServer(storage, clock=FakeClock())
        await server.bootstrap()
        for index in range(6):
            await server.create(Pod, pod(f"p{index}"), "default")
        async with server.watch(Pod, resource_version="1") as stream:
            events = await _take(stream, 1)
    assert events[0].type == "ERROR"
    assert events[0].status is not None
    assert events[0].status.code == 410 and events[0].status.reason == "Expired"
    assert events[0].status.message.startswith("too old resource version: 1 (")


async def test_label_selector_watch_reports_transitions(server: APIServer) -> None:
    await server.create(Pod, pod("a", app="web"), "default")
    async with server.watch(Pod, "default", resource_version="0", label_selector="app=web") as stream:
        await server.create(Pod, pod("b"), "default")
        await server.patch(Pod, "b", {"metadata": {"labels": {"app": "web"}}}, MERGE, "default")
        await server.patch(Pod, "a", {"metadata": {"labels": {"app": "db"}}}, MERGE, "default")
        await server.patch(Pod, "b", {"metadata": {"labels": {"tier": "x"}}}, MERGE, "default")
        events = await _take(stream, 4)
    assert _summary(events) == [("ADDED", "a"), ("ADDED", "b"), ("DELETED", "a"), ("MODIFIED", "b")]


async def test_field_selector_watch_follows_binding(server: APIServer) -> None:
    await server.create(Pod, pod("a"), "default")
    async with server.watch(Pod, field_selector="spec.nodeName=node1") as stream:
        await server.bind("a", {"target": {"kind": "Node", "name": "node1"}}, "default")
        events = await _take(stream, 1)
    assert _summary(events) == [("ADDED", "a")]


async def test_watch_objects_are_private_copies(server: APIServer) -> None:
    async with server.watch(Pod, "default") as one, server.watch(Pod, "default") as two:
        await server.create(Pod, pod("a"), "default")
        first = (await _take(one, 1))[0].object
        second = (await _take(two, 1))[0].object
    assert first is not None and second is not None
    assert first == second and first is not second
    first.metadata.labels["mutated"] = "yes"
    assert "mutated" not in (await server.get(Pod, "a", "default")).metadata.labels


async def test_selector_watch_from_a_revision_reports_deletes_of_earlier_matches(server: APIServer) -> None:
    """After a list, a reflector watches from the list's revision with its selector: objects that
    matched before the watch began must still produce DELETED when they go or stop matching."""
    await server.create(Pod, pod("a", node="n1"), "default")
    await server.create(Pod, pod("b", node="n1"), "default")
    listed = await server.list(Pod, field_selector="spec.nodeName=n1")
    async with server.watch(
        Pod, resource_version=listed.resource_version, field_selector="spec.nodeName=n1"
    ) as stream:
        await server.delete(Pod, "a", "default", {"gracePeriodSeconds": 0})
        await server.patch(Pod, "b", {"metadata": {"labels": {"x": "1"}}}, MERGE, "default")
        await server.create(Pod, pod("c", node="n2"), "default")
        await server.patch(Pod, "b", {"metadata": {"labels": {"x": "2"}}}, MERGE, "default")
        events = await _take(stream, 3)
    assert _summary(events) == [("DELETED", "a"), ("MODIFIED", "b"), ("MODIFIED", "b")]
