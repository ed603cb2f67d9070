"""core/v1 Endpoints: the addresses behind a Service, grouped into subsets sharing a port set.

Maintained by the Endpoints controller (EP-1..EP-10). Address lists and subsets are atomic.
`EndpointPort.protocol` defaults to TCP.
"""

from __future__ import annotations

import msgspec

from kubelite.api.core.reference import ObjectReference
from kubelite.api.meta import Base, Object


class EndpointAddress(Base):
    ip: str
    hostname: str = ""
    node_name: str | None = None
    target_ref: ObjectReference | None = None


class EndpointPort(Base):
    port: int
    name: str = ""
    protocol: str = ""
    app_protocol: str | None = None


class EndpointSubset(Base):
    addresses: list[EndpointAddress] = []
    not_ready_addresses: list[EndpointAddress] = []
    ports: list[EndpointPort] = []


class Endpoints(Object):
    api_version: str = msgspec.field(default_factory=lambda: "v1")
    subsets: list[EndpointSubset] = []
