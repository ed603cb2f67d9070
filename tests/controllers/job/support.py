"""A local cluster on a virtual clock (the Job controller, the scheduler and fake kubelets) with
listers over Jobs, pods and events, and a peak-active tracker fed by the pod watch."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import anyio

from kubelite.api.batch import Job, JobSpec
from kubelite.api.core import Container, Event, Pod, PodSpec, PodTemplateSpec
from kubelite.api.meta import ObjectMeta
from kubelite.cli.cluster import LocalCluster, local_cluster
from kubelite.clock import FakeClock
from kubelite.controllers.job.pods import is_active
from kubelite.controllers.runtime.claims import controller_of
from kubelite.informers import DeletedFinalStateUnknown, EventHandlers, Lister, SharedInformerFactory, unwrap
from kubelite.store.memory import MemoryStorage


def job(
    name: str = "work",
    script: str = "exit 0",
    *,
    completions: int | None = 1,
    parallelism: int | None = 1,
    restart: str = "Never",
    **spec: object,
) -> Job:
    container = Container(name="main", image="busybox", command=["sh", "-c", script])
    template = PodTemplateSpec(spec=PodSpec(containers=[container], restart_policy=restart))
    body = JobSpec(completions=completions, parallelism=parallelism, template=template, **spec)  # type: ignore[arg-type]
    return Job(metadata=ObjectMeta(name=name, namespace="default"), spec=body)


@dataclass
class PeakActive:
    """The most active pods (JOB-3) of any one Job seen at once, and restarts, from the pod watch."""

    active: dict[str, set[str]] = field(default_factory=dict)
    peak: dict[str, int] = field(default_factory=dict)
    restarts: dict[str, int] = field(default_factory=dict)
    """The highest container restart sum seen per pod name."""

    def observe(self, pod: Pod) -> None:
        ref = controller_of(pod)
        if ref is None:
            return
        count = sum(status.restart_count for status in pod.status.container_statuses)
        self.restarts[pod.metadata.name] = max(self.restarts.get(pod.metadata.name, 0), count)
        pods = self.active.setdefault(ref.name, set())
        if is_active(pod):
            pods.add(pod.metadata.uid)
        else:
            pods.discard(pod.metadata.uid)
        self.peak[ref.name] = max(self.peak.get(ref.name, 0), len(pods))

    def handlers(self) -> EventHandlers[Pod]:
        def gone(obj: Pod | DeletedFinalStateUnknown[Pod]) -> None:
            pod = unwrap(obj)
            ref = controller_of(pod)
            if ref is not None:
                self.active.get(ref.name, set()).discard(pod.metadata.uid)

        return EventHandlers(
            on_add=lambda pod, _initial: self.observe(pod),
            on_update=lambda _old, new: self.observe(new),
            on_delete=gone,
        )


@dataclass
class Running:
    cluster: LocalCluster
    clock: FakeClock
    jobs: Lister[Job]
    pods: Lister[Pod]
    events: Lister[Event]
    peak: PeakActive

    async def until(self, done: Callable[[], bool], seconds: float = 30) -> None:
        with anyio.fail_after(seconds):
            await self.clock.run_until(done)

    def job(self, name: str = "work") -> Job:
        found = self.jobs.get(name, "default")
        assert found is not None
        return found

    def owned(self, name: str = "work") -> list[Pod]:
        uid = self.job(name).metadata.uid
        found = [
            p for p in self.pods.list("default") if (ref := controller_of(p)) is not None and ref.uid == uid
        ]
        return sorted(found, key=lambda p: p.metadata.creation_timestamp or "")

    def condition(self, type: str, name: str = "work") -> tuple[str, str, str] | None:
        for c in self.job(name).status.conditions:
            if c.type == type:
                return c.status, c.reason, c.message
        return None

    def finished(self, name: str = "work") -> bool:
        found = self.jobs.get(name, "default")
        return found is not None and any(
            c.type in ("Complete", "Failed") and c.status == "True" for c in found.status.conditions
        )

    def messages(self, reason: str, name: str = "work") -> list[str]:
        return [
            e.message
            for e in sorted(self.events.list("default"), key=lambda e: e.metadata.creation_timestamp or "")
            if e.reason == reason and e.involved_object.name == name
        ]


@asynccontextmanager
async def running(nodes: int = 2) -> AsyncIterator[Running]:
    clock = FakeClock()
    async with (
        MemoryStorage(history=10_000) as storage,
        local_cluster(storage, nodes=nodes, clock=clock) as cluster,
    ):
        factory = SharedInformerFactory(cluster.client, clock=clock)
        peak = PeakActive()
        factory.informer(Pod).add_event_handler(peak.handlers())
        listers = (factory.lister(Job), factory.lister(Pod), factory.lister(Event))
        async with anyio.create_task_group() as group:
            factory.start(group)
            await factory.wait_for_cache_sync()
            yield Running(cluster, clock, *listers, peak)
            group.cancel_scope.cancel()
