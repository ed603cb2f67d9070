"""What each pod contributes to a Service's Endpoints, before repacking (EP-2..EP-5, EP-7). Pure.

`endpoint_entries(service, pods)` gives one `Entry(address, port, ready)` per included pod and
resolved Service port (`port` None for a headless Service without ports, EP-7):
- a pod is included by `should_pod_be_in_endpoints(pod, publishNotReadyAddresses)` (EP-2) and
  when it has an IP of the Service's family (`ip_family`); others are skipped;
- `ready` is `publishNotReadyAddresses` or the pod's Ready condition (EP-3);
- the address is `{ip, nodeName, targetRef {kind: Pod, namespace, name, uid}}`, with `hostname`
  when `should_set_hostname` (EP-4); a pod without a node gets no `nodeName`;
- each Service port resolves per pod through `find_port`; a pod whose named port does not resolve
  is left out of that port only (EP-5). A Service with no ports that is not headless gets nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kubelite.api.core import EndpointAddress, EndpointPort, ObjectReference, Pod, Service, ServicePort
from kubelite.controllers.endpointutil.pods import (
    find_port,
    ip_family,
    ips_of_family,
    is_headless_without_ports,
    is_pod_ready,
    protocol_of,
    should_pod_be_in_endpoints,
    should_set_hostname,
)


@dataclass(frozen=True, slots=True)
class Entry:
    address: EndpointAddress
    port: EndpointPort | None
    ready: bool


def pod_address(service: Service, pod: Pod) -> EndpointAddress | None:
    ips = ips_of_family(pod, ip_family(service, pod))
    if not ips:
        return None
    meta = pod.metadata
    return EndpointAddress(
        ip=ips[0],
        hostname=pod.spec.hostname if should_set_hostname(pod, service) else "",
        node_name=pod.spec.node_name or None,
        target_ref=ObjectReference(kind="Pod", namespace=meta.namespace, name=meta.name, uid=meta.uid),
    )


def endpoint_port(port: ServicePort, number: int) -> EndpointPort:
    return EndpointPort(
        port=number, name=port.name, protocol=protocol_of(port), app_protocol=port.app_protocol
    )


def pod_entries(service: Service, pod: Pod) -> list[Entry]:
    publish = service.spec.publish_not_ready_addresses
    if not should_pod_be_in_endpoints(pod, publish):
        return []
    address = pod_address(service, pod)
    if address is None:
        return []
    ready = publish or is_pod_ready(pod)
    if not service.spec.ports:
        return [Entry(address, None, ready)] if is_headless_without_ports(service) else []
    entries = []
    for port in service.spec.ports:
        number = find_port(pod, port)
        if number is not None:
            entries.append(Entry(address, endpoint_port(port, number), ready))
    return entries


def endpoint_entries(service: Service, pods: Iterable[Pod]) -> list[Entry]:
    return [entry for pod in pods for entry in pod_entries(service, pod)]
