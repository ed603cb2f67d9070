"""`ControllerBuilder`: declares what a controller watches (controller-runtime's builder).

`Manager.controller(name, reconciler)` returns one; each call registers informer handlers at once:

- `for_kind(Kind, predicates=...)`: the controller's primary kind; each event enqueues the object's
  own key. Once per controller (a second call raises `ValueError`).
- `owns(Kind, predicates=...)`: objects this controller creates; each event enqueues the key of the
  object's controlling owner when that owner is of the `for_kind` kind (`owner_kind=` names another
  owner kind; with neither, `ValueError`).
- `watches(Kind, mapper, predicates=...)`: any other relation; `mapper(obj)` returns the keys.

Predicates (see `predicates`) filter events before any key is computed. When the manager is already
running, the builder's `on_watch` hook starts the informers it asked for, so a late watch is live.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Self, TypeVar

from kubelite.api.meta import Object
from kubelite.controllers.runtime.controller import Controller
from kubelite.controllers.runtime.handlers import (
    Mapper,
    enqueue_controller_owner,
    enqueue_mapped,
    enqueue_object,
)
from kubelite.controllers.runtime.predicates import Predicate, filtered
from kubelite.informers.factory import SharedInformerFactory
from kubelite.informers.handlers import EventHandlers

T = TypeVar("T", bound=Object)


def _nothing() -> None:
    return None


@dataclass(slots=True)
class ControllerBuilder:
    """What one controller watches; see the module docstring."""

    controller: Controller
    factory: SharedInformerFactory
    on_watch: Callable[[], None] = _nothing
    """Called after each new watch (the manager starts informers it has not started yet)."""
    kinds: list[type[Object]] = field(default_factory=list)
    for_type: type[Object] | None = None

    def for_kind(self, kind: type[T], *, predicates: Iterable[Predicate] = ()) -> Self:
        if self.for_type is not None:
            raise ValueError(
                f"controller {self.controller.name!r} already reconciles {self.for_type.__name__}: "
                "for_kind may be called only once"
            )
        self.for_type = kind
        return self._watch(kind, enqueue_object(self.controller.enqueue), predicates)

    def owns(
        self, kind: type[T], owner_kind: str | None = None, *, predicates: Iterable[Predicate] = ()
    ) -> Self:
        if owner_kind is None:
            if self.for_type is None:
                raise ValueError(
                    f"controller {self.controller.name!r}: call for_kind before owns, or pass owner_kind"
                )
            owner_kind = self.for_type.__name__
        return self._watch(kind, enqueue_controller_owner(self.controller.enqueue, owner_kind), predicates)

    def watches(self, kind: type[T], mapper: Mapper[T], *, predicates: Iterable[Predicate] = ()) -> Self:
        return self._watch(kind, enqueue_mapped(self.controller.enqueue, mapper), predicates)

    def _watch(self, kind: type[T], handlers: EventHandlers[Any], predicates: Iterable[Predicate]) -> Self:
        self.factory.informer(kind).add_event_handler(filtered(handlers, predicates))
        self.kinds.append(kind)
        self.on_watch()
        return self
