"""Slice event handlers shared by the EndpointSlice and EndpointSliceMirroring controllers.

`slice_handlers(managed_by, tracker, enqueue)` watches EndpointSlices and enqueues the Service (by
the `kubernetes.io/service-name` label) a slice belongs to when the controller named `managed_by`
must look again: a slice it manages that it did not write in that generation, a delete it did not
expect, or a slice whose Service label or manager changed (both the old and the new Service sync).
Events about slices other controllers manage are ignored. The handlers only enqueue; they read
nothing but the event's objects and the tracker.
"""

from __future__ import annotations

from collections.abc import Callable

from kubelite.api.discovery import EndpointSlice
from kubelite.controllers.endpointslice.slices import MANAGED_BY_LABEL, SERVICE_NAME_LABEL
from kubelite.controllers.endpointslice.tracker import SliceTracker
from kubelite.controllers.runtime import Request
from kubelite.informers import DeletedFinalStateUnknown, EventHandlers, unwrap


def slice_handlers(
    managed_by: str, tracker: SliceTracker, enqueue: Callable[[Request], None]
) -> EventHandlers[EndpointSlice]:
    def managed(endpoint_slice: EndpointSlice) -> bool:
        return endpoint_slice.metadata.labels.get(MANAGED_BY_LABEL) == managed_by

    def sync_service_of(endpoint_slice: EndpointSlice) -> None:
        if name := endpoint_slice.metadata.labels.get(SERVICE_NAME_LABEL):
            enqueue(Request(endpoint_slice.metadata.namespace, name))

    def add(endpoint_slice: EndpointSlice, _initial: bool) -> None:
        if managed(endpoint_slice) and tracker.should_sync(endpoint_slice):
            sync_service_of(endpoint_slice)

    def update(old: EndpointSlice, new: EndpointSlice) -> None:
        moved = old.metadata.labels.get(SERVICE_NAME_LABEL) != new.metadata.labels.get(SERVICE_NAME_LABEL)
        if moved or managed(old) != managed(new):
            sync_service_of(old)
            sync_service_of(new)
        elif managed(new) and tracker.should_sync(new):
            sync_service_of(new)

    def delete(obj: EndpointSlice | DeletedFinalStateUnknown[EndpointSlice]) -> None:
        endpoint_slice = unwrap(obj)
        if managed(endpoint_slice) and tracker.deleted(endpoint_slice):
            sync_service_of(endpoint_slice)

    return EventHandlers(on_add=add, on_update=update, on_delete=delete)
