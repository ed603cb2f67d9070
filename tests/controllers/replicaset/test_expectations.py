"""RS-7: with several workers, a Pod feed that delivers events late and often twice, and a storm of
ReplicaSet events, the number of live pods never exceeds the desired count at any observation.

The controller's informers read through `LaggingClient` (each Pod watch event delayed up to 1 s on
the virtual clock, half of them duplicated); the ReplicaSet is touched every 0.2 s so syncs run
while the cache is behind. An observer watching the store directly checks, after every pod event,
that the active pods (RS-3) number at most the desired count. Without expectations the controller
re-creates pods its cache has not seen yet, and this test fails.
"""

from __future__ import annotations

import anyio
import pytest

from kubelite.api.apps import ReplicaSet
from kubelite.api.core import Pod
from kubelite.api.meta import DeleteOptions
from kubelite.client import InProcessClient
from kubelite.controllers.replicaset import ReplicaSetSettings
from kubelite.controllers.replicaset.pods import is_active
from tests.controllers.lagging import LaggingClient
from tests.controllers.replicaset.harness import Alone, alone
from tests.controllers.replicaset.support import replica_set

pytestmark = pytest.mark.anyio


class Observer:
    def __init__(self) -> None:
        self.desired = 0
        self.active: set[str] = set()
        self.peak = 0
        self.violations: list[tuple[int, int]] = []

    async def watch(self, client: InProcessClient) -> None:
        async with client.watch(Pod, "default") as events:
            async for event in events:
                if event.object is None:
                    continue
                name = event.object.metadata.name
                if event.type != "DELETED" and is_active(event.object):
                    self.active.add(name)
                else:
                    self.active.discard(name)
                self.peak = max(self.peak, len(self.active))
                if len(self.active) > self.desired:
                    self.violations.append((len(self.active), self.desired))


async def _touch(a: Alone) -> None:
    for beat in range(1_000_000):
        await a.clock.sleep(0.2)
        await a.client.patch(ReplicaSet, "web", {"metadata": {"annotations": {"beat": str(beat)}}}, "default")


async def _scale(a: Alone, replicas: int) -> None:
    await a.client.patch(ReplicaSet, "web", {"spec": {"replicas": replicas}}, "default")


async def _settle(a: Alone, observer: Observer, count: int) -> None:
    await a.until(lambda: len(observer.active) == count, seconds=30)
    later = a.clock.now() + 10
    await a.until(lambda: a.clock.now() >= later, seconds=30)
    assert len(observer.active) == count


async def _delete(a: Alone, names: list[str]) -> None:
    for name in names:
        await a.client.delete(Pod, name, "default", options=DeleteOptions(grace_period_seconds=0))


@pytest.mark.parametrize("seed", [1, 7, 42])
async def test_rs7_duplicated_delayed_events_never_push_live_pods_above_replicas(seed: int) -> None:
    observer = Observer()
    async with (
        alone(
            writer=lambda server, clock: InProcessClient(server),
            reader=lambda server, clock: LaggingClient(server, clock, seed=seed),
            settings=ReplicaSetSettings(workers=4),
        ) as a,
        anyio.create_task_group() as group,
    ):
        group.start_soon(observer.watch, InProcessClient(a.server))
        observer.desired = 5
        await a.client.create(replica_set(replicas=5))
        group.start_soon(_touch, a)
        await _settle(a, observer, 5)
        await _delete(a, sorted(observer.active)[:3])
        await _settle(a, observer, 5)
        observer.desired = 8
        await _scale(a, 8)
        await _settle(a, observer, 8)
        await _scale(a, 3)
        await _settle(a, observer, 3)
        observer.desired = 3
        await _delete(a, sorted(observer.active)[:2])
        observer.desired = 4
        await _scale(a, 4)
        await _settle(a, observer, 4)
        group.cancel_scope.cancel()
    assert observer.violations == []
    assert observer.peak == 8


async def test_rs7_unobserved_expectations_block_creates_for_5_minutes_but_status_still_updates() -> None:
    async with alone(writer=lambda server, clock: InProcessClient(server)) as a:
        await a.client.create(replica_set(replicas=2))
        await a.until(lambda: (rs := a.sets.get("web", "default")) is not None and rs.status.replicas == 2)
        a.controller.expectations.expect_creations("default/web", 5)  # five creates never observed
        blocked_at = a.clock.now()
        victim = a.pods.list("default")[0].metadata.name
        await _delete(a, [victim])
        await a.until(lambda: (rs := a.sets.get("web", "default")) is not None and rs.status.replicas == 1)
        await a.until(lambda: a.clock.now() >= blocked_at + 299)
        assert len([p for p in a.pods.list("default") if is_active(p)]) == 1, "no create before 5 min"
        await a.until(lambda: len([p for p in a.pods.list("default") if is_active(p)]) == 2)
        assert a.clock.now() >= blocked_at + 300
