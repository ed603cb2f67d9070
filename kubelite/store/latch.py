"""`Latch`: a one-shot flag tasks can wait for, buildable outside an event loop.

Its `anyio.Event` is created by the first waiter, so objects holding a latch (stores, batches) can
be constructed before the loop runs. `set()` is idempotent; `wait()` after `set()` returns at once
(after a checkpoint).
"""

from __future__ import annotations

import anyio


class Latch:
    __slots__ = ("_event", "_set")

    def __init__(self) -> None:
        self._set = False
        self._event: anyio.Event | None = None

    @property
    def is_set(self) -> bool:
        return self._set

    def set(self) -> None:
        self._set = True
        if self._event is not None:
            self._event.set()

    async def wait(self) -> None:
        if self._set:
            await anyio.lowlevel.checkpoint()
            return
        if self._event is None:
            self._event = anyio.Event()
        await self._event.wait()
