"""What one Endpoints object mirrors into EndpointSlices (EP-11 mirroring; upstream's
endpointslicemirroring desiredCalc, addressToEndpoint, newEndpointSlice). Pure.

- `should_mirror(endpoints, service)`: the Service exists, has no selector (EP-1: its Endpoints
  are hand-made) and the Endpoints lacks `endpointslice.kubernetes.io/skip-mirror=true`.
- `desired_mirror(endpoints, max_per_subset)`: per (address type, port set) the slice ports and
  endpoints; each subset mirrors its ready addresses (`ready=true`) then its not-ready ones
  (`ready=false`), at most `max_per_subset` of them; subsets with the same ports share slices; an
  address that is not an IP is skipped. Endpoints carry `addresses [ip]`, `nodeName`,
  `targetRef` and `hostname` when set.
- `mirror_meta(endpoints)`: slices carry the Endpoints' labels plus `kubernetes.io/service-name`
  and `managed-by=endpointslicemirroring-controller.k8s.io`, its annotations without
  `kubectl.kubernetes.io/last-applied-configuration` and the trigger time, `generateName <name>-`
  and a controller reference to the Endpoints.
"""

from __future__ import annotations

import ipaddress

from kubelite.api.core import EndpointAddress, Endpoints, EndpointSubset, Service
from kubelite.api.discovery import Endpoint, EndpointConditions, EndpointPort, EndpointSlice
from kubelite.api.meta import ObjectMeta, OwnerReference
from kubelite.controllers.endpoint.desired import TRIGGER_TIME
from kubelite.controllers.endpointslice.endpoints import EndpointKey, PortsKey, endpoint_key, ports_key
from kubelite.controllers.endpointslice.portmap import SliceMeta
from kubelite.controllers.endpointslice.slices import MANAGED_BY_LABEL, SERVICE_NAME_LABEL

CONTROLLER_NAME = "endpointslicemirroring-controller.k8s.io"
SKIP_MIRROR_LABEL = "endpointslice.kubernetes.io/skip-mirror"
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
MAX_ENDPOINTS_PER_SUBSET = 1000
MirrorKey = tuple[str, PortsKey]
Desired = dict[MirrorKey, tuple[list[EndpointPort], dict[EndpointKey, Endpoint]]]


def should_mirror(endpoints: Endpoints | None, service: Service | None) -> bool:
    if endpoints is None or service is None or service.spec.selector:
        return False
    return endpoints.metadata.labels.get(SKIP_MIRROR_LABEL) != "true"


def address_type(ip: str) -> str | None:
    try:
        return "IPv4" if ipaddress.ip_address(ip).version == 4 else "IPv6"
    except ValueError:
        return None


def slice_ports(subset: EndpointSubset) -> list[EndpointPort]:
    return [
        EndpointPort(name=p.name, port=p.port, protocol=p.protocol or "TCP", app_protocol=p.app_protocol)
        for p in subset.ports
    ]


def address_endpoint(address: EndpointAddress, ready: bool) -> Endpoint:
    return Endpoint(
        addresses=[address.ip],
        conditions=EndpointConditions(ready=ready),
        hostname=address.hostname or None,
        target_ref=address.target_ref,
        node_name=address.node_name,
    )


def desired_mirror(endpoints: Endpoints, max_per_subset: int = MAX_ENDPOINTS_PER_SUBSET) -> Desired:
    desired: Desired = {}
    for subset in endpoints.subsets:
        ports = slice_ports(subset)
        marked = [(a, True) for a in subset.addresses] + [(a, False) for a in subset.not_ready_addresses]
        added = 0
        for address, ready in marked:
            kind = address_type(address.ip)
            if kind is None or added >= max_per_subset:
                continue
            added += 1
            endpoint = address_endpoint(address, ready)
            group = desired.setdefault((kind, ports_key(ports)), (ports, {}))[1]
            group.setdefault(endpoint_key(endpoint), endpoint)
    return desired


def endpoints_owner(endpoints: Endpoints) -> OwnerReference:
    meta = endpoints.metadata
    return OwnerReference(
        api_version="v1",
        kind="Endpoints",
        name=meta.name,
        uid=meta.uid,
        controller=True,
        block_owner_deletion=True,
    )


def mirror_meta(endpoints: Endpoints) -> SliceMeta:
    meta = endpoints.metadata
    labels = {**meta.labels, SERVICE_NAME_LABEL: meta.name, MANAGED_BY_LABEL: CONTROLLER_NAME}
    annotations = {k: v for k, v in meta.annotations.items() if k not in (LAST_APPLIED, TRIGGER_TIME)}

    def new(ports: list[EndpointPort], kind: str) -> EndpointSlice:
        slice_meta = ObjectMeta(
            generate_name=f"{meta.name}-",
            namespace=meta.namespace,
            labels=dict(labels),
            annotations=dict(annotations),
            owner_references=[endpoints_owner(endpoints)],
        )
        return EndpointSlice(metadata=slice_meta, address_type=kind, ports=list(ports), endpoints=[])

    return SliceMeta(labels, annotations, new)
