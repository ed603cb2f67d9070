"""Fan-out of container lifecycle events to any number of subscribers.

Contract: `EventHub.subscribe()` returns an `EventStream` that receives every event published
after the call, in order, each subscriber in its own unbounded queue, so a slow consumer delays
nobody. Iterating a stream parks on the runtime's `Ticker` (which catches timers up first), so
exits that happen on the clock arrive without any background task. A stream ends after
`aclose()`; one that is dropped without closing is forgotten (the hub holds it weakly).
"""

from __future__ import annotations

import weakref
from collections import deque

from kubelite.cri.container import ContainerEvent
from kubelite.cri.fake.ticker import Ticker


class EventStream:
    """One subscriber's events; an async iterator."""

    __slots__ = ("__weakref__", "_closed", "_hub", "_queue")

    def __init__(self, hub: EventHub) -> None:
        self._hub = hub
        self._queue: deque[ContainerEvent] = deque()
        self._closed = False

    def __aiter__(self) -> EventStream:
        return self

    async def __anext__(self) -> ContainerEvent:
        await self._hub.ticker.until(self._ready)
        if self._queue:
            return self._queue.popleft()
        raise StopAsyncIteration

    async def aclose(self) -> None:
        """Stop receiving; a task iterating the stream sees its end."""
        self._closed = True
        self._queue.clear()
        self._hub.forget(self)

    def push(self, event: ContainerEvent) -> None:
        self._queue.append(event)

    def _ready(self) -> bool:
        return self._closed or bool(self._queue)


class EventHub:
    """The subscribers of one runtime."""

    __slots__ = ("_streams", "ticker")

    def __init__(self, ticker: Ticker) -> None:
        self.ticker = ticker
        self._streams: weakref.WeakSet[EventStream] = weakref.WeakSet()

    def __bool__(self) -> bool:
        """Whether anybody listens (so publishers can skip building events)."""
        return len(self._streams) > 0

    def subscribe(self) -> EventStream:
        stream = EventStream(self)
        self._streams.add(stream)
        return stream

    def forget(self, stream: EventStream) -> None:
        self._streams.discard(stream)
        self.ticker.notify()

    def publish(self, event: ContainerEvent) -> None:
        for stream in self._streams:
            stream.push(event)
