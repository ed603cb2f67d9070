"""Allocations over a Service's life: released on removal (DELETE, the last finalizer gone later,
its namespace emptied), given back by creates that fail half-way (store fault, dry run,
rejection), never shared by racing creates, and kept across a restart (re-seeded from the store).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import anyio
import pytest

from kubelite.api.core import Namespace, Service, ServicePort
from kubelite.api.errors import APIError, Invalid
from kubelite.api.meta import ObjectMeta
from kubelite.apiserver import APIServer
from kubelite.apiserver.settings import APIServerSettings
from kubelite.clock import FakeClock
from kubelite.store.memory import MemoryStorage
from kubelite.store.sqlerrors import sqlite_error
from kubelite.store.sqlite import SQLiteStorage
from tests.controllers.gc.support import running
from tests.store.faults import Faults

from .helpers import create, held, service, stored

pytestmark = pytest.mark.anyio

SMALL = APIServerSettings(service_cidr="10.0.0.0/28", service_node_port_range="30000-30009")
"""13 dynamic addresses (.2-.14) and 10 node ports: a leak shows within a few creates."""


async def test_delete_frees_the_cluster_ip_and_node_ports(server: APIServer) -> None:
    ports = [ServicePort(port=80, node_port=30080)]
    await create(server, service("a", "NodePort", ports=ports, cluster_ip="10.96.0.20"))
    await server.delete(Service, "a", "default")
    again = await create(server, service("b", "NodePort", ports=ports, cluster_ip="10.96.0.20"))
    assert again.spec.cluster_ip == "10.96.0.20" and again.spec.ports[0].node_port == 30080


async def test_a_delete_finished_later_by_its_finalizer_frees_only_then(server: APIServer) -> None:
    svc = service("a", "LoadBalancer", cluster_ip="10.96.0.20", external_traffic_policy="Local")
    svc.metadata.finalizers = ["service.kubernetes.io/load-balancer-cleanup"]
    made = await create(server, svc)
    await server.delete(Service, "a", "default")
    with pytest.raises(Invalid, match="provided IP is already allocated"):
        await create(server, service("b", cluster_ip="10.96.0.20"))
    current = await server.get(Service, "a", "default")
    assert isinstance(current, Service)
    current.metadata.finalizers = []
    await server.update(Service, current, "a", "default")
    assert "a" not in await stored(server)
    ports = [ServicePort(port=80, node_port=made.spec.ports[0].node_port)]
    check = made.spec.health_check_node_port
    b = await create(server, service("b", "NodePort", ports=ports, cluster_ip="10.96.0.20"))
    c = await create(
        server, service("c", "LoadBalancer", external_traffic_policy="Local", health_check_node_port=check)
    )
    assert b.spec.cluster_ip == "10.96.0.20" and c.spec.health_check_node_port == check


async def test_namespace_deletion_frees_what_its_services_held() -> None:
    """GC-8's namespace controller empties a terminating namespace; its Services' addresses and
    node ports are free once they are gone."""
    async with running() as r:
        client = r.cluster.client
        await client.create(Namespace(metadata=ObjectMeta(name="team")))
        svc = service("a", "NodePort", ports=[ServicePort(port=80, node_port=30080)], cluster_ip="10.96.0.20")
        svc.metadata.namespace = "team"
        await client.create(svc)
        await client.delete(Namespace, "team")
        await r.until(lambda: r.get(Namespace, "team", "") is None, seconds=30)
        again = service(
            "b", "NodePort", ports=[ServicePort(port=80, node_port=30080)], cluster_ip="10.96.0.20"
        )
        made = await client.create(again)
        assert made.spec.cluster_ip == "10.96.0.20" and made.spec.ports[0].node_port == 30080


async def test_racing_creates_never_share_an_address_or_port() -> None:
    async with MemoryStorage(history=1000) as storage:
        server = APIServer(storage, clock=FakeClock(), settings=SMALL)
        await server.bootstrap()
        outcomes: list[Service | APIError] = []

        async def one(name: str) -> None:
            try:
                outcomes.append(await create(server, service(name, "NodePort")))
            except APIError as error:
                outcomes.append(error)

        async with anyio.create_task_group() as group:
            for i in range(15):
                group.start_soon(one, f"s{i}")
        made = [o for o in outcomes if isinstance(o, Service)]
        failed = [o for o in outcomes if isinstance(o, APIError)]
        assert len(made) == 10 and len(failed) == 5  # 10 node ports for 15 NodePort Services
        assert all(
            e.status.message == "Internal error occurred: failed to allocate a nodePort: range is full"
            for e in failed
        )
        assert len({s.spec.cluster_ip for s in made}) == 10
        assert len({s.spec.ports[0].node_port for s in made}) == 10
        assert await held(server) == (
            {s.spec.cluster_ip for s in made},
            {s.spec.ports[0].node_port for s in made},
        )
        # the five failed creates gave their cluster IPs back: 13 - 10 = 3 ClusterIP Services fit
        for i in range(3):
            await create(server, service(f"c{i}"))
        with pytest.raises(APIError, match="failed to allocate a serviceIP: range is full"):
            await create(server, service("c3"))


async def test_a_create_the_store_fails_to_commit_leaks_nothing(tmp_path: Path) -> None:
    faults = Faults()
    async with SQLiteStorage(tmp_path / "db", before_commit=faults) as storage:
        server = APIServer(storage, clock=FakeClock(), settings=SMALL)
        await server.bootstrap()
        wanted = service(
            "a", "NodePort", ports=[ServicePort(port=80, node_port=30005)], cluster_ip="10.0.0.5"
        )
        faults.queue.append(sqlite_error(sqlite3.SQLITE_FULL, "database or disk is full"))
        with pytest.raises(APIError) as caught:
            await create(server, wanted)
        assert caught.value.status.code == 500
        assert await stored(server) == {}
        made = await create(server, wanted)
        assert made.spec.cluster_ip == "10.0.0.5" and made.spec.ports[0].node_port == 30005


async def test_a_cancelled_create_whose_write_commits_keeps_its_allocation(tmp_path: Path) -> None:
    """A caller cancelled while its accepted write commits: the Service is stored, so its address
    must stay taken."""
    async with SQLiteStorage(tmp_path / "db") as storage:
        server = APIServer(storage, clock=FakeClock(), settings=SMALL)
        await server.bootstrap()
        with anyio.CancelScope() as scope:
            scope.cancel()
            await create(server, service("a", cluster_ip="10.0.0.5"))
        await storage.settled(("services", "default", "a"))
        assert (await stored(server))["a"].spec.cluster_ip == "10.0.0.5"
        with pytest.raises(Invalid, match="provided IP is already allocated"):
            await create(server, service("b", cluster_ip="10.0.0.5"))


async def test_a_restart_keeps_every_allocation(tmp_path: Path) -> None:
    path = tmp_path / "db"
    async with SQLiteStorage(path) as storage:
        server = APIServer(storage, clock=FakeClock(), settings=SMALL)
        await server.bootstrap()
        for i in range(4):
            await create(server, service(f"s{i}", "NodePort"))
        await server.delete(Service, "s0", "default")
        before = await held(server)
    async with SQLiteStorage(path) as storage:
        server = APIServer(storage, clock=FakeClock(), settings=SMALL)
        await server.bootstrap()
        assert await held(server) == before
        made = [await create(server, service(f"n{i}", "NodePort")) for i in range(7)]
        ips, ports = await held(server)
        assert len(ips) == 10 and len(ports) == 10  # nothing handed out twice
        assert not {s.spec.cluster_ip for s in made} & before[0]
        with pytest.raises(APIError, match="failed to allocate a nodePort: range is full"):
            await create(server, service("full", "NodePort"))
