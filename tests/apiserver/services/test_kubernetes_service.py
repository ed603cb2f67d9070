"""The `kubernetes` Service, Endpoints and EndpointSlice kube-apiserver keeps in `default`:
created at start when missing, corrected when the served port changes, never duplicated by a
restart, and the Service holds the first address of the service CIDR."""

from __future__ import annotations

from pathlib import Path

import pytest

from kubelite.api.core import EndpointAddress, EndpointPort, Endpoints, EndpointSubset, Service, ServicePort
from kubelite.api.discovery import Endpoint, EndpointConditions, EndpointSlice
from kubelite.api.discovery import EndpointPort as SlicePort
from kubelite.api.errors import Invalid
from kubelite.apiserver import APIServer
from kubelite.clock import FakeClock
from kubelite.store.sqlite import SQLiteStorage

from .helpers import create, service

pytestmark = pytest.mark.anyio


async def objects(server: APIServer) -> tuple[Service, Endpoints, EndpointSlice]:
    svc = await server.get(Service, "kubernetes", "default")
    endpoints = await server.get(Endpoints, "kubernetes", "default")
    slice_ = await server.get(EndpointSlice, "kubernetes", "default")
    assert isinstance(svc, Service) and isinstance(endpoints, Endpoints) and isinstance(slice_, EndpointSlice)
    return svc, endpoints, slice_


async def test_the_kubernetes_service_points_at_the_served_address(server: APIServer) -> None:
    await server.ensure_kubernetes_service("127.0.0.1", 6443)
    svc, endpoints, slice_ = await objects(server)
    assert svc.metadata.labels == {"component": "apiserver", "provider": "kubernetes"}
    assert svc.spec.type == "ClusterIP" and svc.spec.selector == {}
    assert svc.spec.cluster_ip == "10.96.0.1" and svc.spec.cluster_ips == ["10.96.0.1"]
    assert svc.spec.ports == [ServicePort(name="https", port=443, protocol="TCP", target_port=6443)]
    assert svc.spec.session_affinity == "None" and svc.spec.ip_families == ["IPv4"]
    assert endpoints.metadata.labels == {"endpointslice.kubernetes.io/skip-mirror": "true"}
    assert endpoints.subsets == [
        EndpointSubset(
            addresses=[EndpointAddress(ip="127.0.0.1")],
            ports=[EndpointPort(name="https", port=6443, protocol="TCP")],
        )
    ]
    assert slice_.metadata.labels == {"kubernetes.io/service-name": "kubernetes"}
    assert slice_.address_type == "IPv4"
    assert slice_.endpoints == [Endpoint(addresses=["127.0.0.1"], conditions=EndpointConditions(ready=True))]
    assert slice_.ports == [SlicePort(name="https", port=6443, protocol="TCP")]
    with pytest.raises(Invalid, match="provided IP is already allocated"):
        await create(server, service("other", cluster_ip="10.96.0.1"))


async def test_a_second_run_writes_nothing_and_a_new_port_is_corrected(server: APIServer) -> None:
    await server.ensure_kubernetes_service("127.0.0.1", 6443)
    revision = server.storage.revision
    await server.ensure_kubernetes_service("127.0.0.1", 6443)
    assert server.storage.revision == revision
    await server.ensure_kubernetes_service("127.0.0.1", 7443)
    svc, endpoints, slice_ = await objects(server)
    assert svc.spec.cluster_ip == "10.96.0.1" and svc.spec.ports[0].target_port == 7443
    assert endpoints.subsets[0].ports[0].port == 7443 and slice_.ports[0].port == 7443


async def test_a_restart_finds_them_and_duplicates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "db"
    for port in (6443, 6443):
        async with SQLiteStorage(path) as storage:
            server = APIServer(storage, clock=FakeClock())
            await server.bootstrap()
            await server.ensure_kubernetes_service("127.0.0.1", port)
            services = (await server.list(Service, "default")).items
            slices = (await server.list(EndpointSlice, "default")).items
            assert [s.metadata.name for s in services] == ["kubernetes"]
            assert [s.metadata.name for s in slices] == ["kubernetes"]
