"""EndpointSlice metadata the controller owns (EP-11; upstream's newEndpointSlice,
setEndpointSliceLabels, ownedBy). Pure.

- `slice_labels(service)`: the Service's labels without the reserved ones, plus
  `kubernetes.io/service-name=<svc>`, `endpointslice.kubernetes.io/managed-by=
  endpointslice-controller.k8s.io` and `service.kubernetes.io/headless=""` when the Service has no
  cluster IP.
- `new_slice(service, ports, address_type)`: an empty slice with `generateName <svc>-`, those
  labels and the C-3 controller reference to the Service (so the garbage collector removes it with
  the Service).
- `owned_by(slice, service)`: the slice names the Service's UID as owner.
- `is_placeholder_of(slice, service, address_type)`: the slice is what a Service without
  endpoints keeps (no endpoints, no ports, the right labels and owner).
"""

from __future__ import annotations

from kubelite.api.core import Service
from kubelite.api.discovery import EndpointPort, EndpointSlice
from kubelite.api.meta import ObjectMeta, OwnerReference
from kubelite.controllers.endpointutil.pods import is_service_ip_set

SERVICE_NAME_LABEL = "kubernetes.io/service-name"
MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by"
CONTROLLER_NAME = "endpointslice-controller.k8s.io"
HEADLESS_LABEL = "service.kubernetes.io/headless"
RESERVED = (SERVICE_NAME_LABEL, MANAGED_BY_LABEL, HEADLESS_LABEL)


def slice_labels(service: Service) -> dict[str, str]:
    labels = {k: v for k, v in service.metadata.labels.items() if k not in RESERVED}
    if not is_service_ip_set(service):
        labels[HEADLESS_LABEL] = ""
    labels[SERVICE_NAME_LABEL] = service.metadata.name
    labels[MANAGED_BY_LABEL] = CONTROLLER_NAME
    return labels


def service_owner(service: Service) -> OwnerReference:
    meta = service.metadata
    return OwnerReference(
        api_version="v1",
        kind="Service",
        name=meta.name,
        uid=meta.uid,
        controller=True,
        block_owner_deletion=True,
    )


def new_slice(service: Service, ports: list[EndpointPort], address_type: str) -> EndpointSlice:
    meta = ObjectMeta(
        generate_name=f"{service.metadata.name}-",
        namespace=service.metadata.namespace,
        labels=slice_labels(service),
        owner_references=[service_owner(service)],
    )
    return EndpointSlice(metadata=meta, address_type=address_type, ports=list(ports), endpoints=[])


def owned_by(endpoint_slice: EndpointSlice, service: Service) -> bool:
    return any(
        ref.uid == service.metadata.uid and ref.kind == "Service" and ref.api_version == "v1"
        for ref in endpoint_slice.metadata.owner_references
    )


def is_placeholder_of(endpoint_slice: EndpointSlice, service: Service, address_type: str) -> bool:
    return (
        not endpoint_slice.endpoints
        and not endpoint_slice.ports
        and endpoint_slice.address_type == address_type
        and endpoint_slice.metadata.labels == slice_labels(service)
        and endpoint_slice.metadata.owner_references == [service_owner(service)]
    )
