"""What each pod contributes to a Service's EndpointSlices (EP-11; upstream's podToEndpoint and
getEndpointPorts). Pure.

- Pods are included by `should_pod_be_in_endpoints(pod, True)`: terminating pods stay (EP-2 as the
  slices apply it).
- `endpoint_ports(service, pod)`: one `{name, port, protocol, appProtocol}` per Service port that
  resolves for the pod (`find_port`, EP-5), in Service order; none for a headless Service
  without ports. Pods with different resolved ports go to different slices.
- `pod_endpoint(pod, service, address_type, zone)`: addresses are the pod's IPs of that type;
  conditions `serving` = Ready, `terminating` = has a deletionTimestamp, `ready` = serving and not
  terminating, or always true with `publishNotReadyAddresses`; `nodeName`, `zone` (the node's
  `topology.kubernetes.io/zone`), `targetRef {kind: Pod, namespace, name, uid}` and `hostname`
  when `should_set_hostname` (EP-4).
- `endpoint_key(endpoint)`: an endpoint's identity (addresses, hostname, pod namespace and name),
  so a changed pod updates its endpoint in place.
"""

from __future__ import annotations

from kubelite.api.core import ObjectReference, Pod, Service
from kubelite.api.discovery import Endpoint, EndpointConditions, EndpointPort
from kubelite.controllers.endpointutil.pods import (
    find_port,
    ips_of_family,
    is_headless_without_ports,
    is_pod_ready,
    protocol_of,
    should_set_hostname,
)

ZONE_LABEL = "topology.kubernetes.io/zone"
EndpointKey = tuple[tuple[str, ...], str, str, str]
PortsKey = tuple[tuple[str, int, str, str], ...]


def endpoint_ports(service: Service, pod: Pod) -> list[EndpointPort]:
    if is_headless_without_ports(service):
        return []
    ports = []
    for port in service.spec.ports:
        number = find_port(pod, port)
        if number is not None:
            ports.append(
                EndpointPort(
                    name=port.name, port=number, protocol=protocol_of(port), app_protocol=port.app_protocol
                )
            )
    return ports


def ports_key(ports: list[EndpointPort]) -> PortsKey:
    keys = [(p.name or "", p.port or 0, p.protocol or "", p.app_protocol or "") for p in ports]
    return tuple(sorted(keys))


def pod_endpoint(pod: Pod, service: Service, address_type: str, zone: str | None) -> Endpoint:
    serving = is_pod_ready(pod)
    terminating = pod.metadata.deletion_timestamp is not None
    ready = service.spec.publish_not_ready_addresses or (serving and not terminating)
    meta = pod.metadata
    return Endpoint(
        addresses=ips_of_family(pod, address_type),
        conditions=EndpointConditions(ready=ready, serving=serving, terminating=terminating),
        hostname=pod.spec.hostname if should_set_hostname(pod, service) else None,
        target_ref=ObjectReference(kind="Pod", namespace=meta.namespace, name=meta.name, uid=meta.uid),
        node_name=pod.spec.node_name or None,
        zone=zone or None,
    )


def endpoint_key(endpoint: Endpoint) -> EndpointKey:
    ref = endpoint.target_ref or ObjectReference()
    return tuple(sorted(endpoint.addresses)), endpoint.hostname or "", ref.namespace, ref.name
