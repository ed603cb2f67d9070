"""`SharedInformer`: one reflector, one indexed cache, many handlers, for one kind (H1–H5, Q2–Q5).

Contract:
- `run()` lists and watches until cancelled (run it in a task group; the factory does). It never
  stops on an API or transport error: the reflector backs off and retries (see `reflector`).
- After the first list has been applied, `has_synced` is True and `wait_synced()` returns. The first
  list's objects reach handlers as `on_add(obj, True)`; later ones as `on_add(obj, False)`.
- A relist turns each listed key into `on_add` (new) or `on_update` (known, H1) and each cached key
  missing from the list into `on_delete(DeletedFinalStateUnknown)` (Q3). A watch DELETED for a key
  the cache does not hold is dropped (Q2).
- `add_event_handler` on a running, synced informer replays the cache to that handler as
  `on_add(obj, True)` before it sees anything else (H3).
- The cache stores encodings (see `cache`), so every lister read is the caller's own copy. The one
  shared object is the one delivered to handlers: all handlers of one event get the same object and
  must not mutate it. With `detect_mutation=True` the informer re-encodes it after the handlers ran
  and raises `CacheMutationError` (an AssertionError, so it propagates) if a handler changed it;
  `verify_all` raises again later for any mutation seen.
- `resync_period > 0` re-delivers every cached object as `on_update(obj, obj)` on that period (F7).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import anyio
import msgspec
import structlog

from kubelite.api.meta import Object
from kubelite.clock import Clock
from kubelite.informers.backoff import Backoff, BackoffSettings
from kubelite.informers.cache import Indexer, IndexFunc, object_key
from kubelite.informers.handlers import DeletedFinalStateUnknown, EventHandlers
from kubelite.informers.reflector import Reflector, ReflectorClient, ReflectorState

T = TypeVar("T", bound=Object)

log = structlog.get_logger("kubelite.informers")


class CacheMutationError(AssertionError):
    """Somebody mutated an object owned by a shared cache."""


@dataclass(frozen=True, slots=True)
class InformerHealth:
    kind: str
    synced: bool
    watching: bool
    objects: int
    failures: int
    last_event_age: float | None
    last_error: str


class SharedInformer(Generic[T]):
    def __init__(
        self,
        client: ReflectorClient,
        kind: type[T],
        *,
        clock: Clock,
        namespace: str | None = None,
        label_selector: str | None = None,
        field_selector: str | None = None,
        resync_period: float = 0.0,
        backoff: BackoffSettings | None = None,
        detect_mutation: bool = False,
    ) -> None:
        self.kind = kind
        self.indexer: Indexer[T] = Indexer(kind)
        self._clock = clock
        self._handlers: list[EventHandlers[T]] = []
        self._synced = anyio.Event()
        self._resync_period = resync_period
        self._detect_mutation = detect_mutation
        self._mutated: list[str] = []
        self.reflector: Reflector[T] = Reflector(
            client=client,
            kind=kind,
            sink=self,
            clock=clock,
            backoff=Backoff(clock, backoff or BackoffSettings()),
            namespace=namespace,
            label_selector=label_selector,
            field_selector=field_selector,
        )

    @property
    def has_synced(self) -> bool:
        return self._synced.is_set()

    @property
    def state(self) -> ReflectorState:
        return self.reflector.state

    async def wait_synced(self) -> None:
        await self._synced.wait()

    def add_indexers(self, indexers: dict[str, IndexFunc[T]]) -> None:
        self.indexer.add_indexers(indexers)

    def add_event_handler(self, handlers: EventHandlers[T]) -> None:
        self._handlers.append(handlers)
        if self.has_synced and handlers.on_add is not None:
            for obj in self.indexer.values():
                _call(handlers.on_add, obj, True)

    async def run(self) -> None:
        async with anyio.create_task_group() as tg:
            tg.start_soon(self.reflector.run)
            if self._resync_period > 0:
                tg.start_soon(self._resync_loop)

    def health(self) -> InformerHealth:
        state = self.reflector.state
        age = None if state.last_event_at is None else self._clock.monotonic() - state.last_event_at
        return InformerHealth(
            kind=self.kind.__name__,
            synced=self.has_synced,
            watching=state.watching,
            objects=len(self.indexer),
            failures=state.failures,
            last_event_age=age,
            last_error=state.last_error,
        )

    # Sink protocol, called by the reflector.

    def replace(self, items: Sequence[T], resource_version: str) -> None:
        initial = not self.has_synced
        listed: set[str] = set()
        for obj in items:
            listed.add(object_key(obj))
            self._put(obj, initial)
        for key in [k for k in self.indexer.list_keys() if k not in listed]:
            old = self._remove(key)
            if old is not None:
                self._dispatch_delete(DeletedFinalStateUnknown(key, old))
        self._synced.set()

    def apply(self, event_type: str, obj: T) -> None:
        if event_type == "DELETED":
            old = self._remove(object_key(obj))
            if old is not None:
                self._dispatch_delete(obj)
            return
        self._put(obj, False)

    def _put(self, obj: T, initial: bool) -> None:
        key = object_key(obj)
        old = self.indexer.put(obj)
        for handlers in self._handlers:
            if old is None:
                if handlers.on_add is not None:
                    _call(handlers.on_add, obj, initial)
            elif handlers.on_update is not None:
                _call(handlers.on_update, old, obj)
        if self._detect_mutation:
            self._check_delivered(key, obj)

    def _remove(self, key: str) -> T | None:
        return self.indexer.remove(key)

    def _dispatch_delete(self, obj: T | DeletedFinalStateUnknown[T]) -> None:
        for handlers in self._handlers:
            if handlers.on_delete is not None:
                _call(handlers.on_delete, obj)

    def _check_delivered(self, key: str, obj: T) -> None:
        if msgspec.msgpack.encode(obj) != self.indexer.encoded(key):
            self._mutated.append(key)
            raise CacheMutationError(f"{self.kind.__name__} {key} was mutated by an event handler")

    def verify_all(self) -> None:
        """Raise `CacheMutationError` if a handler ever mutated a delivered object (tests call this)."""
        if self._mutated:
            raise CacheMutationError(f"{self.kind.__name__} objects mutated by handlers: {self._mutated}")

    async def _resync_loop(self) -> None:
        await self.wait_synced()
        while True:
            await self._clock.sleep(self._resync_period)
            for obj in self.indexer.values():
                for handlers in self._handlers:
                    if handlers.on_update is not None:
                        _call(handlers.on_update, obj, obj)


def _call(func: object, *args: object) -> None:
    try:
        func(*args)  # type: ignore[operator]  # one of the EventHandlers callables
    except Exception:
        log.exception("event_handler_failed", handler=getattr(func, "__qualname__", repr(func)))
