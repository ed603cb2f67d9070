"""Fitting one port set's desired endpoints into that port set's existing slices with the fewest
writes (EP-11; upstream's reconcileByPortMapping). Pure.

`reconcile_port_map(owner, existing, desired, ports, address_type, max_per_slice)` returns
`(create, update, delete)`; `owner` is a Service (its `slice_labels` and `new_slice`) or a
`SliceMeta` (the labels, and annotations if they are managed too, every slice must carry, and how
to make a new slice; the mirroring controller's Endpoints):
1. each existing slice keeps the endpoints still desired (in their new version, in place) and
   drops the others; a slice that changed is updated, or deleted when nothing is left in it; a
   slice whose only change is its labels (or managed annotations) is updated; the others are
   unchanged;
2. endpoints not placed yet first fill the slices being updated anyway, fullest first;
3. what is left goes, when it is less than a slice, into the unchanged slice it fills closest to
   full, else into new slices of at most `max_per_slice`.
So one pod's change rewrites only the slice that holds it, and a new pod joins a slice already
being written when there is one. New endpoints are placed in key order (upstream: any order).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import msgspec

from kubelite.api.core import Service
from kubelite.api.discovery import Endpoint, EndpointPort, EndpointSlice
from kubelite.controllers.endpointslice.endpoints import EndpointKey, endpoint_key
from kubelite.controllers.endpointslice.slices import new_slice, slice_labels

Plan = tuple[list[EndpointSlice], list[EndpointSlice], list[EndpointSlice]]


@dataclass(frozen=True)
class SliceMeta:
    labels: dict[str, str]
    annotations: dict[str, str] | None
    """None: annotations are not this planner's (left as they are)."""
    new: Callable[[list[EndpointPort], str], EndpointSlice]
    """A new empty slice for (ports, address type)."""

    def differs(self, endpoint_slice: EndpointSlice) -> bool:
        meta = endpoint_slice.metadata
        return meta.labels != self.labels or (
            self.annotations is not None and meta.annotations != self.annotations
        )


def service_slice_meta(service: Service) -> SliceMeta:
    return SliceMeta(slice_labels(service), None, lambda ports, kind: new_slice(service, ports, kind))


def _with(endpoint_slice: EndpointSlice, endpoints: list[Endpoint], labels: SliceMeta) -> EndpointSlice:
    changes: dict[str, object] = {"labels": labels.labels}
    if labels.annotations is not None:
        changes["annotations"] = labels.annotations
    meta = msgspec.structs.replace(endpoint_slice.metadata, **changes)
    return msgspec.structs.replace(endpoint_slice, metadata=meta, endpoints=endpoints)


def _keep_desired(
    existing: list[EndpointSlice], desired: dict[EndpointKey, Endpoint], labels: SliceMeta
) -> tuple[list[EndpointSlice], dict[str, EndpointSlice], list[EndpointSlice]]:
    """Step 1: (unchanged, to update by name, to delete); placed endpoints leave `desired`."""
    unchanged: list[EndpointSlice] = []
    update: dict[str, EndpointSlice] = {}
    delete: list[EndpointSlice] = []
    for endpoint_slice in sorted(existing, key=lambda s: s.metadata.name):
        kept, changed = [], False
        for endpoint in endpoint_slice.endpoints:
            wanted = desired.pop(endpoint_key(endpoint), None)
            if wanted is not None:
                kept.append(wanted)
                changed = changed or wanted != endpoint
        if changed or len(kept) != len(endpoint_slice.endpoints):
            if kept:
                update[endpoint_slice.metadata.name] = _with(endpoint_slice, kept, labels)
            else:
                delete.append(endpoint_slice)
        elif labels.differs(endpoint_slice):
            update[endpoint_slice.metadata.name] = _with(endpoint_slice, kept, labels)
        else:
            unchanged.append(endpoint_slice)
    return unchanged, update, delete


def _fill(endpoints: list[Endpoint], remaining: list[Endpoint], max_per_slice: int) -> None:
    room = max(max_per_slice - len(endpoints), 0)
    endpoints.extend(remaining[:room])
    del remaining[:room]


def _closest_to_full(slices: list[EndpointSlice], count: int, max_per_slice: int) -> EndpointSlice | None:
    fitting = [s for s in slices if len(s.endpoints) + count <= max_per_slice]
    return max(fitting, key=lambda s: len(s.endpoints), default=None)


def reconcile_port_map(
    owner: Service | SliceMeta,
    existing: list[EndpointSlice],
    desired: dict[EndpointKey, Endpoint],
    ports: list[EndpointPort],
    address_type: str,
    max_per_slice: int,
) -> Plan:
    labels = owner if isinstance(owner, SliceMeta) else service_slice_meta(owner)
    wanted = dict(desired)
    unchanged, update, delete = _keep_desired(existing, wanted, labels)
    remaining = [wanted[key] for key in sorted(wanted)]
    for endpoint_slice in sorted(update.values(), key=lambda s: -len(s.endpoints)):
        _fill(endpoint_slice.endpoints, remaining, max_per_slice)
    create: list[EndpointSlice] = []
    while remaining:
        target = None
        if len(remaining) < max_per_slice:
            target = _closest_to_full(unchanged, len(remaining), max_per_slice)
        if target is None:
            fresh = labels.new(ports, address_type)
            _fill(fresh.endpoints, remaining, max_per_slice)
            create.append(fresh)
            continue
        unchanged.remove(target)
        filled = _with(target, list(target.endpoints), labels)
        _fill(filled.endpoints, remaining, max_per_slice)
        update[filled.metadata.name] = filled
    return create, list(update.values()), delete
