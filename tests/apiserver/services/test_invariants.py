"""Invariant under any sequence of Service creates, type changes and deletes (some refused, some
racing): no two stored Services share a cluster IP or node port (health-check ports included),
and once every Service is deleted the whole of both ranges can be allocated again (nothing
leaked, nothing freed twice)."""

from __future__ import annotations

import anyio
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kubelite.api.core import Service, ServicePort
from kubelite.api.errors import APIError
from kubelite.apiserver import APIServer
from kubelite.apiserver.settings import APIServerSettings
from kubelite.clock import FakeClock
from kubelite.store.memory import MemoryStorage

from .helpers import held, service

SMALL = APIServerSettings(service_cidr="10.0.0.0/28", service_node_port_range="30000-30009")
KINDS = ("ClusterIP", "NodePort", "LoadBalancer", "ExternalName")
NAMES = ("a", "b", "c")

op = st.one_of(
    st.tuples(
        st.just("create"),
        st.sampled_from(NAMES),
        st.sampled_from(KINDS),
        st.one_of(st.none(), st.integers(1, 14)),
        st.one_of(st.none(), st.integers(30000, 30009)),
    ),
    st.tuples(st.just("retype"), st.sampled_from(NAMES), st.sampled_from(KINDS), st.none(), st.none()),
    st.tuples(st.just("delete"), st.sampled_from(NAMES), st.none(), st.none(), st.none()),
)


def build(name: str, kind: str, ip: int | None, port: int | None) -> Service:
    if kind == "ExternalName":
        return service(name, kind, ports=[], selector={}, external_name="db.example.com")
    extra: dict[str, object] = {"external_traffic_policy": "Local"} if kind == "LoadBalancer" else {}
    node_port = port if port is not None and kind != "ClusterIP" else 0
    svc = service(name, kind, ports=[ServicePort(port=80, node_port=node_port)], **extra)
    svc.spec.cluster_ip = f"10.0.0.{ip}" if ip is not None else ""
    return svc


async def apply(server: APIServer, step: tuple[str, str, str | None, int | None, int | None]) -> None:
    action, name, kind, ip, port = step
    try:
        if action == "create":
            assert kind is not None
            await server.create(Service, build(name, kind, ip, port), "default")
        elif action == "delete":
            await server.delete(Service, name, "default")
        else:
            current = await server.get(Service, name, "default")
            assert isinstance(current, Service) and kind is not None
            current.spec.type = kind
            current.spec.external_name = "db.example.com" if kind == "ExternalName" else ""
            current.spec.external_traffic_policy = "Local" if kind == "LoadBalancer" else ""
            current.spec.ports = [ServicePort(port=80)] if kind != "ExternalName" else []
            await server.update(Service, current, name, "default")
    except APIError:
        pass


async def distinct(server: APIServer) -> None:
    listed = await server.list(Service)
    ips = [ip for s in listed.items if isinstance(s, Service) for ip in s.spec.cluster_ips if ip != "None"]
    ports = [
        p
        for s in listed.items
        if isinstance(s, Service)
        for p in [x.node_port for x in s.spec.ports if x.node_port] + [s.spec.health_check_node_port]
        if p
    ]
    assert len(ips) == len(set(ips)) and len(ports) == len(set(ports))


async def scenario(steps: list[tuple[str, str, str | None, int | None, int | None]]) -> None:
    async with MemoryStorage(history=10_000) as storage:
        server = APIServer(storage, clock=FakeClock(), settings=SMALL)
        await server.bootstrap()
        for index in range(0, len(steps), 3):
            async with anyio.create_task_group() as group:  # three at a time, racing
                for step in steps[index : index + 3]:
                    group.start_soon(apply, server, step)
            await distinct(server)
        for name in NAMES:
            await apply(server, ("delete", name, None, None, None))
        assert await held(server) == (set(), set())
        for i in range(10):
            await server.create(Service, service(f"np{i}", "NodePort"), "default")
        for i in range(3):
            await server.create(Service, service(f"ip{i}", "ClusterIP"), "default")
        ips, ports = await held(server)
        assert len(ips) == 13 and len(ports) == 10


RETYPES = [
    ("create", "a", "LoadBalancer", None, 30003),
    ("create", "b", "NodePort", 3, None),
    ("create", "c", "ClusterIP", None, None),
    ("retype", "a", "ClusterIP", None, None),
    ("retype", "b", "ExternalName", None, None),
    ("retype", "c", "LoadBalancer", None, None),
]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(op, max_size=24))
@example(RETYPES)
def test_no_sharing_and_no_leaks(steps: list[tuple[str, str, str | None, int | None, int | None]]) -> None:
    anyio.run(scenario, steps)
