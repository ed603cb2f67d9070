"""WATCH: a typed stream of committed changes for one resource (API-2, F1, F3 of the informer notes).

Starting points, as Kubernetes defines them:
- `resource_version` "" or "0": synthetic ADDED events for every current object that matches, then
  every change after that snapshot;
- a revision R: every change after R. A revision older than the history window yields one ERROR
  event carrying a 410 `Expired` Status ("too old resource version: R (oldest)") and the stream
  ends, so the client relists. A watcher that falls out of the window later gets the same.

With a label or field selector the stream reports transitions as Kubernetes' watch cache does,
judging each change against the object's previous state (carried by the store's event): an object
that starts matching arrives as ADDED, one that stops matching as DELETED (carrying its new state),
whether or not this stream reported it before. Each event's object is decoded for this stream
alone. `close()` (or leaving the `async with`) ends the stream; iteration then stops.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from types import TracebackType

from kubelite.api.errors import BadRequest, Gone
from kubelite.api.meta import Object
from kubelite.api.registry import ResourceInfo
from kubelite.api.results import WatchEvent
from kubelite.apiserver.core import ServerCore
from kubelite.apiserver.read import Matcher
from kubelite.store.interface import Event, EventType, RevisionCompactedError, Watch


def parse_revision(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise BadRequest(f'invalid resource version "{text}"') from None
    if value < 0:
        raise BadRequest(f'invalid resource version "{text}"')
    return value


def expired(requested: int, oldest: int) -> Gone:
    return Gone(f"too old resource version: {requested} ({oldest})")


class WatchStream:
    """An async iterator of `WatchEvent`s; use as `async with server.watch(...) as stream:`."""

    def __init__(
        self,
        core: ServerCore,
        info: ResourceInfo,
        namespace: str | None,
        resource_version: str,
        match: Matcher,
    ) -> None:
        self._core = core
        self._info = info
        self._match = match
        self._initial: list[WatchEvent[Object]] = []
        self._watch: Watch | None = None
        self._closed = False
        self._open(namespace if info.namespaced and namespace else None, resource_version)

    def _open(self, namespace: str | None, resource_version: str) -> None:
        storage = self._core.storage
        resource = self._info.qualified_plural
        if resource_version in ("", "0"):
            records, after = storage.list(resource, namespace)
            for record in records:
                obj = self._core.load(self._info, record)
                if self._match(obj):
                    self._initial.append(WatchEvent("ADDED", obj))
        else:
            after = parse_revision(resource_version)
        try:
            self._watch = storage.watch(resource, namespace, after)
        except RevisionCompactedError as err:
            self._initial.append(WatchEvent("ERROR", status=expired(err.requested, err.oldest).status))

    def __aiter__(self) -> AsyncIterator[WatchEvent[Object]]:
        return self._events()

    async def _events(self) -> AsyncIterator[WatchEvent[Object]]:
        for event in self._initial:
            yield event
        self._initial = []
        if self._watch is None:
            return
        try:
            async for change in self._watch:
                translated = self._translate(change)
                if translated is not None:
                    yield translated
        except RevisionCompactedError as err:
            if not self._closed:
                yield WatchEvent("ERROR", status=expired(err.requested, err.oldest).status)

    def _translate(self, change: Event) -> WatchEvent[Object] | None:
        obj = self._core.decode(self._info, change.value)
        if self._match.everything:
            return WatchEvent(change.type.value, obj)
        was = change.previous is not None and self._match(self._core.decode(self._info, change.previous))
        if change.type is EventType.DELETED:
            return WatchEvent("DELETED", obj) if was else None
        if self._match(obj):
            return WatchEvent("MODIFIED" if was else "ADDED", obj)
        return WatchEvent("DELETED", obj) if was else None

    def close(self) -> None:
        self._closed = True
        if self._watch is not None:
            self._watch.close()

    async def __aenter__(self) -> WatchStream:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
