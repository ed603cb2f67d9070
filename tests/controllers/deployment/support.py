"""A local cluster on a virtual clock with listers over Deployments, ReplicaSets, pods and events,
and helpers to drive Deployments the way kubectl does."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import anyio
import msgspec

from kubelite.api.apps import (
    Deployment,
    DeploymentSpec,
    DeploymentStrategy,
    ReplicaSet,
    RollingUpdateDeployment,
)
from kubelite.api.core import Container, Event, Pod, PodSpec, PodTemplateSpec
from kubelite.api.meta import LabelSelector, ObjectMeta
from kubelite.cli.cluster import LocalCluster, local_cluster
from kubelite.client import InProcessClient, PatchType
from kubelite.clock import FakeClock
from kubelite.controllers.runtime.claims import controller_of
from kubelite.informers import Lister, SharedInformerFactory
from kubelite.store.memory import MemoryStorage

LABELS = {"app": "web"}
REVISION = "deployment.kubernetes.io/revision"


def deployment(
    replicas: int = 3,
    *,
    image: str = "busybox:1.36",
    command: list[str] | None = None,
    surge: int | str | None = None,
    unavailable: int | str | None = None,
    recreate: bool = False,
    min_ready: int = 0,
    history: int | None = None,
    deadline: int | None = None,
) -> Deployment:
    container = Container(name="web", image=image, command=command or ["sleep", "3600"])
    template = PodTemplateSpec(metadata=ObjectMeta(labels=dict(LABELS)), spec=PodSpec(containers=[container]))
    rolling = RollingUpdateDeployment(max_surge=surge, max_unavailable=unavailable)
    strategy = DeploymentStrategy(type="Recreate") if recreate else DeploymentStrategy(rolling_update=rolling)
    spec = DeploymentSpec(
        replicas=replicas,
        selector=LabelSelector(match_labels=dict(LABELS)),
        template=template,
        strategy=strategy,
        min_ready_seconds=min_ready,
        revision_history_limit=history,
        progress_deadline_seconds=deadline,
    )
    return Deployment(metadata=ObjectMeta(name="web", namespace="default"), spec=spec)


@dataclass
class Running:
    cluster: LocalCluster
    clock: FakeClock
    deployments: Lister[Deployment]
    sets: Lister[ReplicaSet]
    pods: Lister[Pod]
    events: Lister[Event]

    @property
    def client(self) -> InProcessClient:
        return self.cluster.client

    async def until(self, done: Callable[[], bool], seconds: float = 30) -> None:
        with anyio.fail_after(seconds):
            await self.clock.run_until(done)

    def d(self, name: str = "web") -> Deployment:
        found = self.deployments.get(name, "default")
        assert found is not None
        return found

    def owned_sets(self, name: str = "web") -> list[ReplicaSet]:
        uid = self.d(name).metadata.uid
        found = [rs for rs in self.sets.list("default") if (ref := controller_of(rs)) and ref.uid == uid]
        return sorted(found, key=lambda rs: int(rs.metadata.annotations.get(REVISION, "0")))

    def sizes(self, name: str = "web") -> dict[str, int]:
        """revision → spec.replicas of each owned RS."""
        return {
            rs.metadata.annotations.get(REVISION, "?"): rs.spec.replicas or 0 for rs in self.owned_sets(name)
        }

    def live_pods(self) -> list[Pod]:
        return [p for p in self.pods.list("default") if p.metadata.deletion_timestamp is None]

    def complete(self, name: str = "web") -> bool:
        d = self.deployments.get(name, "default")
        if d is None:
            return False
        s, replicas = d.status, d.spec.replicas
        return (
            s.observed_generation >= d.metadata.generation
            and s.updated_replicas == replicas
            and s.replicas == replicas
            and s.available_replicas == replicas
            and len(self.live_pods()) == replicas
        )

    def messages(self, reason: str) -> list[str]:
        found = [e for e in self.events.list("default") if e.reason == reason]
        return [e.message for e in sorted(found, key=lambda e: int(e.metadata.resource_version or 0))]

    async def scaling_events(self, count: int) -> list[str]:
        """The ScalingReplicaSet messages, oldest first, once `count` of them are written (the
        recorder writes after the scale it reports)."""
        await self.until(lambda: len(self.messages("ScalingReplicaSet")) >= count)
        return self.messages("ScalingReplicaSet")

    async def patch(
        self, body: Any, patch_type: PatchType = PatchType.STRATEGIC, name: str = "web"
    ) -> Deployment:
        return await self.client.patch(Deployment, name, body, "default", patch_type=patch_type)

    async def set_image(self, image: str) -> Deployment:
        """`kubectl set image deployment/web web=<image>`."""
        body = {"spec": {"template": {"spec": {"containers": [{"name": "web", "image": image}]}}}}
        return await self.patch(body)

    async def scale(self, replicas: int) -> Deployment:
        return await self.patch({"spec": {"replicas": replicas}}, PatchType.MERGE)

    async def undo(self, revision: int) -> Deployment:
        """`kubectl rollout undo deployment/web --to-revision=N`: a JSON patch of the RS's template."""
        rs = next(rs for rs in self.owned_sets() if rs.metadata.annotations.get(REVISION) == str(revision))
        template: dict[str, Any] = msgspec.to_builtins(rs.spec.template)
        template["metadata"]["labels"].pop("pod-template-hash")
        annotations = dict(self.d().metadata.annotations)
        ops = [
            {"op": "replace", "path": "/spec/template", "value": template},
            {"op": "replace", "path": "/metadata/annotations", "value": annotations},
        ]
        return await self.patch(ops, PatchType.JSON)


@asynccontextmanager
async def running(nodes: int = 2) -> AsyncIterator[Running]:
    clock = FakeClock()
    async with (
        MemoryStorage(history=10_000) as storage,
        local_cluster(storage, nodes=nodes, clock=clock) as cluster,
    ):
        factory = SharedInformerFactory(cluster.client, clock=clock)
        listers = (factory.lister(Deployment), factory.lister(ReplicaSet), factory.lister(Pod))
        events = factory.lister(Event)
        async with anyio.create_task_group() as group:
            factory.start(group)
            await factory.wait_for_cache_sync()
            yield Running(cluster, clock, *listers, events)
            group.cancel_scope.cancel()
