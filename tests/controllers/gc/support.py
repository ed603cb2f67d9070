"""A local cluster on a virtual clock, and plain owner objects (ConfigMaps owning ConfigMaps)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TypeVar

import anyio

from kubelite.api.apps import ReplicaSet
from kubelite.api.batch import Job
from kubelite.api.core import ConfigMap, Container, Event, Namespace, Pod, PodSpec, ReplicationController
from kubelite.api.errors import NotFound
from kubelite.api.meta import Object, ObjectMeta, OwnerReference
from kubelite.cli.cluster import LocalCluster, local_cluster
from kubelite.clock import FakeClock
from kubelite.informers import Lister, SharedInformerFactory
from kubelite.store.memory import MemoryStorage

T = TypeVar("T", bound=Object)
WATCHED: tuple[type[Object], ...] = (Event, ConfigMap, Pod, Namespace, ReplicaSet, Job, ReplicationController)


def ref(owner: Object, *, block: bool | None = None, controller: bool | None = None) -> OwnerReference:
    meta = owner.metadata
    return OwnerReference(
        api_version=owner.api_version,
        kind=type(owner).__name__,
        name=meta.name,
        uid=meta.uid,
        block_owner_deletion=block,
        controller=controller,
    )


def config_map(
    name: str, *owners: OwnerReference, namespace: str = "default", finalizers: list[str] | None = None
) -> ConfigMap:
    meta = ObjectMeta(
        name=name, namespace=namespace, owner_references=list(owners), finalizers=list(finalizers or [])
    )
    return ConfigMap(metadata=meta, data={"k": "v"})


def pod(name: str, *owners: OwnerReference, grace: int = 30) -> Pod:
    # ignores SIGTERM, so a deleted pod runs out its grace period (as a bare `sleep` as PID 1 does)
    container = Container(name="app", image="busybox", command=["sh", "-c", "trap '' TERM; sleep 3600"])
    spec = PodSpec(containers=[container], termination_grace_period_seconds=grace)
    return Pod(metadata=ObjectMeta(name=name, namespace="default", owner_references=list(owners)), spec=spec)


@dataclass
class Running:
    cluster: LocalCluster
    clock: FakeClock
    factory: SharedInformerFactory

    async def until(self, done: Callable[[], bool], seconds: float = 20) -> None:
        with anyio.fail_after(seconds):
            await self.clock.run_until(done)

    def get(self, kind: type[T], name: str, namespace: str = "default") -> T | None:
        """The test's cached view of an object (its informer starts on first use)."""
        return self.lister(kind).get(name, namespace)

    def lister(self, kind: type[T]) -> Lister[T]:
        assert kind in WATCHED, f"add {kind.__name__} to WATCHED"
        return self.factory.lister(kind)

    async def live(self, kind: type[Object], name: str, namespace: str = "default") -> Object | None:
        try:
            return await self.cluster.client.get(kind, name, namespace)
        except NotFound:
            return None

    async def gone(self, kind: type[Object], name: str, namespace: str = "default") -> bool:
        return await self.live(kind, name, namespace) is None

    def lister_events(self) -> list[Event]:
        return self.lister(Event).list()

    def messages(self, reason: str) -> list[str]:
        return sorted(e.message for e in self.lister(Event).list() if e.reason == reason)


@asynccontextmanager
async def running(nodes: int = 1) -> AsyncIterator[Running]:
    clock = FakeClock()
    async with (
        MemoryStorage(history=10_000) as storage,
        local_cluster(storage, nodes=nodes, clock=clock) as cluster,
    ):
        factory = SharedInformerFactory(cluster.client, clock=clock)
        async with anyio.create_task_group() as group:
            for kind in WATCHED:
                factory.informer(kind)
            factory.start(group)
            await factory.wait_for_cache_sync()
            yield Running(cluster, clock, factory)
            group.cancel_scope.cancel()
