"""Event handlers that turn informer events into reconcile requests ("for", "owns", "watches").

- `enqueue_object`: the object's own key (a controller's primary kind).
- `enqueue_controller_owner(kind)`: the key of the object's controlling owner when that owner is of
  `kind` (a controller's owned kinds, through `ownerReferences[controller=true]`). On update, both
  the old and the new owner are enqueued if the controller reference changed.
- `enqueue_mapped(fn)`: whatever keys `fn(obj)` returns (any other relation).
Handlers only compute keys and enqueue; no I/O, no business logic. Tombstones are unwrapped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from kubelite.api.meta import Object, OwnerReference
from kubelite.controllers.runtime.reconcile import Request
from kubelite.informers.handlers import DeletedFinalStateUnknown, EventHandlers, unwrap

T = TypeVar("T", bound=Object)
Enqueue = Callable[[Request], None]
Mapper = Callable[[T], Iterable[Request]]


def request_for(obj: Object) -> Request:
    return Request(obj.metadata.namespace, obj.metadata.name)


def controller_ref(obj: Object) -> OwnerReference | None:
    for ref in obj.metadata.owner_references:
        if ref.controller:
            return ref
    return None


def enqueue_mapped(enqueue: Enqueue, mapper: Mapper[T]) -> EventHandlers[T]:
    def add(obj: T, initial: bool) -> None:
        for request in mapper(obj):
            enqueue(request)

    def update(old: T, new: T) -> None:
        seen = set(mapper(new))
        for request in seen:
            enqueue(request)
        for request in mapper(old):
            if request not in seen:
                enqueue(request)

    def delete(obj: T | DeletedFinalStateUnknown[T]) -> None:
        for request in mapper(unwrap(obj)):
            enqueue(request)

    return EventHandlers(on_add=add, on_update=update, on_delete=delete)


def enqueue_object(enqueue: Enqueue) -> EventHandlers[Object]:
    return enqueue_mapped(enqueue, lambda obj: [request_for(obj)])


def enqueue_controller_owner(enqueue: Enqueue, owner_kind: str) -> EventHandlers[Object]:
    def owner(obj: Object) -> list[Request]:
        ref = controller_ref(obj)
        if ref is None or ref.kind != owner_kind:
            return []
        return [Request(obj.metadata.namespace, ref.name)]

    return enqueue_mapped(enqueue, owner)
