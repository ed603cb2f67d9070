"""core/v1 Service: ports, selector, cluster IPs, type, traffic policies; load-balancer status.

`targetPort` is int-or-string; 0 means unset (defaulting makes it the `port`). `clusterIP` and
`clusterIPs` are allocated by the apiserver, never by defaulting. Ports merge by `port`;
`status.loadBalancer` is always encoded (`loadBalancer: {}`), as Kubernetes prints it.
"""

from __future__ import annotations

from typing import Annotated

import msgspec

from kubelite.api.meta import Base, Condition, Object
from kubelite.api.patchmeta import MergeKey


class ServicePort(Base):
    port: int
    name: str = ""
    protocol: str = ""
    app_protocol: str | None = None
    target_port: int | str = 0
    node_port: int = 0


class ClientIPConfig(Base):
    timeout_seconds: int | None = None


class SessionAffinityConfig(Base):
    client_ip: ClientIPConfig | None = msgspec.field(default=None, name="clientIP")


class ServiceSpec(Base):
    ports: Annotated[list[ServicePort], MergeKey("port")] = []
    selector: dict[str, str] = {}
    cluster_ip: str = msgspec.field(default="", name="clusterIP")
    cluster_ips: list[str] = msgspec.field(default_factory=list, name="clusterIPs")
    type: str = ""
    external_ips: list[str] = msgspec.field(default_factory=list, name="externalIPs")
    session_affinity: str = ""
    load_balancer_ip: str = msgspec.field(default="", name="loadBalancerIP")
    load_balancer_source_ranges: list[str] = []
    external_name: str = ""
    external_traffic_policy: str = ""
    health_check_node_port: int = 0
    publish_not_ready_addresses: bool = False
    session_affinity_config: SessionAffinityConfig | None = None
    ip_families: list[str] = []
    ip_family_policy: str | None = None
    allocate_load_balancer_node_ports: bool | None = None
    load_balancer_class: str | None = None
    internal_traffic_policy: str | None = None
    traffic_distribution: str | None = None


class PortStatus(Base):
    port: int
    protocol: str
    error: str | None = None


class LoadBalancerIngress(Base):
    ip: str = ""
    hostname: str = ""
    ip_mode: str | None = None
    ports: list[PortStatus] = []


class LoadBalancerStatus(Base):
    ingress: list[LoadBalancerIngress] = []


class ServiceStatus(Base):
    load_balancer: LoadBalancerStatus = msgspec.field(default_factory=LoadBalancerStatus)
    conditions: Annotated[list[Condition], MergeKey("type")] = []


class Service(Object):
    api_version: str = msgspec.field(default_factory=lambda: "v1")
    spec: ServiceSpec = msgspec.field(default_factory=ServiceSpec)
    status: ServiceStatus = msgspec.field(default_factory=ServiceStatus)
