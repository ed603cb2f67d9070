"""discovery.k8s.io/v1 EndpointSlice: a slice of a Service's endpoints (EP-11).

Each endpoint lists its addresses (all of `addressType`: IPv4, IPv6 or FQDN) and its conditions
(`ready`, `serving`, `terminating`, each a Go pointer). `addressType` is always encoded;
`conditions` is always encoded (`conditions: {}`), as Kubernetes prints it. Port `name` and
`protocol` default to "" and TCP.
"""

from __future__ import annotations

import msgspec

from kubelite.api.core.reference import ObjectReference
from kubelite.api.meta import Base, Object


class EndpointConditions(Base):
    ready: bool | None = None
    serving: bool | None = None
    terminating: bool | None = None


class ForZone(Base):
    name: str


class EndpointHints(Base):
    for_zones: list[ForZone] = []


class Endpoint(Base):
    addresses: list[str]
    conditions: EndpointConditions = msgspec.field(default_factory=EndpointConditions)
    hostname: str | None = None
    target_ref: ObjectReference | None = None
    node_name: str | None = None
    zone: str | None = None
    hints: EndpointHints | None = None


class EndpointPort(Base):
    name: str | None = None
    protocol: str | None = None
    port: int | None = None
    app_protocol: str | None = None


class EndpointSlice(Object):
    api_version: str = msgspec.field(default_factory=lambda: "discovery.k8s.io/v1")
    address_type: str = msgspec.field(default_factory=str)
    endpoints: list[Endpoint] = []
    ports: list[EndpointPort] = []
