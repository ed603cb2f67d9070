"""The whole local cluster mirrors a selector-less Service's hand-made Endpoints into an
EndpointSlice (EP-11 mirroring, EP-1), and the slice goes with its Endpoints."""

from __future__ import annotations

import anyio
import pytest

from kubelite.api.core import Endpoints
from kubelite.api.discovery import EndpointSlice
from kubelite.cli.cluster import local_cluster
from kubelite.clock import FakeClock
from kubelite.informers import SharedInformerFactory
from kubelite.store.memory import MemoryStorage
from tests.controllers.endpointslicemirroring.support import endpoints, selectorless, subset

pytestmark = pytest.mark.anyio
MIRROR = "endpointslicemirroring-controller.k8s.io"


async def test_ep11_local_cluster_mirrors_selectorless_endpoints() -> None:
    """EP-11 mirroring / EP-1: Service `manual` without selector and Endpoints `manual` at
    192.0.2.42:9376 get one slice `manual-xxxxx` managed by the mirroring controller, ready;
    deleting the Endpoints removes it."""
    clock = FakeClock()
    async with (
        MemoryStorage(history=10_000) as storage,
        local_cluster(storage, nodes=0, clock=clock) as cluster,
        anyio.create_task_group() as group,
    ):
        observer = SharedInformerFactory(cluster.client, clock=clock)
        slices = observer.lister(EndpointSlice)
        observer.start(group)

        def mirrored() -> list[EndpointSlice]:
            return [
                s
                for s in slices.list()
                if s.metadata.labels.get("endpointslice.kubernetes.io/managed-by") == MIRROR
            ]

        await cluster.client.create(selectorless())
        await cluster.client.create(endpoints(subset(["192.0.2.42"])))
        with anyio.fail_after(20):
            await clock.run_until(lambda: len(mirrored()) == 1)
        (endpoint_slice,) = mirrored()
        assert endpoint_slice.metadata.generate_name == "manual-"
        assert endpoint_slice.metadata.labels["kubernetes.io/service-name"] == "manual"
        assert [(e.addresses, e.conditions.ready) for e in endpoint_slice.endpoints] == [
            (["192.0.2.42"], True)
        ]
        assert [(p.port, p.protocol) for p in endpoint_slice.ports] == [(9376, "TCP")]
        await cluster.client.delete(Endpoints, "manual", "default")
        with anyio.fail_after(20):
            await clock.run_until(lambda: not mirrored())
        group.cancel_scope.cancel()
