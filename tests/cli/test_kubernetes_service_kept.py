"""The server keeps the `kubernetes` Service, Endpoints and EndpointSlice as kube-apiserver's
kubernetesservice controller does: every 10 s on the cluster's clock what was deleted is created
again (the Service at 10.96.0.1 again) and the endpoints are corrected; an edit of the existing
Service is left alone until the next start (upstream corrects its ports only at start)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import anyio
import pytest

from kubelite.api.core import Endpoints, Service
from kubelite.api.discovery import EndpointSlice
from kubelite.apiserver.http import Serving
from kubelite.apiserver.patch import MERGE_PATCH
from kubelite.cli.cluster import LocalCluster, local_cluster
from kubelite.cli.server import keep_kubernetes_service, publish_kubernetes_service
from kubelite.clock import FakeClock
from kubelite.informers import Lister, SharedInformerFactory
from kubelite.store.memory import MemoryStorage

pytestmark = pytest.mark.anyio

SERVING = Serving(host="127.0.0.1", port=6443, tls=True)


@dataclass
class Kept:
    cluster: LocalCluster
    clock: FakeClock
    services: Lister[Service]
    endpoints: Lister[Endpoints]
    slices: Lister[EndpointSlice]

    def all_present(self) -> bool:
        listers = (self.services, self.endpoints, self.slices)
        return all(lister.get("kubernetes", "default") is not None for lister in listers)

    def address(self) -> str:
        endpoints = self.endpoints.get("kubernetes", "default")
        return endpoints.subsets[0].addresses[0].ip if endpoints is not None and endpoints.subsets else ""


@asynccontextmanager
async def kept() -> AsyncIterator[Kept]:
    clock = FakeClock()
    async with (
        MemoryStorage(history=10_000) as storage,
        local_cluster(storage, nodes=0, clock=clock) as cluster,
    ):
        factory = SharedInformerFactory(cluster.client, clock=clock)
        watched = Kept(
            cluster, clock, factory.lister(Service), factory.lister(Endpoints), factory.lister(EndpointSlice)
        )
        await publish_kubernetes_service(cluster, SERVING)
        async with anyio.create_task_group() as group:
            factory.start(group)
            await factory.wait_for_cache_sync()
            group.start_soon(keep_kubernetes_service, cluster, SERVING)
            yield watched
            group.cancel_scope.cancel()


async def test_deleted_kubernetes_objects_come_back() -> None:
    async with kept() as k:
        server = k.cluster.client.server
        for kind in (Service, Endpoints, EndpointSlice):
            await server.delete(kind, "kubernetes", "default")
        with anyio.fail_after(20):
            await k.clock.run_until(lambda: not k.all_present())
            await k.clock.run_until(k.all_present)
        svc = k.services.get("kubernetes", "default")
        slice_ = k.slices.get("kubernetes", "default")
        assert svc is not None and svc.spec.cluster_ip == "10.96.0.1"
        assert svc.spec.ports[0].target_port == 6443
        assert k.address() == "127.0.0.1"
        assert slice_ is not None and slice_.endpoints[0].addresses == ["127.0.0.1"]
        assert slice_.ports[0].port == 6443


async def test_edited_endpoints_are_corrected_and_an_edited_service_is_left() -> None:
    async with kept() as k:
        server = k.cluster.client.server
        ports = {"spec": {"ports": [{"name": "https", "port": 8443, "targetPort": 6443}]}}
        await server.patch(Service, "kubernetes", ports, MERGE_PATCH, "default")
        subsets = {"subsets": [{"addresses": [{"ip": "192.0.2.1"}], "ports": [{"name": "https", "port": 1}]}]}
        await server.patch(Endpoints, "kubernetes", subsets, MERGE_PATCH, "default")
        with anyio.fail_after(20):
            await k.clock.run_until(lambda: k.address() == "192.0.2.1")
            await k.clock.run_until(lambda: k.address() == "127.0.0.1")
        svc = await server.get(Service, "kubernetes", "default")
        assert isinstance(svc, Service) and svc.spec.ports[0].port == 8443
