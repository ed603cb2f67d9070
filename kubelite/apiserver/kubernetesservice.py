"""The `kubernetes` Service in `default`, and its Endpoints and EndpointSlice: how pods find the API
server (kube-apiserver's `kubernetesservice` controller and endpoint reconciler).

`reconcile(core, address, port)` makes them match the serving address:
- Service `kubernetes` (labels `component=apiserver`, `provider=kubernetes`; no selector; type
  ClusterIP; the first address of the service CIDR; one port `https` 443/TCP → `port`). Created
  when missing; when present only its ports are corrected (the cluster IP is never moved).
- Endpoints `kubernetes` (label `endpointslice.kubernetes.io/skip-mirror=true`) with one subset:
  `address`, port `https` `port`/TCP; EndpointSlice `kubernetes` (label
  `kubernetes.io/service-name=kubernetes`, IPv4/IPv6 by the address) with the ready endpoint and
  the same port. Created when missing, rewritten when they differ.
Run it again after a restart: it writes nothing when all three already match, so there are never
two of them. The writes go through the normal create/update paths (validation, the allocators).
The server runs it at start and then every 10 s (`INTERVAL`, kube-apiserver's endpoint
reconciler interval) with `correct_service=False`, as kube-apiserver does after its first run:
what was deleted comes back and the Endpoints and EndpointSlice are corrected, while an edit of
the existing Service is left alone until the next start.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from kubelite.api.core import (
    EndpointAddress,
    EndpointPort,
    Endpoints,
    EndpointSubset,
    Service,
    ServicePort,
    ServiceSpec,
)
from kubelite.api.discovery import Endpoint, EndpointConditions, EndpointSlice
from kubelite.api.discovery import EndpointPort as SlicePort
from kubelite.api.errors import NotFound
from kubelite.api.meta import Object, ObjectMeta
from kubelite.apiserver import create as creating
from kubelite.apiserver import update as updating
from kubelite.apiserver.context import RequestContext
from kubelite.apiserver.core import ServerCore

NAME, NAMESPACE, PORT_NAME, SERVICE_PORT = "kubernetes", "default", "https", 443
SERVICE_LABELS = {"component": "apiserver", "provider": "kubernetes"}
SKIP_MIRROR = {"endpointslice.kubernetes.io/skip-mirror": "true"}
SLICE_LABELS = {"kubernetes.io/service-name": NAME}
INTERVAL = 10.0
"""Seconds between reconciles once serving (kube-apiserver's EndpointInterval, 10 s by default)."""


def desired_service(cluster_ip: str, port: int) -> Service:
    spec = ServiceSpec(
        type="ClusterIP",
        cluster_ip=cluster_ip,
        session_affinity="None",
        ports=[ServicePort(name=PORT_NAME, port=SERVICE_PORT, protocol="TCP", target_port=port)],
    )
    meta = ObjectMeta(name=NAME, namespace=NAMESPACE, labels=dict(SERVICE_LABELS))
    return Service(metadata=meta, spec=spec)


def desired_endpoints(address: str, port: int) -> Endpoints:
    subset = EndpointSubset(
        addresses=[EndpointAddress(ip=address)],
        ports=[EndpointPort(name=PORT_NAME, port=port, protocol="TCP")],
    )
    meta = ObjectMeta(name=NAME, namespace=NAMESPACE, labels=dict(SKIP_MIRROR))
    return Endpoints(metadata=meta, subsets=[subset])


def desired_slice(address: str, port: int) -> EndpointSlice:
    family = "IPv6" if ipaddress.ip_address(address).version == 6 else "IPv4"
    return EndpointSlice(
        metadata=ObjectMeta(name=NAME, namespace=NAMESPACE, labels=dict(SLICE_LABELS)),
        address_type=family,
        endpoints=[Endpoint(addresses=[address], conditions=EndpointConditions(ready=True))],
        ports=[SlicePort(name=PORT_NAME, port=port, protocol="TCP")],
    )


async def reconcile(
    core: ServerCore, address: str, port: int, first_ip: str, *, correct_service: bool = True
) -> None:
    """Create or correct the three objects; `first_ip` is the service CIDR's first address. With
    `correct_service=False` an existing Service is left as it is."""
    await _service(core, desired_service(first_ip, port), correct=correct_service)
    endpoints = desired_endpoints(address, port)
    await _ensure(
        core, endpoints, lambda cur: isinstance(cur, Endpoints) and cur.subsets == endpoints.subsets
    )
    slice_ = desired_slice(address, port)
    await _ensure(
        core,
        slice_,
        lambda cur: (
            isinstance(cur, EndpointSlice)
            and (cur.address_type, cur.endpoints, cur.ports)
            == (slice_.address_type, slice_.endpoints, slice_.ports)
        ),
    )


async def _service(core: ServerCore, wanted: Service, *, correct: bool) -> None:
    info = core.registry.by_type(Service)
    try:
        _, current = core.latest(info, NAMESPACE, NAME)
    except NotFound:
        await creating.create(core, info, wanted, NAMESPACE, RequestContext())
        return
    assert isinstance(current, Service)
    if correct and current.spec.ports != wanted.spec.ports:
        current.spec.ports = wanted.spec.ports
        await updating.update(core, info, current, NAMESPACE, NAME, RequestContext())


async def _ensure(core: ServerCore, wanted: Object, matches: Callable[[Object], bool]) -> None:
    info = core.registry.by_type(type(wanted))
    try:
        record, current = core.latest(info, NAMESPACE, NAME)
    except NotFound:
        await creating.create(core, info, wanted, NAMESPACE, RequestContext())
        return
    if matches(current):
        return
    wanted.metadata.resource_version = str(record.revision)
    await updating.update(core, info, wanted, NAMESPACE, NAME, RequestContext())
