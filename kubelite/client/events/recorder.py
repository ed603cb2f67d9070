"""`EventRecorder`: report what happened to an object as core/v1 Events, without blocking, and
without losing them to a slow writer.

Contract (after client-go's `tools/record`):
- `event(obj, type, reason, message)` returns at once. It runs the `EventCorrelator` (spam filter,
  similar-event aggregation, repeat counting) synchronously, then queues the resulting Event by name.
  `run()` (started by the owner in its task group) writes queued Events with `writers` concurrent
  writers, so the store's group commit batches them.
- Queued updates of one Event coalesce: only its latest state is written, and never by two writers at
  once (a change arriving mid-write is written after that write).
- A new Event is created; a repeat is a merge PATCH of count, lastTimestamp and message (created
  instead if it is missing, as upstream does). A name taken by another recorder gets a fresh name.
- At most `buffer` distinct Events wait (default 50,000: a 10,000-pod start burst, 4 Events each,
  with room; upstream buffers 1,000 per process, but here every fake node shares one recorder);
  beyond that new ones are dropped. Drops are counted in
  `dropped` and, with `metrics`, in `kubelite_events_dropped_total{component,reason}` (reasons
  `buffer_full`, `spam_filtered`, `write_failed`). A failed write is logged and dropped, never retried.
- `flush()` waits until every event recorded so far has been written or dropped. After `run()` is
  cancelled, queued Events stay unwritten.
"""

from __future__ import annotations

from collections import OrderedDict

import anyio
import anyio.abc
import msgspec
import structlog

from kubelite.api.core import Event, EventSource, ObjectReference
from kubelite.api.errors import AlreadyExists, NotFound
from kubelite.api.meta import ObjectMeta
from kubelite.client.events.correlator import EventCorrelator
from kubelite.client.events.metrics import EventMetrics
from kubelite.client.interface import Client
from kubelite.clock import Clock, SystemClock

log = structlog.get_logger("kubelite.events")


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
        buffer: int = 50_000,
        writers: int = 32,
        metrics: EventMetrics | None = None,
    ) -> None:
        if writers < 1:
            raise ValueError(f"writers must be ≥ 1, got {writers}")
        self._client = client
        self._component = component
        source = EventSource(component=component, host=host)
        self._correlator = EventCorrelator(source, clock or SystemClock())
        self._buffer = buffer
        self._writers = writers
        self._metrics = metrics
        self._desired: dict[str, Event] = {}
        self._ready: OrderedDict[str, None] = OrderedDict()
        self._in_flight: set[str] = set()
        self._wake = anyio.Event()
        self._idle = anyio.Event()
        self._idle.set()
        self.dropped = 0

    def event(self, obj: msgspec.Struct, type: str, reason: str, message: str) -> None:
        """Record an Event about `obj` (`type` is "Normal" or "Warning")."""
        event = self._correlator.observe(reference_to(obj), type, reason, message)
        if event is None:
            self._drop("spam_filtered")
            return
        self._enqueue(event)

    async def flush(self) -> None:
        """Wait until everything recorded so far has been written or dropped."""
        await self._idle.wait()

    async def run(self, *, task_status: anyio.abc.TaskStatus[None] = anyio.TASK_STATUS_IGNORED) -> None:
        """Write recorded events with `writers` concurrent writers until cancelled."""
        async with anyio.create_task_group() as group:
            for _ in range(self._writers):
                group.start_soon(self._writer)
            task_status.started()

    def _enqueue(self, event: Event) -> None:
        name = event.metadata.name
        if name not in self._desired and len(self._desired) >= self._buffer:
            self._drop("buffer_full")
            return
        self._desired[name] = event
        if name not in self._in_flight:
            self._ready[name] = None
            self._wake.set()
        if self._idle.is_set():
            self._idle = anyio.Event()

    def _drop(self, reason: str) -> None:
        self.dropped += 1
        if self._metrics is not None:
            self._metrics.dropped.labels(self._component, reason).inc()

    async def _writer(self) -> None:
        while True:
            while not self._ready:
                wake = self._wake
                await wake.wait()
                if self._wake is wake:
                    self._wake = anyio.Event()
            name, _ = self._ready.popitem(last=False)
            event = self._desired.pop(name)
            self._in_flight.add(name)
            try:
                await self._write(event)
            finally:
                self._in_flight.discard(name)
                self._settle(name)

    def _settle(self, name: str) -> None:
        if name in self._desired:
            self._ready[name] = None
            self._wake.set()
        elif not self._desired and not self._in_flight:
            self._idle.set()

    async def _write(self, event: Event) -> None:
        try:
            if event.count > 1:
                await self._patch(event)
            else:
                await self._create(event)
        except Exception as exc:  # best effort: an event write must never take its caller down
            self._drop("write_failed")
            log.warning("event_write_failed", reason=event.reason, name=event.metadata.name, error=str(exc))

    async def _create(self, event: Event) -> None:
        try:
            await self._client.create(event)
        except AlreadyExists:
            latest = self._desired.pop(event.metadata.name, event)
            self._enqueue(self._correlator.rename(latest))

    async def _patch(self, event: Event) -> None:
        patch = {"count": event.count, "lastTimestamp": event.last_timestamp, "message": event.message}
        try:
            await self._client.patch(Event, event.metadata.name, patch, event.metadata.namespace)
        except NotFound:
            await self._client.create(event)
