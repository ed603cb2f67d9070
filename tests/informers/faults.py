"""A `Client` wrapper that injects watch faults, for informer convergence tests.

`FaultyClient` passes everything to a real client, except that each watch it opens may be cut short
after a random number of events (the connection "drops"), may fail to open with an error, or may
report 410 Expired at once (the watch window "moved"). Faults are drawn from a seeded `random.Random`,
so a failing run can be replayed.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

from kubelite.api.errors import Gone, InternalError
from kubelite.api.meta import Object
from kubelite.api.results import ObjectList, WatchEvent
from kubelite.client import InProcessClient

T = TypeVar("T", bound=Object)


@dataclass
class FaultPlan:
    drop: float = 0.0
    """Probability that an opened watch ends early, after 0–5 events."""
    expire: float = 0.0
    """Probability that a watch answers 410 Expired instead of events."""
    error: float = 0.0
    """Probability that opening a watch raises a 500."""
    list_error: float = 0.0
    """Probability that a list raises a 500."""
    forced_drops: int = 0
    """The first N watches always drop after 0–5 events, so every run sees faults."""


class _CutWatch(Generic[T]):
    def __init__(self, inner: Any, budget: int | None, expire: bool) -> None:
        self._inner = inner
        self._budget = budget
        self._expire = expire

    async def __aenter__(self) -> Self:
        await self._inner.__aenter__()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._inner.__aexit__(exc_type, exc, tb)

    def close(self) -> None:
        self._inner.close()

    def __aiter__(self) -> AsyncIterator[WatchEvent[T]]:
        return self._events()

    async def _events(self) -> AsyncIterator[WatchEvent[T]]:
        if self._expire:
            yield WatchEvent("ERROR", status=Gone("too old resource version: injected").status)
            return
        count = 0
        async for event in self._inner:
            if self._budget is not None and count >= self._budget:
                return
            count += 1
            yield event


class FaultyClient:
    def __init__(self, inner: InProcessClient, plan: FaultPlan, seed: int) -> None:
        self.inner = inner
        self.plan = plan
        self.rng = random.Random(seed)
        self.watches = 0
        self.faults = 0

    async def list(self, kind: type[T], namespace: str | None = None, **kw: Any) -> ObjectList[T]:
        if self.rng.random() < self.plan.list_error:
            self.faults += 1
            raise InternalError("injected list failure")
        return await self.inner.list(kind, namespace, **kw)

    async def get(self, kind: type[T], name: str, namespace: str = "") -> T:
        return await self.inner.get(kind, name, namespace)

    def watch(self, kind: type[T], namespace: str | None = None, **kw: Any) -> _CutWatch[T]:
        self.watches += 1
        if self.rng.random() < self.plan.error:
            self.faults += 1
            raise InternalError("injected watch failure")
        expire = self.rng.random() < self.plan.expire
        forced = self.watches <= self.plan.forced_drops
        budget = self.rng.randint(0, 5) if forced or self.rng.random() < self.plan.drop else None
        if expire or budget is not None:
            self.faults += 1
        return _CutWatch(self.inner.watch(kind, namespace, **kw), budget, expire)
