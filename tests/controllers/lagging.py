"""`LaggingClient`: an in-process client whose watches of the chosen kinds (Pod by default) deliver
each event late (a random delay on the virtual clock, events kept in order) and half of them twice,
as a slow, repetitive informer feed would. Shared by the ReplicaSet and Deployment RS-7-style tests.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from types import TracebackType
from typing import Any, Self

from kubelite.api.core import Pod
from kubelite.api.results import WatchEvent
from kubelite.apiserver import APIServer
from kubelite.client import InProcessClient
from kubelite.clock import FakeClock


class _LaggingWatch:
    def __init__(self, inner: Any, clock: FakeClock, rng: random.Random, max_delay: float) -> None:
        self._inner, self._clock, self._rng, self._max_delay = inner, clock, rng, max_delay

    async def __aenter__(self) -> Self:
        await self._inner.__aenter__()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._inner.__aexit__(exc_type, exc, tb)

    def close(self) -> None:
        self._inner.close()

    def __aiter__(self) -> AsyncIterator[WatchEvent[Any]]:
        return self._events()

    async def _events(self) -> AsyncIterator[WatchEvent[Any]]:
        async for event in self._inner:
            await self._clock.sleep(self._rng.uniform(0, self._max_delay))
            yield event
            if event.object is not None and self._rng.random() < 0.5:
                yield event


class LaggingClient(InProcessClient):
    def __init__(
        self,
        server: APIServer,
        clock: FakeClock,
        seed: int,
        max_delay: float = 1.0,
        kinds: tuple[type[Any], ...] = (Pod,),
    ) -> None:
        super().__init__(server)
        self._clock, self._rng, self._max_delay, self._kinds = clock, random.Random(seed), max_delay, kinds

    def watch(self, kind: Any, namespace: str | None = None, **options: Any) -> Any:
        inner = super().watch(kind, namespace, **options)
        if kind not in self._kinds:
            return inner
        return _LaggingWatch(inner, self._clock, self._rng, self._max_delay)
