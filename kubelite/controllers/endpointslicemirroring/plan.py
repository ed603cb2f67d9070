"""The EndpointSlice writes one mirroring sync of an Endpoints object makes (EP-11 mirroring;
upstream's endpointslicemirroring reconciler). Pure.

`plan_mirror(endpoints, existing, max_per_subset)` returns a `SlicePlan`:
- with `endpoints` None (mirroring does not apply, `should_mirror`), every existing slice goes;
- slices not owned by this Endpoints (a deleted and recreated one's) go;
- per (address type, port set) of `desired_mirror`, the endpointslice controller's
  `reconcile_port_map` with the mirroring labels, annotations and owner, and slices of at most
  `max_per_subset` endpoints; slices of a port set or type nobody has any more go;
- a create and a delete of an owned slice of the same address type become an update of the slice
  to delete (fewer writes; a changed port keeps its slice).
There is no placeholder slice (an Endpoints without addresses has no slices), and an unchanged
state plans nothing: `SlicePlan.empty`.
"""

from __future__ import annotations

import msgspec

from kubelite.api.core import Endpoints
from kubelite.api.discovery import EndpointSlice
from kubelite.controllers.endpointslice.endpoints import ports_key
from kubelite.controllers.endpointslice.plan import SlicePlan
from kubelite.controllers.endpointslice.portmap import reconcile_port_map
from kubelite.controllers.endpointslicemirroring.desired import (
    MAX_ENDPOINTS_PER_SUBSET,
    MirrorKey,
    desired_mirror,
    mirror_meta,
)


def _owned(endpoint_slice: EndpointSlice, endpoints: Endpoints) -> bool:
    return any(
        ref.uid == endpoints.metadata.uid and ref.kind == "Endpoints" and ref.controller
        for ref in endpoint_slice.metadata.owner_references
    )


def plan_mirror(
    endpoints: Endpoints | None,
    existing: list[EndpointSlice],
    max_per_subset: int = MAX_ENDPOINTS_PER_SUBSET,
) -> SlicePlan:
    if endpoints is None:
        return SlicePlan(delete=list(existing))
    plan = SlicePlan()
    by_key: dict[MirrorKey, list[EndpointSlice]] = {}
    for endpoint_slice in existing:
        if _owned(endpoint_slice, endpoints):
            by_key.setdefault((endpoint_slice.address_type, ports_key(endpoint_slice.ports)), []).append(
                endpoint_slice
            )
        else:
            plan.delete.append(endpoint_slice)
    meta = mirror_meta(endpoints)
    desired = desired_mirror(endpoints, max_per_subset)
    for key, (ports, wanted) in desired.items():
        create, update, delete = reconcile_port_map(
            meta, by_key.pop(key, []), wanted, ports, key[0], max_per_subset
        )
        plan.create += create
        plan.update += update
        plan.delete += delete
    for slices in by_key.values():
        plan.delete += slices
    _reuse_deleted(plan, endpoints)
    return plan


def _reuse_deleted(plan: SlicePlan, endpoints: Endpoints) -> None:
    for fresh in list(plan.create):
        old = next(
            (s for s in plan.delete if _owned(s, endpoints) and s.address_type == fresh.address_type), None
        )
        if old is None:
            continue
        plan.create.remove(fresh)
        plan.delete.remove(old)
        meta = msgspec.structs.replace(
            old.metadata, labels=fresh.metadata.labels, annotations=fresh.metadata.annotations
        )
        plan.update.append(msgspec.structs.replace(fresh, metadata=meta))
