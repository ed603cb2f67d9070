"""The EndpointSlice controller on a real apiserver (pod status written directly): slices of at
most the configured size that follow readiness (EP-11), no rewrite when nothing changed, one
slice rewritten when one pod changes, slices someone else edits or deletes restored, a restart,
a Service recreated with the same name, a store fault on the write, selector-less Services."""

from __future__ import annotations

import msgspec
import pytest

from kubelite.api.core import Node, Pod, Service, ServicePort
from kubelite.api.discovery import EndpointSlice
from kubelite.api.meta import ObjectMeta
from kubelite.controllers.endpointslice import EndpointSliceSettings
from kubelite.store.memory import MemoryStorage
from tests.controllers.endpoint.harness import Alone, alone
from tests.controllers.endpoint.support import pod, ready_condition, service
from tests.controllers.endpoint.test_controller import FaultyStorage

pytestmark = pytest.mark.anyio
SMALL = EndpointSliceSettings(max_endpoints_per_slice=2)


def _web(selector: dict[str, str] | None = None) -> Service:
    svc = service(selector=selector, ports=[ServicePort(port=80, target_port=8080)])
    svc.metadata.uid, svc.metadata.creation_timestamp, svc.spec.cluster_ip = "", None, ""
    return svc


def owned(a: Alone, name: str = "web") -> list[EndpointSlice]:
    return [
        s for s in a.slices.list("default") if s.metadata.labels.get("kubernetes.io/service-name") == name
    ]


def layout(a: Alone, name: str = "web") -> list[list[tuple[str, bool]]]:
    """Per slice (sorted): its endpoints as (pod name, ready)."""
    rows = [
        [(e.target_ref.name, bool(e.conditions.ready)) for e in s.endpoints if e.target_ref]
        for s in owned(a, name)
    ]
    return sorted(rows)


def names(a: Alone) -> set[str]:
    return {n for row in layout(a) for n, _ in row}


async def setup(a: Alone, count: int) -> list[Pod]:
    await a.client.create(Node(metadata=ObjectMeta(name="node-1")))
    await a.client.create(_web())
    return [await a.put_pod(pod(f"p{i}", f"10.0.0.{i}")) for i in range(count)]


async def test_ep11_slices_follow_pods_and_one_change_rewrites_one_slice() -> None:
    """EP-11: 5 pods with at most 2 per slice → 3 slices owned by the Service; a forced sync
    writes nothing; a readiness flip rewrites only the slice holding the pod."""
    async with MemoryStorage() as storage, alone(storage) as a, a.slice_controller(SMALL) as running:
        pods = await setup(a, 5)
        await a.until(lambda: names(a) == {f"p{i}" for i in range(5)})
        assert sorted(len(row) for row in layout(a)) == [1, 2, 2]
        for endpoint_slice in owned(a):
            assert endpoint_slice.metadata.generate_name == "web-"
            assert endpoint_slice.metadata.owner_references[0].kind == "Service"
            assert endpoint_slice.address_type == "IPv4"
        await a.quiet(running)
        before = {s.metadata.name: s.metadata.resource_version for s in owned(a)}
        svc = await a.client.get(Service, "web", "default")
        svc.metadata.annotations = {"touched": "yes"}
        await a.client.update(svc)
        await a.quiet(running)
        assert {s.metadata.name: s.metadata.resource_version for s in owned(a)} == before
        await a.set_status(
            pods[3], msgspec.structs.replace(pods[3].status, conditions=[ready_condition(False)])
        )
        await a.until(lambda: ("p3", False) in [e for row in layout(a) for e in row])
        await a.quiet(running)
        after = {s.metadata.name: s.metadata.resource_version for s in owned(a)}
        assert len([n for n in after if after[n] != before[n]]) == 1 and after.keys() == before.keys()


async def test_ep11_a_slice_deleted_or_edited_by_someone_else_is_restored() -> None:
    """EP-11: the controller owns its slices: another writer's deletion or edit is undone."""
    async with MemoryStorage() as storage, alone(storage) as a, a.slice_controller():
        await setup(a, 2)
        await a.until(lambda: names(a) == {"p0", "p1"})
        [first] = owned(a)
        first.endpoints = first.endpoints[:1]
        edited = await a.client.update(first)

        def restored() -> bool:
            current = owned(a)
            return names(a) == {"p0", "p1"} and current[0].metadata.generation > edited.metadata.generation

        await a.until(restored)
        await a.client.delete(EndpointSlice, first.metadata.name, "default")
        await a.until(
            lambda: names(a) == {"p0", "p1"} and all(s.metadata.name != first.metadata.name for s in owned(a))
        )


async def test_ep11_a_restarted_controller_rewrites_nothing() -> None:
    """C-2 across a restart: the slices are already right, so nothing is written."""
    async with MemoryStorage() as storage, alone(storage) as a:
        async with a.slice_controller(SMALL):
            await setup(a, 3)
            await a.until(lambda: names(a) == {"p0", "p1", "p2"})
        before = sorted((s.metadata.name, s.metadata.resource_version) for s in owned(a))
        async with a.slice_controller(SMALL) as running:
            await a.until(lambda: running.syncs() >= 1)
            await a.quiet(running)
            assert sorted((s.metadata.name, s.metadata.resource_version) for s in owned(a)) == before


async def test_ep11_a_service_recreated_with_the_same_name_gets_its_own_slices() -> None:
    """EP-11 with EP-1: the old Service's slices (owned by the old UID) are replaced."""
    async with MemoryStorage() as storage, alone(storage) as a, a.slice_controller():
        await setup(a, 1)
        await a.put_pod(pod("other", "10.0.0.9", labels={"app": "web2"}))
        await a.until(lambda: names(a) == {"p0"})
        [old] = owned(a)
        await a.client.delete(Service, "web", "default")
        new = await a.client.create(_web({"app": "web2"}))
        await a.until(lambda: names(a) == {"other"})
        [current] = owned(a)
        assert (
            current.metadata.owner_references[0].uid
            == new.metadata.uid
            != old.metadata.owner_references[0].uid
        )


async def test_ep11_selectorless_services_get_no_slices_and_pods_without_nodes_are_retried() -> None:
    """EP-1 for slices; a pod on a node that does not exist yet is left out with upstream's
    Warning event, and included once the node exists."""
    async with MemoryStorage() as storage, alone(storage) as a, a.slice_controller():
        manual = _web()
        manual.metadata.name, manual.spec.selector = "manual", {}
        await a.client.create(manual)
        await a.client.create(_web())
        await a.put_pod(pod("p0", "10.0.0.1", node="node-7"))
        await a.until(
            lambda: any(e.reason == "FailedToUpdateEndpointSlices" for e in a.events.list("default"))
        )
        [event] = [e for e in a.events.list("default") if e.reason == "FailedToUpdateEndpointSlices"]
        assert (event.type, event.involved_object.kind, event.message) == (
            "Warning",
            "Service",
            "Error updating Endpoint Slices for Service default/web: "
            "skipping Pod p0 for Service default/web: Node node-7 Not Found",
        )
        assert layout(a) == [[]]  # the placeholder
        await a.client.create(Node(metadata=ObjectMeta(name="node-7")))
        await a.until(lambda: names(a) == {"p0"})
        assert owned(a, "manual") == []


async def test_ep11_a_store_fault_on_a_slice_write_is_reported_and_retried() -> None:
    """A failed slice write records FailedToUpdateEndpointSlices and the sync is retried."""
    async with FaultyStorage(kind="endpointslices.discovery.k8s.io") as storage, alone(storage) as a:
        async with a.slice_controller() as running:
            await a.client.create(Node(metadata=ObjectMeta(name="node-1")))
            await a.put_pod(pod("p0", "10.0.0.1"))
            await a.quiet(running)
            storage.faults = 1
            await a.client.create(_web())
            await a.until(lambda: names(a) == {"p0"})
            assert storage.failed == 1
            await a.until(
                lambda: any(e.reason == "FailedToUpdateEndpointSlices" for e in a.events.list("default"))
            )
        [event] = [e for e in a.events.list("default") if e.reason == "FailedToUpdateEndpointSlices"]
        assert event.message == (
            "Error updating Endpoint Slices for Service default/web: Internal error occurred: "
            "the write was not committed: disk I/O error (SQLITE_IOERR_WRITE)"
        )
