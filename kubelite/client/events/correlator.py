"""`EventCorrelator`: decide, without I/O, what one observed event becomes (after client-go's
`tools/record/events_cache.go`; numbers are upstream's defaults).

Contract: `observe(ref, type, reason, message)` returns the Event as it should now be stored, or None
when the spam filter folds it. Three stages, in upstream's order:
1. Spam filter: one token bucket per source + involved object (burst 25, refilled 1 per 300 s on the
   injected clock's monotonic time); an event finding the bucket empty is filtered (None).
2. Aggregator: events alike in source, involved object, type and reason but with different messages;
   from the 10th distinct message seen within 600 s on, they are folded into one Event whose message
   is "(combined from similar events): <latest message>".
3. Logger: an event equal in every field to one already stored (among the last 4,096) gets the same
   name with `count` + 1, the new `lastTimestamp` and the latest message; otherwise it is new, with
   count 1 and a fresh name.

Names are `<involvedObject.name>.<unix nanoseconds as 16 hex digits>`, strictly increasing per
correlator (a frozen clock still gives distinct, ordered names), so the store's by-name list order is
creation order. Returned Events are never mutated afterwards (each change is a new value); callers
may hold them. Not thread-safe; one event loop.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TypeVar

import msgspec

from kubelite.api.core import Event, EventSource, ObjectReference
from kubelite.api.meta import ObjectMeta
from kubelite.clock import Clock, rfc3339

CACHE_SIZE = 4096
SPAM_BURST = 25
SPAM_REFILL_SECONDS = 300.0
SIMILAR_MAX = 10
SIMILAR_WINDOW_SECONDS = 600.0
COMBINED_PREFIX = "(combined from similar events): "

_Key = tuple[str, ...]
V = TypeVar("V")


class _Bucket(msgspec.Struct, gc=False):
    tokens: float
    at: float


class _Similar(msgspec.Struct):
    messages: set[str]
    at: float


def _object_key(source: EventSource, ref: ObjectReference) -> _Key:
    return (source.component, source.host, ref.kind, ref.namespace, ref.name, ref.uid, ref.api_version)


def _remember(cache: OrderedDict[_Key, V], key: _Key, value: V) -> None:
    cache[key] = value
    cache.move_to_end(key)
    if len(cache) > CACHE_SIZE:
        cache.popitem(last=False)


class EventCorrelator:
    """Spam filter, aggregator and logger for one event source."""

    def __init__(self, source: EventSource, clock: Clock) -> None:
        self._source = source
        self._clock = clock
        self._buckets: OrderedDict[_Key, _Bucket] = OrderedDict()
        self._similar: OrderedDict[_Key, _Similar] = OrderedDict()
        self._logged: OrderedDict[_Key, Event] = OrderedDict()
        self._last_nanos = 0

    def observe(self, ref: ObjectReference, type: str, reason: str, message: str) -> Event | None:
        """The Event to store for this observation, or None when the spam filter folds it."""
        if not self._allow(_object_key(self._source, ref)):
            return None
        key, message = self._aggregate(ref, type, reason, message)
        now = rfc3339(self._clock.now())
        previous = self._logged.get(key)
        if previous is None:
            event = self._new(ref, type, reason, message, now)
        else:
            count = previous.count + 1
            event = msgspec.structs.replace(previous, count=count, last_timestamp=now, message=message)
        _remember(self._logged, key, event)
        return event

    def rename(self, event: Event) -> Event:
        """`event` under a fresh name (its name was taken by another writer); remembered as such."""
        metadata = msgspec.structs.replace(event.metadata, name=self._name(event.involved_object.name))
        renamed = msgspec.structs.replace(event, metadata=metadata)
        for key, logged in self._logged.items():
            if logged.metadata.name == event.metadata.name:
                self._logged[key] = msgspec.structs.replace(logged, metadata=metadata)
        return renamed

    def _allow(self, key: _Key) -> bool:
        now = self._clock.monotonic()
        bucket = self._buckets.get(key) or _Bucket(tokens=float(SPAM_BURST), at=now)
        tokens = min(float(SPAM_BURST), bucket.tokens + (now - bucket.at) / SPAM_REFILL_SECONDS)
        allowed = tokens >= 1.0
        _remember(self._buckets, key, _Bucket(tokens=tokens - 1.0 if allowed else tokens, at=now))
        return allowed

    def _aggregate(self, ref: ObjectReference, type: str, reason: str, message: str) -> tuple[_Key, str]:
        similar_key = (*_object_key(self._source, ref), type, reason)
        now = self._clock.monotonic()
        record = self._similar.get(similar_key)
        if record is None or now - record.at > SIMILAR_WINDOW_SECONDS:
            record = _Similar(messages=set(), at=now)
        record.messages.add(message)
        record.at = now
        _remember(self._similar, similar_key, record)
        if len(record.messages) < SIMILAR_MAX:
            return (*similar_key, "message", message), message
        record.messages.pop()
        return (*similar_key, "combined"), COMBINED_PREFIX + message

    def _new(self, ref: ObjectReference, type: str, reason: str, message: str, now: str) -> Event:
        return Event(
            metadata=ObjectMeta(name=self._name(ref.name), namespace=ref.namespace or "default"),
            involved_object=ref,
            reason=reason,
            message=message,
            source=self._source,
            first_timestamp=now,
            last_timestamp=now,
            count=1,
            type=type,
            reporting_component=self._source.component,
            reporting_instance=self._source.host,
        )

    def _name(self, object_name: str) -> str:
        self._last_nanos = max(int(self._clock.now() * 1e9), self._last_nanos + 1)
        return f"{object_name}.{self._last_nanos:016x}"
