"""`SchedulingQueue`: the pods waiting for a node (SCH-1, SCH-9), after upstream's priority queue.

Three places a pending pod can wait, and one state outside them:
- *active*: a heap popped by the scheduling loop, highest `spec.priority` first, then earliest
  creation, then arrival;
- *backoff*: pods that failed recently, held until `backoff_until` (1 s after the first attempt,
  doubling per attempt up to 10 s); `flush_backoff()` moves the expired ones to active;
- *unschedulable*: pods no node could take. `move_all()` (on a Node add/update or a Pod delete
  that may free room) sends them back to active, or to backoff if still backing off;
  `flush_unschedulable()` does the same for pods parked longer than `max_unschedulable` (5 min);
- *in flight*: popped and not yet requeued (being scheduled, or being bound).
A pod that failed while a `move_all()` happened during its attempt goes to backoff rather than
unschedulable, so the event that could have helped it is not lost.

`add`/`update` take the newest `PodInfo` of a pending pod in any state (an in-flight pod keeps the
newest version for its requeue); `delete` forgets a pod that was bound, deleted or is no longer
the scheduler's. `pop()` waits until a pod is active (without yielding when one is). Times come
from the injected clock. Synchronous apart from `pop`; single event loop.
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass

import anyio

from kubelite.clock import Clock
from kubelite.scheduler.podinfo import PodInfo

ACTIVE, BACKOFF, UNSCHEDULABLE, IN_FLIGHT = "active", "backoff", "unschedulable", "in-flight"


@dataclass(slots=True, eq=False)
class QueuedPod:
    info: PodInfo
    seq: int
    where: str = ""
    attempts: int = 0
    backoff_until: float = 0.0
    parked_at: float = 0.0
    cycle: int = 0
    token: int = 0


class SchedulingQueue:
    def __init__(
        self,
        clock: Clock,
        *,
        initial_backoff: float = 1.0,
        max_backoff: float = 10.0,
        max_unschedulable: float = 300.0,
    ) -> None:
        self._clock = clock
        self._initial_backoff = initial_backoff
        self._max_backoff = max_backoff
        self._max_unschedulable = max_unschedulable
        self._pods: dict[str, QueuedPod] = {}
        self._active: list[tuple[int, float, int, int, str]] = []
        self._backoff: list[tuple[float, int, str]] = []
        self._unschedulable: dict[str, QueuedPod] = {}
        self._seq = itertools.count()
        self._tokens = itertools.count(1)
        self._cycle = 0
        self._move_cycle = -1
        self._wake = anyio.Event()

    # Introspection (metrics and tests).

    def where(self, uid: str) -> str | None:
        queued = self._pods.get(uid)
        return queued.where if queued is not None else None

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys((ACTIVE, BACKOFF, UNSCHEDULABLE, IN_FLIGHT), 0)
        for queued in self._pods.values():
            counts[queued.where] += 1
        return counts

    def __len__(self) -> int:
        return len(self._pods)

    # Informer side.

    def add(self, info: PodInfo) -> None:
        if info.uid in self._pods:
            self.update(info)
            return
        queued = QueuedPod(info, next(self._seq))
        self._pods[info.uid] = queued
        self._to_active(queued)

    def update(self, info: PodInfo) -> None:
        queued = self._pods.get(info.uid)
        if queued is None:
            self.add(info)
            return
        old, queued.info = queued.info, info
        if queued.where == ACTIVE and old.priority != info.priority:
            self._to_active(queued)
        elif queued.where == UNSCHEDULABLE and _changed(old, info):
            self._unpark(queued)

    def delete(self, uid: str) -> None:
        queued = self._pods.pop(uid, None)
        if queued is not None:
            self._unschedulable.pop(uid, None)
            queued.where = ""  # stale heap entries are skipped

    # Scheduler side.

    async def pop(self) -> QueuedPod:
        """The next active pod, marked in flight; waits while none is active."""
        while True:
            queued = self.pop_nowait()
            if queued is not None:
                return queued
            if self._wake.is_set():
                self._wake = anyio.Event()
            await self._wake.wait()

    def pop_nowait(self) -> QueuedPod | None:
        """The next active pod, marked in flight, or None; never yields to the event loop."""
        while self._active:
            *_, token, uid = heapq.heappop(self._active)
            queued = self._pods.get(uid)
            if queued is not None and queued.where == ACTIVE and queued.token == token:
                self._cycle += 1
                queued.cycle = self._cycle
                queued.attempts += 1
                queued.where = IN_FLIGHT
                return queued
        return None

    def requeue_unschedulable(self, uid: str) -> None:
        """No node fits the in-flight pod `uid`: park it (or back off if a move came meanwhile)."""
        queued = self._in_flight(uid)
        if queued is None:
            return
        self._set_backoff_deadline(queued)
        if self._move_cycle >= queued.cycle:
            self._to_backoff(queued)
        else:
            queued.where = UNSCHEDULABLE
            queued.parked_at = self._clock.monotonic()
            self._unschedulable[uid] = queued

    def requeue_backoff(self, uid: str) -> None:
        """The in-flight pod `uid` hit an error (e.g. its bind failed): retry after its backoff."""
        queued = self._in_flight(uid)
        if queued is not None:
            self._set_backoff_deadline(queued)
            self._to_backoff(queued)

    def move_all(self) -> None:
        """Something changed that may let parked pods fit: retry every unschedulable pod."""
        self._move_cycle = self._cycle
        for queued in list(self._unschedulable.values()):
            self._unpark(queued)

    def flush_backoff(self) -> None:
        now = self._clock.monotonic()
        while self._backoff and self._backoff[0][0] <= now:
            _, _, uid = heapq.heappop(self._backoff)
            queued = self._pods.get(uid)
            if queued is not None and queued.where == BACKOFF and queued.backoff_until <= now:
                self._to_active(queued)

    def flush_unschedulable(self) -> None:
        deadline = self._clock.monotonic() - self._max_unschedulable
        for queued in [q for q in self._unschedulable.values() if q.parked_at <= deadline]:
            self._unpark(queued)

    # Moves.

    def _in_flight(self, uid: str) -> QueuedPod | None:
        queued = self._pods.get(uid)
        return queued if queued is not None and queued.where == IN_FLIGHT else None

    def _set_backoff_deadline(self, queued: QueuedPod) -> None:
        exponent = max(0, queued.attempts - 1)
        duration = min(self._max_backoff, self._initial_backoff * 2**exponent)
        queued.backoff_until = self._clock.monotonic() + duration

    def _unpark(self, queued: QueuedPod) -> None:
        self._unschedulable.pop(queued.info.uid, None)
        if queued.backoff_until > self._clock.monotonic():
            self._to_backoff(queued)
        else:
            self._to_active(queued)

    def _to_active(self, queued: QueuedPod) -> None:
        queued.where = ACTIVE
        queued.token = next(self._tokens)
        info = queued.info
        heapq.heappush(self._active, (-info.priority, info.created, queued.seq, queued.token, info.uid))
        self._wake.set()

    def _to_backoff(self, queued: QueuedPod) -> None:
        queued.where = BACKOFF
        heapq.heappush(self._backoff, (queued.backoff_until, queued.seq, queued.info.uid))


def _changed(old: PodInfo, new: PodInfo) -> bool:
    """Whether an update could change where the pod fits (not a status-only write)."""
    return old.pod.spec != new.pod.spec or old.pod.metadata.labels != new.pod.metadata.labels
