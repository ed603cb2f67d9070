"""The bounded watch window: committed events, shared by every watcher, read at each one's own pace.

`History` keeps the newest `limit` committed events (all resources together). Events are filed in
one *lane* per resource, so a watcher reads only its resource's events; a global FIFO of lanes
decides which event leaves the window next. Positions are absolute indexes into a lane, so trimming
never moves a watcher. Appending costs O(1) per event plus one wake-up per lane that has a waiting
watcher; watchers filter by namespace as they read.

`compacted_revision` is the revision of the newest event that left the window (at first: the
revision the store opened at, since nothing older is retained). A watch may start from any revision
≥ it. A watcher whose next unread event of its lane left the window while it had not yet seen every
revision up to `compacted_revision` raises `RevisionCompactedError` (and is then finished).

`close()` ends every watch (iteration stops, buffered events are not delivered); `fail(error)`
makes every watch raise an error of `error`'s class (e.g. `StorageFailedError`) instead. Events
handed out are shared and immutable.
"""

from __future__ import annotations

import bisect
from collections import deque
from operator import attrgetter

import anyio
from anyio.lowlevel import checkpoint_if_cancelled

from kubelite.store.batch import renewed
from kubelite.store.interface import Event, RevisionCompactedError, StorageError

_revision = attrgetter("revision")
_TRIM_AT = 1024
"""Dropped events are physically removed from a lane's list once this many have accumulated."""


class Lane:
    """The retained events of one resource, in revision order."""

    __slots__ = ("base", "events", "start", "waiter")

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.base = 0
        """Absolute lane index of `events[0]`."""
        self.start = 0
        """Absolute lane index of the oldest event still in the window."""
        self.waiter: anyio.Event | None = None

    def drop_oldest(self) -> Event:
        event = self.events[self.start - self.base]
        self.start += 1
        dropped = self.start - self.base
        if dropped >= _TRIM_AT and dropped * 2 >= len(self.events):
            del self.events[:dropped]
            self.base = self.start
        return event

    def first_after(self, revision: int) -> int:
        """The absolute index of the first retained event with a revision above `revision`."""
        index = bisect.bisect_right(self.events, revision, lo=self.start - self.base, key=_revision)
        return self.base + index

    async def wait(self) -> None:
        if self.waiter is None:
            self.waiter = anyio.Event()
        await self.waiter.wait()

    def notify(self) -> None:
        waiter = self.waiter
        if waiter is not None:
            self.waiter = None
            waiter.set()


class History:
    """The window of the newest `limit` committed events."""

    __slots__ = ("_closed", "_compacted", "_failure", "_lanes", "_limit", "_order")

    def __init__(self, limit: int, compacted_revision: int) -> None:
        if limit < 1:
            raise ValueError(f"history must hold at least one event, got {limit}")
        self._limit = limit
        self._compacted = compacted_revision
        self._lanes: dict[str, Lane] = {}
        self._order: deque[Lane] = deque()
        self._closed = False
        self._failure: StorageError | None = None

    @property
    def compacted_revision(self) -> int:
        return self._compacted

    def __len__(self) -> int:
        return len(self._order)

    def lane(self, resource: str) -> Lane:
        lane = self._lanes.get(resource)
        if lane is None:
            lane = self._lanes[resource] = Lane()
        return lane

    def append(self, events: list[Event]) -> None:
        """File committed events (in revision order), wake their watchers, trim the window."""
        lanes, order = self._lanes, self._order
        for event in events:
            lane = lanes.get(event.key[0]) or self.lane(event.key[0])
            lane.events.append(event)
            order.append(lane)
            if lane.waiter is not None:
                lane.notify()
        while len(order) > self._limit:
            self._compacted = order.popleft().drop_oldest().revision

    def watch(self, resource: str, namespace: str | None, after: int) -> HistoryWatch:
        self.check_open()
        if after < self._compacted:
            raise RevisionCompactedError(after, self._compacted)
        lane = self.lane(resource)
        return HistoryWatch(self, lane, namespace, after, lane.first_after(after))

    @property
    def ended(self) -> bool:
        """True once closed or failed: watches end (or raise) and no new watch opens."""
        return self._closed

    def check_open(self) -> None:
        self.raise_failure()
        if self._closed:
            raise StorageError("the store is closed")

    def raise_failure(self) -> None:
        if self._failure is not None:
            raise renewed(self._failure)

    def close(self) -> None:
        self._closed = True
        for lane in self._lanes.values():
            lane.notify()

    def fail(self, failure: StorageError) -> None:
        self._failure = failure
        self.close()


class HistoryWatch:
    """One watcher's cursor over a lane: yields events with revision > its start, in order."""

    __slots__ = ("_after", "_closed", "_history", "_lane", "_namespace", "_position")

    def __init__(
        self, history: History, lane: Lane, namespace: str | None, after: int, position: int
    ) -> None:
        self._history = history
        self._lane = lane
        self._namespace = namespace
        self._after = after
        """Every revision up to this one has been read (delivered or filtered out)."""
        self._position = position
        self._closed = False

    def __aiter__(self) -> HistoryWatch:
        return self

    async def __anext__(self) -> Event:
        while True:
            event = self._poll()
            if event is not None:
                await checkpoint_if_cancelled()
                return event
            await self._lane.wait()

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._lane.notify()

    def _poll(self) -> Event | None:
        """The next matching event, None when caught up; raises when finished or compacted."""
        if self._closed:
            raise StopAsyncIteration
        history, lane = self._history, self._lane
        if history.ended:
            self._closed = True
            history.raise_failure()
            raise StopAsyncIteration
        if self._position < lane.start:
            self._skip_to_window()
        return self._scan()

    def _skip_to_window(self) -> None:
        compacted = self._history.compacted_revision
        if self._after < compacted:
            self._closed = True
            raise RevisionCompactedError(self._after, compacted)
        self._position = self._lane.start

    def _scan(self) -> Event | None:
        lane, namespace, after = self._lane, self._namespace, self._after
        events, base = lane.events, lane.base
        position, end = self._position, lane.base + len(lane.events)
        found: Event | None = None
        while position < end:
            event = events[position - base]
            position += 1
            if event.revision <= after:
                continue
            after = event.revision
            if namespace is None or event.key[1] == namespace:
                found = event
                break
        self._position, self._after = position, after
        return found
