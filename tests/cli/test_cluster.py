"""The whole local cluster on a virtual clock: scheduler, kubelets and node controllers together.
Host-port conflicts push pods to other nodes (SCH-6) and they run there; a pod that fits nowhere
gets SCH-9's exact condition and runs once a node with room registers; cordon (NODE-13) taints
the node and new pods avoid it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

import anyio
import msgspec
import pytest

from kubelite.api.core import Container, ContainerPort, Node, Pod, PodSpec, ResourceRequirements
from kubelite.api.meta import ObjectMeta
from kubelite.cli.cluster import LocalCluster, local_cluster
from kubelite.clock import FakeClock
from kubelite.informers import Lister, SharedInformerFactory
from kubelite.store.memory import MemoryStorage

pytestmark = pytest.mark.anyio


def _pod(name: str, *, host_port: int = 0, cpu: str = "") -> Pod:
    ports = [ContainerPort(container_port=80, host_port=host_port)] if host_port else []
    container = Container(
        name="web",
        image="busybox:1.36",
        command=["sleep", "3600"],
        ports=ports,
        resources=ResourceRequirements(requests={"cpu": cpu} if cpu else {}),
    )
    return Pod(metadata=ObjectMeta(name=name, namespace="default"), spec=PodSpec(containers=[container]))


@dataclass
class Running:
    cluster: LocalCluster
    clock: FakeClock
    pods: Lister[Pod]
    nodes: Lister[Node]

    async def until(self, done: Callable[[], bool]) -> None:
        with anyio.fail_after(20):
            await self.clock.run_until(done)

    def phase(self, name: str) -> str:
        pod = self.pods.get(name, "default")
        return pod.status.phase if pod is not None else ""


@asynccontextmanager
async def running(nodes: int) -> AsyncIterator[Running]:
    clock = FakeClock()
    async with (
        MemoryStorage(history=10_000) as storage,
        local_cluster(storage, nodes=nodes, clock=clock) as cluster,
    ):
        factory = SharedInformerFactory(cluster.client, clock=clock)
        pods, node_lister = factory.lister(Pod), factory.lister(Node)
        async with anyio.create_task_group() as group:
            factory.start(group)
            await factory.wait_for_cache_sync()
            yield Running(cluster, clock, pods, node_lister)
            group.cancel_scope.cancel()


async def test_sch6_host_port_conflicts_push_pods_to_other_nodes_where_they_run() -> None:
    async with running(3) as r:
        for index in range(3):
            await r.cluster.client.create(_pod(f"web-{index}", host_port=8080))
        await r.until(lambda: all(r.phase(f"web-{i}") == "Running" for i in range(3)))
        assert sorted(p.spec.node_name for p in r.pods.list("default")) == ["node-1", "node-2", "node-3"]
        await r.cluster.client.create(_pod("web-3", host_port=8080))
        await r.until(
            lambda: any(c.reason == "Unschedulable" for c in r.pods.get("web-3", "default").status.conditions)
        )  # type: ignore[union-attr]
        pod = r.pods.get("web-3", "default")
        assert pod is not None and pod.status.phase == "Pending"
        condition = next(c for c in pod.status.conditions if c.type == "PodScheduled")
        assert (
            condition.message
            == "0/3 nodes are available: 3 node(s) didn't have free ports for the requested pod ports."
        )


async def test_sch9_a_pod_that_fits_nowhere_runs_once_a_node_with_room_registers() -> None:
    async with running(1) as r:
        await r.cluster.client.create(_pod("big", cpu="6"))
        await r.until(
            lambda: any(c.reason == "Unschedulable" for c in r.pods.get("big", "default").status.conditions)
        )  # type: ignore[union-attr]
        pod = r.pods.get("big", "default")
        assert pod is not None
        assert next(c for c in pod.status.conditions if c.type == "PodScheduled").message == (
            "0/1 nodes are available: 1 Insufficient cpu."
        )
        pool = r.cluster.nodes
        pool.capacity = {"cpu": "8", "memory": "16Gi", "pods": "110"}
        async with anyio.create_task_group() as group:
            await pool.start(group, 1)
            await r.until(lambda: r.phase("big") == "Running")
            group.cancel_scope.cancel()
        pod = r.pods.get("big", "default")
        assert pod is not None and pod.spec.node_name == "node-2"


async def test_node13_cordoned_node_gets_the_unschedulable_taint_and_new_pods_go_elsewhere() -> None:
    async with running(2) as r:
        node = await r.cluster.client.get(Node, "node-1")
        await r.cluster.client.update(
            msgspec.structs.replace(node, spec=msgspec.structs.replace(node.spec, unschedulable=True))
        )
        await r.until(
            lambda: (
                (n := r.nodes.get("node-1")) is not None
                and any(t.key == "node.kubernetes.io/unschedulable" for t in n.spec.taints)
            )
        )
        for index in range(4):
            await r.cluster.client.create(_pod(f"p-{index}"))
        await r.until(lambda: all(r.phase(f"p-{i}") == "Running" for i in range(4)))
        assert {p.spec.node_name for p in r.pods.list("default")} == {"node-2"}
