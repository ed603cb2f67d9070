"""Start and stop building blocks shared by `Controller` and `Manager`.

- `finished_within(clock, limit, waiter)` awaits `waiter()` for at most `limit` seconds on the
  given clock (so a `FakeClock` drives deadlines in tests) and says whether it finished; on the
  deadline `waiter()` is cancelled. `limit=None` waits without a deadline. Cancellation of the
  caller propagates as usual.
- `ShieldedGroup` is a task group that cancelling its parent does not reach: work started in it keeps
  running while its owner drains, and it ends only by `close()`, which cancels what is left in it
  and waits until every task in it has returned. This is how graceful shutdown works under anyio:
  the owner catches the cancellation of its own scope, runs a shielded drain against the group, and
  closes it last.
- `wait_for_informers(factory, clock, limit)` waits until every started informer has synced,
  including informers started while it waits, and raises `CacheSyncTimeoutError` naming every kind
  still unsynced and the last error its reflector reported.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

import anyio
from anyio import CancelScope
from anyio.abc import TaskGroup, TaskStatus

from kubelite.clock import Clock
from kubelite.informers.factory import SharedInformerFactory


class CacheSyncTimeoutError(TimeoutError):
    """Informer caches did not sync in time; `unsynced` maps each such kind to its last error."""

    def __init__(self, timeout: float, unsynced: dict[str, str]) -> None:
        self.timeout = timeout
        self.unsynced = unsynced
        kinds = "; ".join(f"{kind} (last error: {error or 'none'})" for kind, error in unsynced.items())
        super().__init__(f"caches did not sync within {timeout:g} s: {kinds}")


async def finished_within(clock: Clock, limit: float | None, waiter: Callable[[], Awaitable[object]]) -> bool:
    """Await `waiter()`; give up (cancelling it) after `limit` seconds on `clock` (None: never)."""
    finished = False
    async with anyio.create_task_group() as group:
        if limit is not None:
            group.start_soon(_cancel_after, clock, limit, group.cancel_scope)
        await waiter()
        finished = True
        group.cancel_scope.cancel()
    return finished


async def _cancel_after(clock: Clock, delay: float, scope: CancelScope) -> None:
    await clock.sleep(delay)
    scope.cancel()


@dataclass(frozen=True, slots=True)
class ShieldedGroup:
    """A task group shielded from its parent's cancellation; see the module docstring."""

    task_group: TaskGroup
    scope: CancelScope
    finished: anyio.Event

    @staticmethod
    async def open(parent: TaskGroup, name: str) -> ShieldedGroup:
        """Open the group as a task of `parent` (its errors reach `parent`)."""
        with anyio.CancelScope(shield=True):
            group: ShieldedGroup = await parent.start(_hold_open, name=name)
        return group

    def start_soon(self, func: Callable[..., Coroutine[Any, Any, Any]], *args: object, name: str) -> None:
        self.task_group.start_soon(func, *args, name=name)

    async def close(self) -> None:
        """Cancel whatever still runs in the group and wait until all of it has returned."""
        self.scope.cancel()
        await self.finished.wait()


async def _hold_open(*, task_status: TaskStatus[ShieldedGroup]) -> None:
    finished = anyio.Event()
    try:
        with anyio.CancelScope(shield=True) as scope:
            async with anyio.create_task_group() as group:
                task_status.started(ShieldedGroup(group, scope, finished))
                await anyio.sleep_forever()
    finally:
        finished.set()


async def wait_for_informers(factory: SharedInformerFactory, clock: Clock, limit: float | None) -> None:
    """Wait until every started informer has synced; `CacheSyncTimeoutError` after `limit` s."""

    async def all_synced() -> None:
        while not all(health.synced for health in factory.health()):
            await factory.wait_for_cache_sync()

    if not await finished_within(clock, limit, all_synced):
        unsynced = {h.kind: h.last_error for h in factory.health() if not h.synced}
        raise CacheSyncTimeoutError(limit or 0.0, unsynced)
