"""Fake nodes look like distinct machines: each has its own InternalIP, deterministic per index."""

from __future__ import annotations

import anyio
import pytest

from kubelite.api.core import Node
from kubelite.apiserver import APIServer
from kubelite.client import InProcessClient
from kubelite.clock import FakeClock
from kubelite.informers import SharedInformerFactory
from kubelite.kubelet import PodDispatcher
from kubelite.kubelet.config import fake_node_ip
from kubelite.kubelet.pool import FakeNodePool
from kubelite.store.memory import MemoryStorage

pytestmark = pytest.mark.anyio


def test_fake_node_ips_are_deterministic_and_distinct() -> None:
    assert [fake_node_ip(i) for i in (1, 2, 254, 255, 65533)] == [
        "172.18.0.2",
        "172.18.0.3",
        "172.18.0.255",
        "172.18.1.0",
        "172.18.255.254",
    ]
    for bad in (0, 65534):
        with pytest.raises(ValueError, match=r"fake node index must be 1\.\.65533, got "):
            fake_node_ip(bad)


async def test_pool_nodes_report_distinct_internal_ips() -> None:
    clock = FakeClock()
    async with MemoryStorage() as storage:
        server = APIServer(storage, clock=clock)
        await server.bootstrap()
        client = InProcessClient(server)
        factory = SharedInformerFactory(client, clock=clock)
        dispatcher = PodDispatcher(factory)
        async with anyio.create_task_group() as group:
            factory.start(group)
            pool = FakeNodePool(client, dispatcher, clock=clock)
            await pool.start(group, 3)
            nodes = (await client.list(Node)).items
            addresses = {n.metadata.name: [(a.type, a.address) for a in n.status.addresses] for n in nodes}
            group.cancel_scope.cancel()
    assert {name: [a for a in found if a[0] == "InternalIP"] for name, found in addresses.items()} == {
        "node-1": [("InternalIP", "172.18.0.2")],
        "node-2": [("InternalIP", "172.18.0.3")],
        "node-3": [("InternalIP", "172.18.0.4")],
    }
