"""A local cluster on a virtual clock (with the disruption controller) and listers over pods,
PodDisruptionBudgets and events, for the NODE-15/NODE-16 scenarios."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any

import anyio

from kubelite.api.core import Event, Node, Pod
from kubelite.api.meta import LabelSelector, ObjectMeta
from kubelite.api.policy import Eviction, PodDisruptionBudget, PodDisruptionBudgetSpec
from kubelite.api.policy.budget import is_pod_ready
from kubelite.cli.cluster import LocalCluster, local_cluster
from kubelite.clock import FakeClock
from kubelite.informers import Lister, SharedInformerFactory
from kubelite.store import Storage
from kubelite.store.memory import MemoryStorage

LABELS = {"app": "web"}


def pdb(
    name: str = "web",
    *,
    min_available: int | str | None = None,
    max_unavailable: int | str | None = None,
    selector: LabelSelector | None = None,
) -> PodDisruptionBudget:
    spec = PodDisruptionBudgetSpec(
        min_available=min_available,
        max_unavailable=max_unavailable,
        selector=selector if selector is not None else LabelSelector(match_labels=dict(LABELS)),
    )
    return PodDisruptionBudget(metadata=ObjectMeta(name=name, namespace="default"), spec=spec)


def eviction(name: str) -> Eviction:
    return Eviction(metadata=ObjectMeta(name=name, namespace="default"))


@dataclass
class Running:
    cluster: LocalCluster
    clock: FakeClock
    pods: Lister[Pod]
    budgets: Lister[PodDisruptionBudget]
    events: Lister[Event]

    async def until(self, done: Callable[[], bool], seconds: float = 20) -> None:
        with anyio.fail_after(seconds):
            await self.clock.run_until(done)

    def budget(self, name: str = "web") -> PodDisruptionBudget:
        found = self.budgets.get(name, "default")
        assert found is not None
        return found

    def counters(self, name: str = "web") -> tuple[int, int, int, int]:
        """(expectedPods, desiredHealthy, currentHealthy, disruptionsAllowed) of the budget."""
        s = self.budget(name).status
        return s.expected_pods, s.desired_healthy, s.current_healthy, s.disruptions_allowed

    def ready(self) -> list[Pod]:
        live = [p for p in self.pods.list("default") if p.metadata.deletion_timestamp is None]
        return sorted((p for p in live if is_pod_ready(p)), key=lambda p: p.metadata.name)

    def messages(self, reason: str) -> list[str]:
        return sorted(e.message for e in self.events.list("default") if e.reason == reason)

    async def cordon(self, unschedulable: bool) -> None:
        for node in self.cluster.nodes.kubelets:
            body: dict[str, Any] = {"spec": {"unschedulable": unschedulable}}
            await self.cluster.client.patch(Node, node, body)


@asynccontextmanager
async def running(
    nodes: int = 2, *, storage: Storage | None = None, clock: FakeClock | None = None
) -> AsyncIterator[Running]:
    """A cluster over `storage` (a new memory store by default) on `clock` (a new FakeClock)."""
    clock = clock or FakeClock()
    async with AsyncExitStack() as stack:
        if storage is None:
            storage = await stack.enter_async_context(MemoryStorage(history=10_000))
        cluster = await stack.enter_async_context(local_cluster(storage, nodes=nodes, clock=clock))
        factory = SharedInformerFactory(cluster.client, clock=clock)
        listers = (factory.lister(Pod), factory.lister(PodDisruptionBudget), factory.lister(Event))
        async with anyio.create_task_group() as group:
            factory.start(group)
            await factory.wait_for_cache_sync()
            yield Running(cluster, clock, *listers)
            group.cancel_scope.cancel()
