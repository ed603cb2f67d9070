"""The pods both endpoints controllers keep decoded between syncs (`PodMemo`), and the entries the
Endpoints controller keeps per pod (`Contributions`), are never served stale: a changed pod, a pod deleted and recreated under the same name, and a Service whose ports
change are all reflected, in the Endpoints (EP-2, EP-3, EP-4, EP-5) and in the slices (EP-11)."""

from __future__ import annotations

import msgspec
import pytest

from kubelite.api.core import ContainerPort, Endpoints, Node, Pod, Service, ServicePort
from kubelite.api.discovery import EndpointSlice
from kubelite.api.meta import DeleteOptions, ObjectMeta
from kubelite.controllers.endpoint.addresses import Entry, pod_entries
from kubelite.controllers.endpointutil.contributions import Contributions
from kubelite.controllers.endpointutil.podmemo import PodMemo
from kubelite.store.memory import MemoryStorage

from .harness import Alone, alone
from .support import pod, ready_condition, service

ENCODE = msgspec.msgpack.Encoder().encode


def test_the_memo_reuses_only_a_pod_decoded_from_equal_bytes() -> None:
    memo = PodMemo()
    raw = ENCODE(pod("a", "10.0.0.1"))
    first = memo.pod("default/a", raw)
    assert memo.pod("default/a", raw) is first
    assert memo.pod("default/a", bytes(bytearray(raw))) is first
    changed = memo.pod("default/a", ENCODE(pod("a", "10.0.0.1", ready=False)))
    assert changed is not first and changed.status.conditions == [ready_condition(False)]
    recreated = memo.pod("default/a", ENCODE(pod("a", "10.0.0.9", uid="uid-a2")))
    assert (recreated.metadata.uid, recreated.status.pod_ip) == ("uid-a2", "10.0.0.9")
    memo.forget("default/a")
    memo.forget("default/missing")
    assert len(memo) == 0


def test_contributions_are_reused_only_for_the_same_pod_object_and_an_equal_spec() -> None:
    """EP-3/EP-5: a pod object seen before keeps its entries; a new object of the same pod (changed
    or recreated) and any change to the Service's spec are planned again."""
    entries: Contributions[list[Entry]] = Contributions()
    svc, first = _web(), pod("a", "10.0.0.1", ports=_named(8080))
    [before] = entries.of(svc, [first], pod_entries)
    assert [e.port.port for e in before if e.port] == [8080]
    assert entries.of(_web(), [first], pod_entries)[0] is before
    flipped = pod("a", "10.0.0.1", ports=_named(8080), ready=False)
    assert [e.ready for e in entries.of(svc, [flipped], pod_entries)[0]] == [False]
    moved = _web()
    moved.spec.ports = [ServicePort(name="http", port=80, target_port=7070)]
    assert [e.port.port for e in entries.of(moved, [flipped], pod_entries)[0] if e.port] == [7070]
    again = pod("a", "10.0.0.7", ports=_named(8080), uid="uid-a2")
    [after] = entries.of(moved, [again], pod_entries)
    assert [(e.address.ip, e.address.target_ref.uid if e.address.target_ref else "") for e in after] == [
        ("10.0.0.7", "uid-a2")
    ]
    assert entries.of(moved, [], pod_entries) == []
    entries.forget("default", "web")
    assert entries.of(moved, [again], pod_entries)[0] is not after


def _web() -> Service:
    svc = service(ports=[ServicePort(name="http", port=80, target_port="http")])
    svc.metadata.uid, svc.metadata.creation_timestamp = "", None
    return svc


def _named(port: int) -> list[ContainerPort]:
    return [ContainerPort(name="http", container_port=port)]


def _endpoints_view(a: Alone) -> list[tuple[list[tuple[str, str, str]], list[str], list[int]]]:
    endpoints = a.endpoints.get("web", "default")
    if endpoints is None:
        return []
    return [
        (
            [(ad.ip, ad.target_ref.uid if ad.target_ref else "", ad.node_name or "") for ad in s.addresses],
            [ad.ip for ad in s.not_ready_addresses],
            [p.port for p in s.ports],
        )
        for s in endpoints.subsets
    ]


def _slices_view(a: Alone) -> list[tuple[list[str], str, bool, list[int]]]:
    rows = []
    for endpoint_slice in a.slices.list("default"):
        ports = sorted(p.port or 0 for p in endpoint_slice.ports)
        for e in endpoint_slice.endpoints:
            uid = e.target_ref.uid if e.target_ref else ""
            rows.append((e.addresses, uid, bool(e.conditions.ready), ports))
    return sorted(rows)


@pytest.mark.anyio
async def test_ep2_ep3_ep5_ep11_remembered_pods_never_outlive_a_change() -> None:
    """EP-2/EP-3: a readiness flip and a new IP show at once; EP-4: the recreated pod's own uid;
    EP-5: a Service port change and a container port change re-resolve the named targetPort;
    EP-11: the slices follow the same changes."""
    async with MemoryStorage() as storage, alone(storage) as a, a.controller(), a.slice_controller():
        await a.client.create(Node(metadata=ObjectMeta(name="node-1")))
        await a.client.create(_web())
        first = await a.put_pod(pod("a", "10.0.0.1", ports=_named(8080)))
        await a.until(
            lambda: _endpoints_view(a) == [([("10.0.0.1", first.metadata.uid, "node-1")], [], [8080])]
        )
        await a.until(lambda: _slices_view(a) == [(["10.0.0.1"], first.metadata.uid, True, [8080])])

        await a.set_status(first, msgspec.structs.replace(first.status, conditions=[ready_condition(False)]))
        await a.until(lambda: _endpoints_view(a) == [([], ["10.0.0.1"], [8080])])
        await a.until(lambda: _slices_view(a) == [(["10.0.0.1"], first.metadata.uid, False, [8080])])

        await a.client.delete(Pod, "a", "default", options=DeleteOptions(grace_period_seconds=0))
        again = await a.put_pod(pod("a", "10.0.0.7", ports=_named(9090), uid="uid-a-again"))
        assert again.metadata.uid != first.metadata.uid
        await a.until(
            lambda: _endpoints_view(a) == [([("10.0.0.7", again.metadata.uid, "node-1")], [], [9090])]
        )
        await a.until(lambda: _slices_view(a) == [(["10.0.0.7"], again.metadata.uid, True, [9090])])

        svc = await a.client.get(Service, "web", "default")
        svc.spec.ports = [ServicePort(name="http", port=80, target_port=7070)]
        await a.client.update(svc)
        await a.until(
            lambda: _endpoints_view(a) == [([("10.0.0.7", again.metadata.uid, "node-1")], [], [7070])]
        )
        await a.until(lambda: _slices_view(a) == [(["10.0.0.7"], again.metadata.uid, True, [7070])])
        endpoints = a.endpoints.get("web", "default")
        assert isinstance(endpoints, Endpoints)
        assert all(isinstance(s, EndpointSlice) for s in a.slices.list("default"))
