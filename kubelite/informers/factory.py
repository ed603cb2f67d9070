"""`SharedInformerFactory`: one informer per kind, however many controllers ask (H7).

`informer(kind)` creates the kind's informer on first request and returns the same one after.
`start(task_group)` starts every informer not yet started in the caller's task group (so their
lifetime is the caller's, and a crash there is not silent); `wait_for_cache_sync()` waits until all
started informers have synced. `health()` reports each informer's state. Options apply to every
informer the factory makes: namespace scope, resync period, backoff, mutation detection, and the
`InformerMetrics` their failures are counted in.
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

from anyio.abc import TaskGroup

from kubelite.api.meta import Object
from kubelite.clock import Clock, SystemClock
from kubelite.informers.backoff import BackoffSettings
from kubelite.informers.health import InformerHealth
from kubelite.informers.informer import SharedInformer
from kubelite.informers.lister import Lister
from kubelite.informers.metrics import InformerMetrics
from kubelite.informers.reflector import ReflectorClient

T = TypeVar("T", bound=Object)


class SharedInformerFactory:
    def __init__(
        self,
        client: ReflectorClient,
        *,
        clock: Clock | None = None,
        namespace: str | None = None,
        resync_period: float = 0.0,
        backoff: BackoffSettings | None = None,
        detect_mutation: bool = False,
        metrics: InformerMetrics | None = None,
    ) -> None:
        self._client = client
        self._clock = clock if clock is not None else SystemClock()
        self._namespace = namespace
        self._resync_period = resync_period
        self._backoff = backoff
        self._detect_mutation = detect_mutation
        self._metrics = metrics
        self._informers: dict[type[Object], SharedInformer[Any]] = {}
        self._started: set[type[Object]] = set()

    def informer(self, kind: type[T]) -> SharedInformer[T]:
        existing = self._informers.get(kind)
        if existing is None:
            existing = SharedInformer(
                self._client,
                kind,
                clock=self._clock,
                namespace=self._namespace,
                resync_period=self._resync_period,
                backoff=self._backoff,
                detect_mutation=self._detect_mutation,
                metrics=self._metrics,
            )
            self._informers[kind] = existing
        return cast(SharedInformer[T], existing)

    def lister(self, kind: type[T]) -> Lister[T]:
        return Lister(self.informer(kind).indexer)

    def start(self, task_group: TaskGroup) -> None:
        for kind, informer in self._informers.items():
            if kind not in self._started:
                self._started.add(kind)
                task_group.start_soon(informer.run, name=f"informer:{kind.__name__}")

    async def wait_for_cache_sync(self) -> None:
        """Return once every started informer has synced (bound it with `anyio.fail_after`)."""
        for kind in list(self._started):
            await self._informers[kind].wait_synced()

    def health(self) -> list[InformerHealth]:
        return [self._informers[kind].health() for kind in sorted(self._started, key=lambda k: k.__name__)]

    def verify_caches(self) -> None:
        """Raise `CacheMutationError` if any cached object was mutated (with detect_mutation)."""
        for informer in self._informers.values():
            informer.verify_all()
