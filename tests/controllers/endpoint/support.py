"""Builders for the Endpoints and EndpointSlice tests: Services, pods with IPs and readiness."""

from __future__ import annotations

from kubelite.api.core import (
    Container,
    ContainerPort,
    Pod,
    PodCondition,
    PodIP,
    PodSpec,
    PodStatus,
    Service,
    ServicePort,
    ServiceSpec,
)
from kubelite.api.meta import ObjectMeta

T0 = "2026-01-01T00:00:00Z"


def service(
    name: str = "web",
    selector: dict[str, str] | None = None,
    ports: list[ServicePort] | None = None,
    *,
    namespace: str = "default",
    cluster_ip: str = "10.96.0.10",
    labels: dict[str, str] | None = None,
    publish_not_ready: bool = False,
    uid: str = "svc-uid",
) -> Service:
    meta = ObjectMeta(name=name, namespace=namespace, labels=labels or {}, uid=uid, creation_timestamp=T0)
    spec = ServiceSpec(
        selector={"app": "web"} if selector is None else selector,
        ports=[ServicePort(port=80)] if ports is None else ports,
        cluster_ip=cluster_ip,
        publish_not_ready_addresses=publish_not_ready,
    )
    return Service(metadata=meta, spec=spec)


def ready_condition(ready: bool, at: str = T0) -> PodCondition:
    return PodCondition(type="Ready", status="True" if ready else "False", last_transition_time=at)


def pod(
    name: str,
    ip: str = "",
    *,
    ready: bool = True,
    labels: dict[str, str] | None = None,
    ports: list[ContainerPort] | None = None,
    namespace: str = "default",
    node: str = "node-1",
    phase: str = "Running",
    hostname: str = "",
    subdomain: str = "",
    deleting: bool = False,
    uid: str | None = None,
) -> Pod:
    meta = ObjectMeta(
        name=name,
        namespace=namespace,
        labels={"app": "web"} if labels is None else labels,
        uid=uid or f"uid-{name}",
        deletion_timestamp=T0 if deleting else None,
    )
    container = Container(name="main", image="busybox", ports=ports or [])
    spec = PodSpec(containers=[container], node_name=node, hostname=hostname, subdomain=subdomain)
    status = PodStatus(
        phase=phase,
        pod_ip=ip,
        pod_ips=[PodIP(ip=ip)] if ip else [],
        conditions=[ready_condition(ready)],
    )
    return Pod(metadata=meta, spec=spec, status=status)
