"""Builders for the mirroring tests: a selector-less Service and a hand-made Endpoints."""

from __future__ import annotations

from kubelite.api.core import (
    EndpointAddress,
    EndpointPort,
    Endpoints,
    EndpointSubset,
    Service,
    ServicePort,
    ServiceSpec,
)
from kubelite.api.meta import ObjectMeta


def selectorless(name: str = "manual") -> Service:
    spec = ServiceSpec(ports=[ServicePort(port=80, target_port=9376)])
    return Service(metadata=ObjectMeta(name=name, namespace="default"), spec=spec)


def subset(ready: list[str], not_ready: list[str] = [], port: int = 9376) -> EndpointSubset:  # noqa: B006
    return EndpointSubset(
        addresses=[EndpointAddress(ip=ip) for ip in ready],
        not_ready_addresses=[EndpointAddress(ip=ip) for ip in not_ready],
        ports=[EndpointPort(port=port, protocol="TCP")],
    )


def endpoints(
    *subsets: EndpointSubset,
    name: str = "manual",
    labels: dict[str, str] | None = None,
    annotations: dict[str, str] | None = None,
    uid: str = "",
) -> Endpoints:
    meta = ObjectMeta(
        name=name, namespace="default", labels=labels or {}, annotations=annotations or {}, uid=uid
    )
    return Endpoints(metadata=meta, subsets=list(subsets))
