"""The Endpoints object a Service should have, and whether the stored one already is it. Pure.

`plan_endpoints(service, pods, current, trigger_time)` (or `plan_endpoints_of` with the pods'
entries already computed) returns the object to create (when
`current` is None) or to update, or None when `current` is already right (EP-9: nothing is
written unless the subsets, the labels or the over-capacity mark differ):
- subsets: the entries of `addresses` repacked (EP-6) and truncated to 1000 (EP-10);
- labels: the Service's, plus `service.kubernetes.io/headless: ""` when it has no cluster IP,
  without it otherwise (EP-8);
- annotations: the stored ones, with `endpoints.kubernetes.io/last-change-trigger-time` set to
  `trigger_time` (removed when None) and `endpoints.kubernetes.io/over-capacity: truncated` exactly
  when truncated (EP-8, EP-10).
Upstream compares the untruncated subsets with the stored (truncated) ones, so an over-capacity
Service is rewritten on every sync; kubelite compares what it would write, so it is not.
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from kubelite.api.core import Endpoints, EndpointSubset, Pod, Service
from kubelite.api.meta import ObjectMeta
from kubelite.controllers.endpoint.addresses import Entry, endpoint_entries
from kubelite.controllers.endpoint.capacity import MAX_CAPACITY, OVER_CAPACITY, TRUNCATED, truncate
from kubelite.controllers.endpoint.repack import repack
from kubelite.controllers.endpointutil.pods import is_service_ip_set

HEADLESS_LABEL = "service.kubernetes.io/headless"
TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time"


def desired_subsets(
    service: Service, pods: Iterable[Pod], capacity: int = MAX_CAPACITY
) -> tuple[list[EndpointSubset], bool]:
    return truncate(repack(endpoint_entries(service, pods)), capacity)


def desired_labels(service: Service) -> dict[str, str]:
    labels = dict(service.metadata.labels)
    if is_service_ip_set(service):
        labels.pop(HEADLESS_LABEL, None)
    else:
        labels[HEADLESS_LABEL] = ""
    return labels


def _annotations(current: dict[str, str], trigger_time: str | None, truncated: bool) -> dict[str, str]:
    annotations = {k: v for k, v in current.items() if k not in (TRIGGER_TIME, OVER_CAPACITY)}
    if trigger_time is not None:
        annotations[TRIGGER_TIME] = trigger_time
    if truncated:
        annotations[OVER_CAPACITY] = TRUNCATED
    return annotations


def up_to_date(
    current: Endpoints, subsets: list[EndpointSubset], labels: dict[str, str], truncated: bool
) -> bool:
    marked = current.metadata.annotations.get(OVER_CAPACITY) == TRUNCATED
    return current.subsets == subsets and current.metadata.labels == labels and marked == truncated


def plan_endpoints(
    service: Service,
    pods: Iterable[Pod],
    current: Endpoints | None,
    trigger_time: str | None,
    capacity: int = MAX_CAPACITY,
) -> Endpoints | None:
    return plan_endpoints_of(service, endpoint_entries(service, pods), current, trigger_time, capacity)


def plan_endpoints_of(
    service: Service,
    entries: Iterable[Entry],
    current: Endpoints | None,
    trigger_time: str | None,
    capacity: int = MAX_CAPACITY,
) -> Endpoints | None:
    """`plan_endpoints` from the pods' entries (`addresses.pod_entries`), already computed."""
    subsets, truncated = truncate(repack(entries), capacity)
    labels = desired_labels(service)
    if current is not None and up_to_date(current, subsets, labels, truncated):
        return None
    if current is None:
        meta = ObjectMeta(name=service.metadata.name, namespace=service.metadata.namespace)
    else:
        meta = msgspec.structs.replace(current.metadata)
    meta.labels = labels
    meta.annotations = _annotations(meta.annotations, trigger_time, truncated)
    return Endpoints(metadata=meta, subsets=subsets)
