"""Predicates: which informer events of a watch reach a controller's queue (controller-runtime's).

A `Predicate` has one test per event type: `create(obj)`, `update(old, new)`, `delete(obj)`; each
lets the event through unless it returns False, and a hook left out lets everything through
(controller-runtime's `predicate.Funcs`). A watch with several predicates enqueues an event only if
every predicate lets it through (`builder.WithPredicates`); `any_of` combines them with OR instead.
Tombstones are unwrapped before a delete test sees them. Tests are pure and must be quick: they run
inside the informer's event delivery.

Ready-made, after controller-runtime's names:
- `GENERATION_CHANGED`: updates only when `metadata.generation` moved (a spec change; status-only
  and metadata-only writes are skipped, and so are resyncs). Creates and deletes pass.
- `LABELS_CHANGED`, `ANNOTATIONS_CHANGED`: updates only when the labels (annotations) differ.
- `RESOURCE_VERSION_CHANGED`: updates only when `resourceVersion` moved (skips resyncs and relists
  that changed nothing).
- `matching(test)`: `test(obj)` for creates and deletes and `test(new)` for updates
  (`predicate.NewPredicateFuncs`), for a custom filter such as "has this label".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from kubelite.api.meta import Object
from kubelite.informers.handlers import DeletedFinalStateUnknown, EventHandlers, unwrap


def _always(*_: Any) -> bool:
    return True


@dataclass(frozen=True, slots=True)
class Predicate:
    """One test per event type; see the module docstring."""

    create: Callable[[Any], bool] = _always
    update: Callable[[Any, Any], bool] = _always
    delete: Callable[[Any], bool] = _always


def generation_changed(old: Object, new: Object) -> bool:
    return old.metadata.generation != new.metadata.generation


def labels_changed(old: Object, new: Object) -> bool:
    return old.metadata.labels != new.metadata.labels


def annotations_changed(old: Object, new: Object) -> bool:
    return old.metadata.annotations != new.metadata.annotations


def resource_version_changed(old: Object, new: Object) -> bool:
    return old.metadata.resource_version != new.metadata.resource_version


GENERATION_CHANGED = Predicate(update=generation_changed)
LABELS_CHANGED = Predicate(update=labels_changed)
ANNOTATIONS_CHANGED = Predicate(update=annotations_changed)
RESOURCE_VERSION_CHANGED = Predicate(update=resource_version_changed)


def matching(test: Callable[[Any], bool]) -> Predicate:
    """The same test on every event: the object, or for an update the new object."""
    return Predicate(create=test, update=lambda _old, new: test(new), delete=test)


def any_of(*predicates: Predicate) -> Predicate:
    """Lets an event through when at least one of `predicates` does."""
    return Predicate(
        create=lambda obj: any(p.create(obj) for p in predicates),
        update=lambda old, new: any(p.update(old, new) for p in predicates),
        delete=lambda obj: any(p.delete(obj) for p in predicates),
    )


def filtered(handlers: EventHandlers[Any], predicates: Iterable[Predicate]) -> EventHandlers[Any]:
    """`handlers` behind `predicates`: an event reaches a handler only if all of them let it through."""
    tests: Sequence[Predicate] = tuple(predicates)
    if not tests:
        return handlers
    on_add, on_update, on_delete = handlers.on_add, handlers.on_update, handlers.on_delete

    def add(obj: Object, initial: bool) -> None:
        if on_add is not None and all(p.create(obj) for p in tests):
            on_add(obj, initial)

    def update(old: Object, new: Object) -> None:
        if on_update is not None and all(p.update(old, new) for p in tests):
            on_update(old, new)

    def delete(obj: Object | DeletedFinalStateUnknown[Object]) -> None:
        if on_delete is not None and all(p.delete(unwrap(obj)) for p in tests):
            on_delete(obj)

    return EventHandlers(on_add=add, on_update=update, on_delete=delete)
