"""What an informer tells its subscribers (client-go's ResourceEventHandler, H1–H3).

- `on_add(obj, is_in_initial_list)`: a new key; `is_in_initial_list` is True for objects delivered by
  the first list (or replayed to a handler added to a running informer, H3).
- `on_update(old, new)`: a key already in the cache changed. A relist or resync delivers
  `on_update` even when nothing changed (same resourceVersion, H2); handlers usually ignore those.
- `on_delete(obj)`: the key is gone. When the informer learns of a deletion only by a relist (the
  watch missed it), `obj` is a `DeletedFinalStateUnknown` tombstone holding the last known state.

Handlers are plain synchronous callables run on the event loop, in event order. They must be quick
(enqueue a key, no I/O): business logic belongs in reconcilers. kubelite chooses synchronous
delivery over client-go's per-listener goroutines: on one event loop a slow handler costs the same
either way, and direct calls keep delivery latency at microseconds. A handler that raises is logged
and the event still reaches every other handler.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from kubelite.api.meta import Object

T = TypeVar("T", bound=Object)


@dataclass(frozen=True, slots=True)
class DeletedFinalStateUnknown(Generic[T]):
    """A deletion seen only through a relist: `obj` is the last state the cache held."""

    key: str
    obj: T


@dataclass(frozen=True, slots=True)
class EventHandlers(Generic[T]):
    """A set of callbacks; any may be None."""

    on_add: Callable[[T, bool], None] | None = None
    on_update: Callable[[T, T], None] | None = None
    on_delete: Callable[[T | DeletedFinalStateUnknown[T]], None] | None = None


def unwrap(obj: T | DeletedFinalStateUnknown[T]) -> T:
    """The object inside a tombstone, or the object itself."""
    return obj.obj if isinstance(obj, DeletedFinalStateUnknown) else obj
