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
- The cache stores encodings (see `cache`), so every lister read is the caller's own copy. The
  shared objects are the ones delivered to handlers: all handlers of one event get the same objects
  (the new and the old one of an update, the deleted object, a tombstone's last state, a resync's
  object) and must not mutate them. With `detect_mutation=True` the informer re-encodes each of
  them after the handlers ran and raises `CacheMutationError` (an AssertionError, so it propagates
  and stops the informer loudly) if a handler changed one; `verify_all` raises again later.
- A handler that raises is logged, counted in `InformerHealth.handler_errors` (and the
  `kubelite_informer_handler_errors_total` metric), and the event still reaches every other handler.
- An index function that raises for an object (`IndexFuncError`) does not stop the informer. That
  version of the object is refused: the cache keeps its previous version of the key (or none), every
  index stays consistent, and no handler hears of it. The refusal is surfaced once per key and
  resourceVersion: one `informer_index_failed` error log, one count in the
  `kubelite_informer_index_errors_total{kind,index}` metric and in `InformerHealth.index_errors`;
  `InformerHealth.rejected` counts the keys currently refused and `last_index_error` names the last
  key and index. A relist or resync that delivers the same version again is silent (no log, no
  count, no same-resourceVersion events), unlike client-go, whose indexer error makes the reflector
  relist forever. A later version that indexes cleanly, or a deletion, clears the refusal. All other
  objects keep flowing.
- `resync_period > 0` re-delivers every cached object as `on_update(obj, obj)` on that period (F7).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

import anyio
import msgspec

from kubelite.api.meta import Object
from kubelite.clock import Clock
from kubelite.informers.backoff import Backoff, BackoffSettings
from kubelite.informers.cache import Indexer, IndexFunc, IndexFuncError, object_key
from kubelite.informers.handlers import DeletedFinalStateUnknown, EventHandlers
from kubelite.informers.health import FailureLedger, InformerHealth
from kubelite.informers.metrics import InformerMetrics
from kubelite.informers.reflector import Reflector, ReflectorClient, ReflectorState

T = TypeVar("T", bound=Object)

__all__ = ["CacheMutationError", "InformerHealth", "SharedInformer"]


class CacheMutationError(AssertionError):
    """Somebody mutated an object owned by a shared cache."""


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
        metrics: InformerMetrics | None = None,
    ) -> None:
        self.kind = kind
        self.indexer: Indexer[T] = Indexer(kind)
        self._clock = clock
        self._handlers: list[EventHandlers[T]] = []
        self._synced = anyio.Event()
        self._resync_period = resync_period
        self._detect_mutation = detect_mutation
        self._encode = msgspec.msgpack.Encoder().encode
        self._mutated: list[str] = []
        self._ledger = FailureLedger(kind.__name__, metrics)
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
        """Add indices (all or, raising `IndexFuncError` for a cached object, none)."""
        self.indexer.add_indexers(indexers)

    def add_event_handler(self, handlers: EventHandlers[T]) -> None:
        self._handlers.append(handlers)
        if self.has_synced and handlers.on_add is not None:
            for obj in self.indexer.values():
                self._call(handlers.on_add, obj, True)

    async def run(self) -> None:
        async with anyio.create_task_group() as tg:
            tg.start_soon(self.reflector.run)
            if self._resync_period > 0:
                tg.start_soon(self._resync_loop)

    def health(self) -> InformerHealth:
        state, ledger = self.reflector.state, self._ledger
        age = None if state.last_event_at is None else self._clock.monotonic() - state.last_event_at
        return InformerHealth(
            kind=self.kind.__name__,
            synced=self.has_synced,
            watching=state.watching,
            objects=len(self.indexer),
            failures=state.failures,
            last_event_age=age,
            last_error=state.last_error,
            rejected=len(ledger.rejected),
            index_errors=ledger.index_errors,
            last_index_error=ledger.last_index_error,
            handler_errors=ledger.handler_errors,
            last_handler_error=ledger.last_handler_error,
        )

    # Sink protocol, called by the reflector.

    def replace(self, items: Sequence[T], resource_version: str) -> None:
        initial = not self.has_synced
        listed: set[str] = set()
        for obj in items:
            listed.add(object_key(obj))
            self._put(obj, initial)
        for key in [k for k in self.indexer.list_keys() if k not in listed]:
            self._delete(key, None)
        self._ledger.keep_only(listed)
        self._synced.set()

    def apply(self, event_type: str, obj: T) -> None:
        if event_type == "DELETED":
            self._delete(object_key(obj), obj)
        else:
            self._put(obj, False)

    def _put(self, obj: T, initial: bool) -> None:
        key = object_key(obj)
        before = self.indexer.encoded(key) if self._detect_mutation else None
        try:
            old = self.indexer.put(obj)
        except IndexFuncError as err:
            self._ledger.index_failed(obj.metadata.resource_version, err)
            return
        self._ledger.admitted(key)
        for handlers in self._handlers:
            if old is None:
                if handlers.on_add is not None:
                    self._call(handlers.on_add, obj, initial)
            elif handlers.on_update is not None:
                self._call(handlers.on_update, old, obj)
        if self._detect_mutation:
            self._check(key, obj, self.indexer.encoded(key), "new object")
            if old is not None:
                self._check(key, old, before, "old object of an update")

    def _delete(self, key: str, deleted: T | None) -> None:
        """Remove `key`; tell handlers with `deleted` (a watch event) or else a tombstone."""
        stored = self.indexer.encoded(key)
        old = self.indexer.remove(key)
        self._ledger.admitted(key)
        if old is None:
            return  # Q2: a deletion of an object the cache never held is dropped
        if deleted is None:
            self._dispatch_delete(DeletedFinalStateUnknown(key, old))
            if self._detect_mutation:
                self._check(key, old, stored, "tombstone's object")
            return
        snapshot = self._encode(deleted) if self._detect_mutation else None
        self._dispatch_delete(deleted)
        self._check(key, deleted, snapshot, "deleted object")

    def _dispatch_delete(self, obj: T | DeletedFinalStateUnknown[T]) -> None:
        for handlers in self._handlers:
            if handlers.on_delete is not None:
                self._call(handlers.on_delete, obj)

    def _check(self, key: str, obj: T, expected: bytes | None, what: str) -> None:
        if expected is not None and self._encode(obj) != expected:
            self._mutated.append(key)
            raise CacheMutationError(f"{self.kind.__name__} {key} ({what}) was mutated by an event handler")

    def verify_all(self) -> None:
        """Raise `CacheMutationError` if a handler ever mutated a delivered object (tests call this)."""
        if self._mutated:
            raise CacheMutationError(f"{self.kind.__name__} objects mutated by handlers: {self._mutated}")

    async def _resync_loop(self) -> None:
        await self.wait_synced()
        while True:
            await self._clock.sleep(self._resync_period)
            self._resync()

    def _resync(self) -> None:
        for key in self.indexer.list_keys():
            obj = self.indexer.get(key)
            if obj is None:
                continue
            for handlers in self._handlers:
                if handlers.on_update is not None:
                    self._call(handlers.on_update, obj, obj)
            if self._detect_mutation:
                self._check(key, obj, self.indexer.encoded(key), "resynced object")

    def _call(self, func: Callable[..., None], *args: object) -> None:
        try:
            func(*args)
        except Exception as err:
            self._ledger.handler_failed(getattr(func, "__qualname__", repr(func)), err)
