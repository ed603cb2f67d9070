"""The reflector: keeps a sink in step with the API by list, then watch (F1–F5).

Loop, until cancelled:
1. LIST the kind (with the informer's namespace and selectors) and hand the result to
   `sink.replace(items, resource_version)`.
2. WATCH from the list's resourceVersion; each ADDED/MODIFIED/DELETED goes to `sink.apply`, and the
   last seen resourceVersion advances (BOOKMARKs only advance it).
3. When the watch ends normally, watch again from the last resourceVersion (no relist). When it
   reports 410 Expired (an ERROR event or a `Gone`), wait for the next `Backoff` delay, then go
   back to 1: the relist turns every deletion the watch missed into a tombstone.
4. Any other failure (list error, watch error, a watch that ends within a second having delivered
   nothing) is logged and retried after the next `Backoff` delay.

One `Backoff` paces both, as client-go's reflector runs every list-and-watch round through one
backoff manager (`wait.BackoffUntil`): 0.8 s doubling to 30 s, jittered by up to 100 %, reset after
2 min without a retry. So a watch window that keeps expiring cannot turn into a relist storm.

The reflector never exits on an ordinary exception, so a watch cannot die silently; cancellation
and `BaseException`s propagate to the enclosing task group. Progress is visible through `state`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

import structlog

from kubelite.api.errors import Gone
from kubelite.api.meta import Object
from kubelite.api.results import WatchEvent
from kubelite.client.interface import Reader, Watcher
from kubelite.clock import Clock
from kubelite.informers.backoff import Backoff

T = TypeVar("T", bound=Object)
T_contra = TypeVar("T_contra", bound=Object, contravariant=True)

log = structlog.get_logger("kubelite.informers")
VERY_SHORT_WATCH = 1.0


class WatchFailed(Exception):
    """A watch reported an error other than 410, or ended abnormally fast."""


class ReflectorClient(Reader, Watcher, Protocol):
    """The part of `Client` a reflector uses."""


class Sink(Protocol[T_contra]):
    def replace(self, items: Sequence[T_contra], resource_version: str) -> None: ...

    def apply(self, event_type: str, obj: T_contra) -> None: ...


@dataclass(slots=True)
class ReflectorState:
    """What the reflector has done, for health checks and tests."""

    lists: int = 0
    watches: int = 0
    events: int = 0
    failures: int = 0
    expirations: int = 0
    """Watches that ended in 410 Expired (each followed by a backed-off relist)."""
    last_resource_version: str = ""
    last_event_at: float | None = None
    last_error: str = ""
    watching: bool = False


@dataclass(slots=True)
class Reflector(Generic[T]):
    client: ReflectorClient
    kind: type[T]
    sink: Sink[T]
    clock: Clock
    backoff: Backoff
    namespace: str | None = None
    label_selector: str | None = None
    field_selector: str | None = None
    state: ReflectorState = field(default_factory=ReflectorState)

    async def run(self) -> None:
        """List and watch forever; only cancellation ends it."""
        while True:
            try:
                await self._list_and_watch()
            except AssertionError:
                raise  # a broken invariant (e.g. a mutated cache object) must fail loudly
            except Exception as err:  # API errors, transport errors, a sink's bug: log and retry
                await self._failed(err)
            else:
                await self._expired()

    async def _expired(self) -> None:
        """The watch window moved past us (410): back off, then relist."""
        self.state.expirations += 1
        delay = self.backoff.next_delay()
        log.info("relist_after_expiry", kind=self.kind.__name__, relist_in=delay)
        await self.clock.sleep(delay)

    async def _failed(self, err: Exception) -> None:
        self.state.failures += 1
        self.state.watching = False
        self.state.last_error = f"{type(err).__name__}: {err}"
        delay = self.backoff.next_delay()
        log.warning("reflector_failed", kind=self.kind.__name__, error=self.state.last_error, retry_in=delay)
        await self.clock.sleep(delay)

    async def _list_and_watch(self) -> None:
        """List, then watch until a watch reports 410 (return) or fails (raise)."""
        await self._list()
        while await self._watch_once():
            pass

    async def _list(self) -> None:
        """List into the sink. A method of its own so the listed objects are freed when it returns,
        not held for as long as the watch that follows runs."""
        listed = await self.client.list(
            self.kind, self.namespace, label_selector=self.label_selector, field_selector=self.field_selector
        )
        self.state.lists += 1
        self.sink.replace(listed.items, listed.resource_version)
        self.state.last_resource_version = listed.resource_version

    async def _watch_once(self) -> bool:
        """Watch from the last resourceVersion; False means "relist" (410)."""
        started = self.clock.monotonic()
        delivered = 0
        self.state.watches += 1
        self.state.watching = True
        try:
            async with self.client.watch(
                self.kind,
                self.namespace,
                resource_version=self.state.last_resource_version,
                label_selector=self.label_selector,
                field_selector=self.field_selector,
            ) as stream:
                async for event in stream:
                    if not self._handle(event):
                        return False
                    delivered += 1
        except Gone:
            return False
        finally:
            self.state.watching = False
        if delivered == 0 and self.clock.monotonic() - started < VERY_SHORT_WATCH:
            raise WatchFailed("very short watch: ended within a second with no events")
        return True

    def _handle(self, event: WatchEvent[T]) -> bool:
        if event.type == "ERROR":
            status = event.status
            if status is not None and status.code == 410:
                log.info("watch_expired", kind=self.kind.__name__, message=status.message)
                return False
            raise WatchFailed(status.message if status is not None else "watch error")
        obj = event.object
        if obj is None:
            return True
        if event.type != "BOOKMARK":
            self.sink.apply(event.type, obj)
            self.state.events += 1
            self.state.last_event_at = self.clock.monotonic()
        self.state.last_resource_version = obj.metadata.resource_version
        return True
