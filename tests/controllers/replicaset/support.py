"""A local cluster on a virtual clock with listers over pods, ReplicaSets, RCs and events."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

import anyio

from kubelite.api.apps import ReplicaSet, ReplicaSetSpec
from kubelite.api.core import Container, Event, Pod, PodSpec, PodTemplateSpec, ReplicationController
from kubelite.api.meta import LabelSelector, ObjectMeta
from kubelite.cli.cluster import LocalCluster, local_cluster
from kubelite.clock import FakeClock
from kubelite.controllers.replicaset.pods import is_active
from kubelite.controllers.runtime.claims import controller_of
from kubelite.informers import Lister, SharedInformerFactory
from kubelite.store.memory import MemoryStorage

LABELS = {"app": "web"}


def template(labels: dict[str, str] | None = None) -> PodTemplateSpec:
    container = Container(name="web", image="busybox:1.36", command=["sleep", "3600"])
    return PodTemplateSpec(
        metadata=ObjectMeta(labels=dict(labels or LABELS)), spec=PodSpec(containers=[container])
    )


def replica_set(name: str = "web", replicas: int = 3, min_ready: int = 0) -> ReplicaSet:
    spec = ReplicaSetSpec(
        replicas=replicas,
        min_ready_seconds=min_ready,
        selector=LabelSelector(match_labels=dict(LABELS)),
        template=template(),
    )
    return ReplicaSet(metadata=ObjectMeta(name=name, namespace="default"), spec=spec)


def bare_pod(name: str, labels: dict[str, str] | None = None) -> Pod:
    return Pod(
        metadata=ObjectMeta(name=name, namespace="default", labels=dict(labels or LABELS)),
        spec=template().spec,
    )


@dataclass
class Running:
    cluster: LocalCluster
    clock: FakeClock
    pods: Lister[Pod]
    sets: Lister[ReplicaSet]
    rcs: Lister[ReplicationController]
    events: Lister[Event]

    async def until(self, done: Callable[[], bool], seconds: float = 20) -> None:
        with anyio.fail_after(seconds):
            await self.clock.run_until(done)

    def owned(self, owner_uid: str) -> list[Pod]:
        """Active pods whose controller reference names `owner_uid`, by name."""
        found = [
            p
            for p in self.pods.list("default")
            if is_active(p) and (ref := controller_of(p)) is not None and ref.uid == owner_uid
        ]
        return sorted(found, key=lambda p: p.metadata.name)

    def rs(self, name: str = "web") -> ReplicaSet:
        found = self.sets.get(name, "default")
        assert found is not None
        return found

    def messages(self, reason: str) -> list[str]:
        return sorted(e.message for e in self.events.list("default") if e.reason == reason)


@asynccontextmanager
async def running(nodes: int = 2) -> AsyncIterator[Running]:
    clock = FakeClock()
    async with (
        MemoryStorage(history=10_000) as storage,
        local_cluster(storage, nodes=nodes, clock=clock) as cluster,
    ):
        factory = SharedInformerFactory(cluster.client, clock=clock)
        listers = (factory.lister(Pod), factory.lister(ReplicaSet), factory.lister(ReplicationController))
        events = factory.lister(Event)
        async with anyio.create_task_group() as group:
            factory.start(group)
            await factory.wait_for_cache_sync()
            yield Running(cluster, clock, *listers, events)
            group.cancel_scope.cancel()
