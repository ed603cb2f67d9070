"""DEP-17 under a late, repetitive feed: with several workers and Deployment, ReplicaSet and Pod
watch events delivered late and often twice, neither Σ ReplicaSet spec.replicas nor the live pods
ever exceed what the Deployment allows (the Deployment counterpart of RS-7's test).

The Deployment controller (4 workers) reads through `LaggingClient` (each event of its Deployment,
ReplicaSet and Pod watches delayed up to 1 s on the virtual clock, half of them duplicated); the
ReplicaSet controller, the scheduler and two fake nodes run as in `local_cluster`. The Deployment is
touched every 0.5 s so syncs run while the cache is behind. An observer watching the store checks,
after every pod and ReplicaSet event, that (a) the active pods (RS-3) number at most
replicas + maxSurge during a rollout and at most replicas once it is complete, and (b)
Σ spec.replicas over the ReplicaSets is at most replicas + maxSurge (DEP-17), through a create, a
scale-up and a rolling update.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
import pytest
from prometheus_client import CollectorRegistry

from kubelite.api.apps import Deployment, ReplicaSet
from kubelite.api.core import Event, Pod
from kubelite.apiserver import APIServer
from kubelite.cli.cluster import LocalCluster
from kubelite.client import EventRecorder, InProcessClient
from kubelite.clock import FakeClock
from kubelite.controllers.deployment import COMPONENT, DeploymentController, DeploymentSettings
from kubelite.controllers.replicaset import REPLICA_SET, ReplicaController
from kubelite.controllers.replicaset.pods import is_active
from kubelite.controllers.runtime import Manager
from kubelite.informers import SharedInformerFactory
from kubelite.kubelet import PodDispatcher
from kubelite.kubelet.pool import FakeNodePool
from kubelite.scheduler import Scheduler
from kubelite.store.memory import MemoryStorage
from tests.controllers.deployment.support import REVISION, Running, deployment
from tests.controllers.lagging import LaggingClient

pytestmark = pytest.mark.anyio
SURGE = 2


class Observer:
    """Live pods and RS sizes as the store reports them, checked against the current bounds."""

    def __init__(self) -> None:
        self.pod_bound = self.set_bound = 0
        self.active: set[str] = set()
        self.sizes: dict[str, int] = {}
        self.peaks = (0, 0)
        self.violations: list[tuple[str, int, int]] = []

    async def pods(self, client: InProcessClient) -> None:
        async with client.watch(Pod, "default") as events:
            async for event in events:
                if event.object is None:
                    continue
                name = event.object.metadata.name
                if event.type != "DELETED" and is_active(event.object):
                    self.active.add(name)
                else:
                    self.active.discard(name)
                self._check()

    async def sets(self, client: InProcessClient) -> None:
        async with client.watch(ReplicaSet, "default") as events:
            async for event in events:
                if event.object is None:
                    continue
                name = event.object.metadata.name
                self.sizes[name] = 0 if event.type == "DELETED" else event.object.spec.replicas or 0
                self._check()

    def _check(self) -> None:
        live, total = len(self.active), sum(self.sizes.values())
        self.peaks = (max(self.peaks[0], live), max(self.peaks[1], total))
        if live > self.pod_bound:
            self.violations.append(("pods", live, self.pod_bound))
        if total > self.set_bound:
            self.violations.append(("replicasets", total, self.set_bound))


@asynccontextmanager
async def lagging_cluster(seed: int) -> AsyncIterator[Running]:
    """The Deployment controller on a lagging feed; the RS controller, scheduler and nodes not."""
    clock = FakeClock()
    async with MemoryStorage(history=10_000) as storage:
        server = APIServer(storage, clock=clock)
        await server.bootstrap()
        client = InProcessClient(server, field_manager="kubelite")
        rs_manager = Manager(client, clock=clock)
        rs_events = EventRecorder(client, REPLICA_SET.component, clock=clock)
        ReplicaController(rs_manager, client, rs_events, REPLICA_SET)
        reader = LaggingClient(server, clock, seed=seed, kinds=(Deployment, ReplicaSet, Pod))
        manager = Manager(reader, clock=clock)
        events = EventRecorder(client, COMPONENT, clock=clock)
        DeploymentController(manager, client, events, DeploymentSettings(workers=4))
        node_informers = SharedInformerFactory(client, clock=clock)
        pool = FakeNodePool(client, PodDispatcher(node_informers), clock=clock)
        scheduler = Scheduler(client, SharedInformerFactory(client, clock=clock), clock=clock)
        factory = SharedInformerFactory(client, clock=clock)
        listers = (factory.lister(Deployment), factory.lister(ReplicaSet), factory.lister(Pod))
        recorded = factory.lister(Event)
        async with anyio.create_task_group() as group:
            node_informers.start(group)
            factory.start(group)
            for component in (rs_events, events, rs_manager, manager, scheduler):
                await group.start(component.run)
            await node_informers.wait_for_cache_sync()
            await factory.wait_for_cache_sync()
            await pool.start(group, 2)
            cluster = LocalCluster(client=client, clock=clock, nodes=pool, registry=CollectorRegistry())
            yield Running(cluster, clock, *listers, recorded)
            group.cancel_scope.cancel()


async def _touch(r: Running) -> None:
    for beat in range(1_000_000):
        await r.clock.sleep(0.5)
        await r.client.patch(Deployment, "web", {"metadata": {"annotations": {"beat": str(beat)}}}, "default")


async def _complete(r: Running, observer: Observer, replicas: int, revision: str) -> None:
    """Wait for the rollout to finish, then hold the bound at `replicas` for 10 more seconds."""
    await r.until(
        lambda: (
            r.d().spec.replicas == replicas
            and r.d().metadata.annotations.get(REVISION) == revision
            and r.complete()
            and len(observer.active) == replicas
        )
    )
    observer.pod_bound = replicas
    later = r.clock.now() + 10
    await r.until(lambda: r.clock.now() >= later)
    assert len(observer.active) == replicas


def _rollout(observer: Observer, replicas: int) -> None:
    observer.pod_bound = observer.set_bound = replicas + SURGE


@pytest.mark.parametrize("seed", [1, 7, 42])
async def test_dep17_duplicated_delayed_events_never_push_replicas_or_live_pods_above_the_bound(
    seed: int,
) -> None:
    observer = Observer()
    async with lagging_cluster(seed) as r, anyio.create_task_group() as group:
        group.start_soon(observer.pods, r.client)
        group.start_soon(observer.sets, r.client)
        _rollout(observer, 4)
        await r.client.create(deployment(replicas=4, surge=SURGE, unavailable=1))
        group.start_soon(_touch, r)
        await _complete(r, observer, 4, "1")
        _rollout(observer, 8)
        await r.scale(8)
        await _complete(r, observer, 8, "1")
        _rollout(observer, 8)
        await r.set_image("busybox:1.37")
        await _complete(r, observer, 8, "2")
        assert {p.spec.containers[0].image for p in r.live_pods()} == {"busybox:1.37"}
        group.cancel_scope.cancel()
    assert observer.violations == []
    assert observer.peaks == (8 + SURGE, 8 + SURGE)
