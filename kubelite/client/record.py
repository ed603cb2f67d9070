"""`EventRecorder`: report what happened to an object as core/v1 Events, without blocking.

Contract (after client-go's `tools/record`):
- `event(obj, type, reason, message)` returns at once; the Event is written by `run()`, a loop the
  owner starts in its task group. Callers never wait on, or fail because of, an event write.
- Repeats are aggregated (among the last 4,096 distinct events): an Event with the same involved
  object (uid), type, reason, message and source bumps `count` and `lastTimestamp` of the Event
  already written, instead of adding one.
- At most `buffer` events wait to be written; beyond that new ones are dropped and counted in
  `dropped` (events are best effort in Kubernetes too).
- A failed write is logged and dropped; it is never retried forever.
- `flush()` waits until every event recorded so far has been written or dropped (for tests and
  orderly shutdown).
"""

from __future__ import annotations

import secrets
from collections import OrderedDict, deque

import anyio
import anyio.abc
import msgspec
import structlog

from kubelite.api.core import Event, EventSource, ObjectReference
from kubelite.api.meta import ObjectMeta
from kubelite.client.interface import Client
from kubelite.clock import Clock, SystemClock, rfc3339

log = structlog.get_logger("kubelite.events")

_AggregateKey = tuple[str, str, str, str, str]
_AGGREGATE_CACHE = 4096
"""Events remembered for aggregation (least recently written forgotten first), as client-go."""


class _Pending(msgspec.Struct, gc=False):
    ref: ObjectReference
    type: str
    reason: str
    message: str


def reference_to(obj: msgspec.Struct) -> ObjectReference:
    """An ObjectReference naming a top-level API object."""
    meta: ObjectMeta = obj.metadata  # type: ignore[attr-defined]  # every Object has metadata
    return ObjectReference(
        kind=type(obj).__name__,
        namespace=meta.namespace,
        name=meta.name,
        uid=meta.uid,
        api_version=obj.api_version,  # type: ignore[attr-defined]  # every Object has apiVersion
        resource_version=meta.resource_version,
    )


class EventRecorder:
    """Writes Events for one component (`source.component`) on one host."""

    def __init__(
        self,
        client: Client,
        component: str,
        *,
        host: str = "",
        clock: Clock | None = None,
        buffer: int = 1000,
    ) -> None:
        self._client = client
        self._source = EventSource(component=component, host=host)
        self._clock = clock or SystemClock()
        self._buffer = buffer
        self._pending: deque[_Pending] = deque()
        self._written: OrderedDict[_AggregateKey, Event] = OrderedDict()
        self._wake = anyio.Event()
        self._idle = anyio.Event()
        self._idle.set()
        self.dropped = 0

    def event(self, obj: msgspec.Struct, type: str, reason: str, message: str) -> None:
        """Record an Event about `obj` (`type` is "Normal" or "Warning")."""
        if len(self._pending) >= self._buffer:
            self.dropped += 1
            return
        self._pending.append(_Pending(reference_to(obj), type, reason, message))
        self._idle = anyio.Event() if self._idle.is_set() else self._idle
        self._wake.set()

    async def flush(self) -> None:
        """Wait until everything recorded so far has been written or dropped."""
        await self._idle.wait()

    async def run(self, *, task_status: anyio.abc.TaskStatus[None] = anyio.TASK_STATUS_IGNORED) -> None:
        """Write recorded events until cancelled."""
        task_status.started()
        while True:
            while self._pending:
                await self._write(self._pending.popleft())
            self._idle.set()
            self._wake = anyio.Event()
            await self._wake.wait()

    async def _write(self, item: _Pending) -> None:
        key = (item.ref.uid, item.type, item.reason, item.message, self._source.component)
        now = rfc3339(self._clock.now())
        try:
            previous = self._written.get(key)
            if previous is not None:
                previous.count += 1
                previous.last_timestamp = now
                self._written[key] = await self._client.update(previous)
                self._written.move_to_end(key)
                return
            self._written[key] = await self._client.create(self._new_event(item, now))
            if len(self._written) > _AGGREGATE_CACHE:
                self._written.popitem(last=False)
        except Exception as exc:  # best effort: an event write must never take its caller down
            self._written.pop(key, None)
            log.warning("event write failed", reason=item.reason, object=item.ref.name, error=str(exc))

    def _new_event(self, item: _Pending, now: str) -> Event:
        namespace = item.ref.namespace or "default"
        return Event(
            metadata=ObjectMeta(name=f"{item.ref.name}.{secrets.token_hex(8)}", namespace=namespace),
            involved_object=item.ref,
            reason=item.reason,
            message=item.message,
            source=self._source,
            first_timestamp=now,
            last_timestamp=now,
            count=1,
            type=item.type,
            reporting_component=self._source.component,
            reporting_instance=self._source.host,
        )
