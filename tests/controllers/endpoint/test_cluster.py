"""The Endpoints controller in the whole local cluster (scheduler, kubelets on the fake runtime,
node lifecycle), on a virtual clock: readiness probes move pods between addresses and
notReadyAddresses (EP-3), and a node that stops heartbeating has its pods marked Ready=False by
the node lifecycle controller, which moves them to notReadyAddresses (NODE-7); EndpointSlices
follow the pods and go with their Service (EP-11)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

import anyio
import pytest

from kubelite.api.core import (
    Container,
    ContainerPort,
    Endpoints,
    Event,
    ExecAction,
    Pod,
    PodSpec,
    Probe,
    Service,
    ServicePort,
    ServiceSpec,
)
from kubelite.api.discovery import EndpointSlice
from kubelite.api.meta import ObjectMeta
from kubelite.cli.cluster import LocalCluster, local_cluster
from kubelite.clock import FakeClock
from kubelite.cri import ContainerStatus, ExecResult
from kubelite.informers import Lister, SharedInformerFactory
from kubelite.store.memory import MemoryStorage

pytestmark = pytest.mark.anyio


@dataclass
class Running:
    cluster: LocalCluster
    clock: FakeClock
    pods: Lister[Pod]
    endpoints: Lister[Endpoints]
    events: Lister[Event]
    slices: Lister[EndpointSlice]

    async def until(self, done: Callable[[], bool]) -> None:
        with anyio.fail_after(30):
            await self.clock.run_until(done)

    def split(self) -> tuple[list[str], list[str]]:
        """(ready pod names, not-ready pod names) of Endpoints default/web."""
        endpoints = self.endpoints.get("web", "default")
        if endpoints is None:
            return [], []
        ready = [a.target_ref.name for s in endpoints.subsets for a in s.addresses if a.target_ref]
        slow = [a.target_ref.name for s in endpoints.subsets for a in s.not_ready_addresses if a.target_ref]
        return sorted(ready), sorted(slow)


@asynccontextmanager
async def running(nodes: int) -> AsyncIterator[Running]:
    clock = FakeClock()
    async with (
        MemoryStorage(history=10_000) as storage,
        local_cluster(storage, nodes=nodes, clock=clock) as cluster,
    ):
        factory = SharedInformerFactory(cluster.client, clock=clock)
        listers = (
            factory.lister(Pod),
            factory.lister(Endpoints),
            factory.lister(Event),
            factory.lister(EndpointSlice),
        )
        async with anyio.create_task_group() as group:
            factory.start(group)
            await factory.wait_for_cache_sync()
            yield Running(cluster, clock, *listers)
            group.cancel_scope.cancel()


def web_service() -> Service:
    ports = [ServicePort(port=80, name="http", target_port="http")]
    return Service(
        metadata=ObjectMeta(name="web", namespace="default"),
        spec=ServiceSpec(selector={"app": "web"}, ports=ports),
    )


def web_pod(name: str, node: str = "", probe: bool = False) -> Pod:
    container = Container(
        name="main",
        image="busybox:1.36",
        command=["sleep", "3600"],
        ports=[ContainerPort(container_port=8080, name="http")],
        readiness_probe=Probe(exec=ExecAction(command=["ready"]), period_seconds=5) if probe else None,
    )
    return Pod(
        metadata=ObjectMeta(name=name, namespace="default", labels={"app": "web"}),
        spec=PodSpec(containers=[container], node_name=node),
    )


async def test_ep3_readiness_probes_move_pods_between_addresses_and_not_ready() -> None:
    """EP-2, EP-3, EP-5 end to end: scheduled pods get IPs from the fake runtime; a failing
    readiness probe puts a pod in notReadyAddresses, a passing one back in addresses, on the named
    container port."""
    async with running(2) as r:
        healthy = {"a": True, "b": False}

        def answer(status: ContainerStatus, cmd: list[str]) -> ExecResult:
            return ExecResult(exit_code=0 if healthy[status.labels["io.kubernetes.pod.name"]] else 1)

        for runtime in r.cluster.nodes.runtimes.values():
            runtime.set_exec_handler(answer)
        await r.cluster.client.create(web_service())
        for name in healthy:
            await r.cluster.client.create(web_pod(name, probe=True))
        await r.until(lambda: r.split() == (["a"], ["b"]))
        endpoints = r.endpoints.get("web", "default")
        assert endpoints is not None
        pods = {p.metadata.name: p for p in r.pods.list("default")}
        ips = sorted(a.ip for s in endpoints.subsets for a in [*s.addresses, *s.not_ready_addresses])
        assert ips == sorted(p.status.pod_ip for p in pods.values())
        assert [[(p.name, p.port, p.protocol) for p in s.ports] for s in endpoints.subsets] == [
            [("http", 8080, "TCP")]
        ]
        healthy["a"], healthy["b"] = False, True
        await r.until(lambda: r.split() == (["b"], ["a"]))


async def test_node7_pods_of_a_node_that_stops_heartbeating_move_to_not_ready_addresses() -> None:
    """NODE-7: when node-2 stops posting status, the node lifecycle controller sets its pods'
    Ready=False (event NodeNotReady) and the Endpoints moves them to notReadyAddresses; node-1's
    pod stays in addresses."""
    async with running(1) as r:
        await r.cluster.client.create(web_service())
        async with anyio.create_task_group() as doomed:
            await r.cluster.nodes.start(doomed, 1)
            await r.cluster.client.create(web_pod("on-1", node="node-1"))
            await r.cluster.client.create(web_pod("on-2", node="node-2"))
            await r.until(lambda: r.split() == (["on-1", "on-2"], []))
            doomed.cancel_scope.cancel()
        await r.until(lambda: r.split() == (["on-1"], ["on-2"]))
        pod = r.pods.get("on-2", "default")
        assert pod is not None
        ready = next(c for c in pod.status.conditions if c.type == "Ready")
        assert ready.status == "False"

        def not_ready_events() -> set[tuple[str, str, str]]:
            return {
                (e.involved_object.kind, e.involved_object.name, e.message)
                for e in r.events.list("default")
                if e.reason == "NodeNotReady"
            }

        await r.until(lambda: ("Pod", "on-2", "Node is not ready") in not_ready_events())
        assert not any(name == "on-1" for _, name, _ in not_ready_events())


async def test_ep11_slices_in_the_cluster_follow_the_pods_and_go_with_the_service() -> None:
    """EP-1, EP-11 end to end: scheduled pods appear in one EndpointSlice owned by the Service
    (ports resolved per pod, conditions from readiness); deleting the Service deletes its
    Endpoints (controller) and its slices (garbage collector, through the owner reference)."""
    async with running(2) as r:
        await r.cluster.client.create(web_service())
        for name in ("a", "b"):
            await r.cluster.client.create(web_pod(name))

        def slice_pods() -> list[tuple[str, bool | None]]:
            return sorted(
                (e.target_ref.name, e.conditions.ready)
                for s in r.slices.list("default")
                for e in s.endpoints
                if e.target_ref and s.metadata.labels.get("kubernetes.io/service-name") == "web"
            )

        await r.until(lambda: slice_pods() == [("a", True), ("b", True)])
        [web] = [
            s
            for s in r.slices.list("default")
            if s.metadata.labels.get("kubernetes.io/service-name") == "web"
        ]
        assert [(p.name, p.port, p.protocol) for p in web.ports] == [("http", 8080, "TCP")]
        assert {e.node_name for e in web.endpoints} <= {"node-1", "node-2"}
        await r.cluster.client.delete(Service, "web", "default")
        await r.until(
            lambda: (
                r.endpoints.get("web", "default") is None
                and not any(
                    s.metadata.labels.get("kubernetes.io/service-name") == "web"
                    for s in r.slices.list("default")
                )
            )
        )
