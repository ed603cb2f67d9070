"""The EndpointSlice writes one sync of a Service makes (EP-11; upstream's Reconcile,
reconcileByAddressType and finalize). Pure.

`plan_slices(service, pods, existing, zone_of, trigger_time, max_per_slice)` returns a
`SlicePlan` of slices to create, update and delete, and the errors to report:
- one address type per Service IP family (`service_families`); slices of another type go;
- pods whose node `zone_of` does not know are left out (an error, so the sync is retried) unless
  `publishNotReadyAddresses`; endpoints without an address of the type are left out;
- per resolved port set, `reconcile_port_map`; slices of port sets nobody has any more go, and so
  do slices of this Service's name not owned by it (a deleted and recreated Service's);
- a Service without any endpoint of a type keeps one empty placeholder slice of it;
- a create and a delete of the same type become an update of the slice to delete (fewer writes),
  and a Service being deleted gets no creates;
- written slices carry `endpoints.kubernetes.io/last-change-trigger-time` (or lose it).
An unchanged state plans nothing: `SlicePlan.empty`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import msgspec

from kubelite.api.core import Pod, Service
from kubelite.api.discovery import Endpoint, EndpointPort, EndpointSlice
from kubelite.controllers.endpoint.desired import TRIGGER_TIME
from kubelite.controllers.endpointslice.endpoints import (
    EndpointKey,
    PortsKey,
    endpoint_key,
    endpoint_ports,
    pod_endpoint,
    ports_key,
)
from kubelite.controllers.endpointslice.portmap import reconcile_port_map
from kubelite.controllers.endpointslice.slices import is_placeholder_of, new_slice, owned_by
from kubelite.controllers.endpointutil.pods import service_families, should_pod_be_in_endpoints

MAX_ENDPOINTS_PER_SLICE = 100
ZoneOf = Callable[[str], str | None]
"""A node's zone ("" without one), or None when the node does not exist."""


@dataclass
class SlicePlan:
    create: list[EndpointSlice] = field(default_factory=list)
    update: list[EndpointSlice] = field(default_factory=list)
    delete: list[EndpointSlice] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.create or self.update or self.delete)


Desired = dict[PortsKey, tuple[list[EndpointPort], dict[EndpointKey, Endpoint]]]


def desired_endpoints(
    service: Service, pods: Iterable[Pod], address_type: str, zone_of: ZoneOf
) -> tuple[Desired, list[str]]:
    desired: Desired = {}
    errors: list[str] = []
    meta = service.metadata
    for pod in pods:
        if not should_pod_be_in_endpoints(pod, True):
            continue
        zone = zone_of(pod.spec.node_name)
        if zone is None and not service.spec.publish_not_ready_addresses:
            errors.append(
                f"skipping Pod {pod.metadata.name} for Service {meta.namespace}/{meta.name}: "
                f"Node {pod.spec.node_name} Not Found"
            )
            continue
        endpoint = pod_endpoint(pod, service, address_type, zone)
        if endpoint.addresses:
            ports = endpoint_ports(service, pod)
            desired.setdefault(ports_key(ports), (ports, {}))[1][endpoint_key(endpoint)] = endpoint
    return desired, errors


def _by_type(
    service: Service,
    pods: list[Pod],
    existing: list[EndpointSlice],
    address_type: str,
    zone_of: ZoneOf,
    max_per_slice: int,
) -> SlicePlan:
    desired, errors = desired_endpoints(service, pods, address_type, zone_of)
    plan = SlicePlan(errors=errors)
    existing_by_ports: dict[PortsKey, list[EndpointSlice]] = {}
    for endpoint_slice in existing:
        if owned_by(endpoint_slice, service):
            existing_by_ports.setdefault(ports_key(endpoint_slice.ports), []).append(endpoint_slice)
        else:
            plan.delete.append(endpoint_slice)
    for key, (ports, endpoints) in desired.items():
        create, update, delete = reconcile_port_map(
            service, existing_by_ports.get(key, []), endpoints, ports, address_type, max_per_slice
        )
        plan.create += create
        plan.update += update
        plan.delete += delete
    for key, slices in existing_by_ports.items():
        if key not in desired:
            plan.delete += slices
    if len(plan.delete) == len(existing) and not plan.create:
        if len(plan.delete) == 1 and is_placeholder_of(plan.delete[0], service, address_type):
            plan.delete = []
        else:
            plan.create.append(new_slice(service, [], address_type))
    _reuse_deleted(plan, service)
    return plan


def _reuse_deleted(plan: SlicePlan, service: Service) -> None:
    """Turn creates into updates of slices about to be deleted (same type, owned by the Service)."""
    reusable = [s for s in plan.delete if owned_by(s, service)]
    while plan.create and reusable:
        old, fresh = reusable.pop(), plan.create.pop()
        plan.delete.remove(old)
        meta = msgspec.structs.replace(old.metadata, labels=fresh.metadata.labels)
        plan.update.append(msgspec.structs.replace(fresh, metadata=meta))


def _annotate(endpoint_slice: EndpointSlice, trigger_time: str | None) -> None:
    annotations = dict(endpoint_slice.metadata.annotations)
    annotations.pop(TRIGGER_TIME, None)
    if trigger_time is not None:
        annotations[TRIGGER_TIME] = trigger_time
    endpoint_slice.metadata.annotations = annotations


def plan_slices(
    service: Service,
    pods: list[Pod],
    existing: list[EndpointSlice],
    zone_of: ZoneOf,
    trigger_time: str | None = None,
    max_per_slice: int = MAX_ENDPOINTS_PER_SLICE,
) -> SlicePlan:
    families = service_families(service)
    plan = SlicePlan(delete=[s for s in existing if s.address_type not in families])
    for address_type in families:
        of_type = [s for s in existing if s.address_type == address_type]
        part = _by_type(service, pods, of_type, address_type, zone_of, max_per_slice)
        plan.create += part.create
        plan.update += part.update
        plan.delete += part.delete
        plan.errors += part.errors
    if service.metadata.deletion_timestamp is not None:
        plan.create = []
    for endpoint_slice in [*plan.create, *plan.update]:
        _annotate(endpoint_slice, trigger_time)
    return plan
