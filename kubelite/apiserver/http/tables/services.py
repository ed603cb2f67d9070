"""Rows for Services, Endpoints and EndpointSlices (upstream's printers, reproduced).

Services: Type, Cluster-IP (first of `clusterIPs`, `<none>`), External-IP (external IPs for
ClusterIP/NodePort or `<none>`; load-balancer ingress then external IPs, `<pending>` when neither,
for LoadBalancer; the external name for ExternalName; `<unknown>` otherwise), Port(s)
(`port[:nodePort]/protocol`, `<none>`), Age, wide Selector (`<none>`). Endpoints: up to three
`ip:port` (or bare IPs for port-less subsets) then ` + N more...`, `<none>` without subsets.
EndpointSlices: AddressType, Ports (number, else name, else `*`) and Endpoints (addresses), each
limited to three with ` + N more...` and `<unset>` when empty.
"""

from __future__ import annotations

from typing import Any

from kubelite.api.core import Endpoints, Service
from kubelite.api.discovery import EndpointPort as EndpointSlicePort
from kubelite.api.discovery import EndpointSlice

from .columns import AGE, NAME, NONE, Printer, column, format_labels, with_more
from .humanduration import UNKNOWN, since

SERVICE_COLUMNS = (
    NAME,
    column("Type", "How the service is exposed."),
    column("Cluster-IP", "The service's cluster IP address."),
    column("External-IP", "Addresses the service is reachable at from outside the cluster."),
    column("Port(s)", "The ports the service exposes."),
    AGE,
    column("Selector", "Pods with labels matching this selector back the service.", priority=1),
)
ENDPOINTS_COLUMNS = (NAME, column("Endpoints", "The addresses behind the service."), AGE)
ENDPOINTSLICE_COLUMNS = (
    NAME,
    column("AddressType", "The type of address the slice carries."),
    column("Ports", "The ports the endpoints expose."),
    column("Endpoints", "The endpoint addresses in this slice."),
    AGE,
)


def _load_balancer(svc: Service) -> list[str]:
    ingress = svc.status.load_balancer.ingress
    return sorted({entry.ip or entry.hostname for entry in ingress if entry.ip or entry.hostname})


def external_ip(svc: Service) -> str:
    kind = svc.spec.type
    if kind in ("ClusterIP", "NodePort"):
        return ",".join(svc.spec.external_ips) or NONE
    if kind == "LoadBalancer":
        return ",".join(_load_balancer(svc) + svc.spec.external_ips) or "<pending>"
    if kind == "ExternalName":
        return svc.spec.external_name
    return UNKNOWN


def ports(svc: Service) -> str:
    pieces = [
        f"{p.port}:{p.node_port}/{p.protocol}" if p.node_port > 0 else f"{p.port}/{p.protocol}"
        for p in svc.spec.ports
    ]
    return ",".join(pieces) or NONE


def service_cells(svc: Service, now: float) -> list[Any]:
    return [
        svc.metadata.name,
        svc.spec.type,
        svc.spec.cluster_ips[0] if svc.spec.cluster_ips else NONE,
        external_ip(svc),
        ports(svc),
        since(svc.metadata.creation_timestamp, now),
        format_labels(svc.spec.selector),
    ]


def _host_port(ip: str, port: int) -> str:
    return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"


def format_endpoints(endpoints: Endpoints) -> str:
    if not endpoints.subsets:
        return NONE
    items: list[str] = []
    for subset in endpoints.subsets:
        if not subset.ports:
            items += [address.ip for address in subset.addresses]
            continue
        for port in subset.ports:
            items += [_host_port(address.ip, port.port) for address in subset.addresses]
    return with_more(items, len(items))


def endpoints_cells(obj: Endpoints, now: float) -> list[Any]:
    return [obj.metadata.name, format_endpoints(obj), since(obj.metadata.creation_timestamp, now)]


def _unset(items: list[str]) -> str:
    return with_more(items, len(items)) or "<unset>"


def _slice_port(port: EndpointSlicePort) -> str:
    if port.port is not None:
        return str(port.port)
    return port.name if port.name is not None else "*"


def slice_ports(obj: EndpointSlice) -> str:
    return _unset([_slice_port(port) for port in obj.ports])


def endpointslice_cells(obj: EndpointSlice, now: float) -> list[Any]:
    addresses = [address for endpoint in obj.endpoints for address in endpoint.addresses]
    return [
        obj.metadata.name,
        obj.address_type,
        slice_ports(obj),
        _unset(addresses),
        since(obj.metadata.creation_timestamp, now),
    ]


SERVICE: Printer[Service] = Printer(SERVICE_COLUMNS, service_cells)
ENDPOINTS: Printer[Endpoints] = Printer(ENDPOINTS_COLUMNS, endpoints_cells)
ENDPOINTSLICE: Printer[EndpointSlice] = Printer(ENDPOINTSLICE_COLUMNS, endpointslice_cells)
