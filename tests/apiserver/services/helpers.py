"""Builders for Service tests: a Service with chosen type, ports and spec fields."""

from __future__ import annotations

from typing import Any

from kubelite.api.core import Service, ServicePort, ServiceSpec
from kubelite.api.meta import ObjectMeta
from kubelite.apiserver import APIServer

CIDR = "10.96.0.0/12"


def service(
    name: str, kind: str = "ClusterIP", ports: list[ServicePort] | None = None, **spec: Any
) -> Service:
    fields: dict[str, Any] = {"type": kind, "selector": {"app": name}}
    fields["ports"] = ports if ports is not None else [ServicePort(port=80)]
    fields.update(spec)
    return Service(metadata=ObjectMeta(name=name, namespace="default"), spec=ServiceSpec(**fields))


async def create(server: APIServer, svc: Service) -> Service:
    created = await server.create(Service, svc, "default")
    assert isinstance(created, Service)
    return created


async def stored(server: APIServer) -> dict[str, Service]:
    listed = await server.list(Service, "default")
    return {s.metadata.name: s for s in listed.items if isinstance(s, Service)}


async def held(server: APIServer) -> tuple[set[str], set[int]]:
    """Every cluster IP and node port the stored Services hold, in all namespaces."""
    listed = await server.list(Service)
    ips: set[str] = set()
    ports: set[int] = set()
    for svc in listed.items:
        assert isinstance(svc, Service)
        ips |= {ip for ip in svc.spec.cluster_ips if ip != "None"}
        ports |= {p.node_port for p in svc.spec.ports if p.node_port}
        if svc.spec.health_check_node_port:
            ports.add(svc.spec.health_check_node_port)
    return ips, ports
