"""Events in a whole local cluster: every pod of a burst keeps its Scheduled, Pulled, Created and
Started Events (what `kubectl describe pod` shows), none dropped. Order is not pinned here: names
order by clock time, and on this frozen FakeClock the scheduler's and the kubelet's Events share an
instant, so a name taken by the other recorder is renamed to a later one (known gap)."""

from __future__ import annotations

import anyio
import pytest

from kubelite.api.core import Container, Event, Pod, PodSpec
from kubelite.api.meta import ObjectMeta
from kubelite.cli.cluster import local_cluster
from kubelite.clock import FakeClock
from kubelite.informers import SharedInformerFactory
from kubelite.store.memory import MemoryStorage

PODS = 60
START = ["Scheduled", "Pulled", "Created", "Started"]


def _pod(name: str) -> Pod:
    container = Container(name="web", image="busybox:1.36", command=["sleep", "3600"])
    return Pod(metadata=ObjectMeta(name=name, namespace="default"), spec=PodSpec(containers=[container]))


@pytest.mark.anyio
async def test_every_pod_of_a_burst_keeps_its_start_events_in_order() -> None:
    clock = FakeClock()
    async with (
        MemoryStorage(history=10_000) as storage,
        local_cluster(storage, nodes=3, clock=clock) as cluster,
        anyio.create_task_group() as group,
    ):
        factory = SharedInformerFactory(cluster.client, clock=clock)
        events = factory.lister(Event)
        factory.start(group)
        await factory.wait_for_cache_sync()
        for index in range(PODS):
            await cluster.client.create(_pod(f"web-{index}"))

        def reasons(pod: str) -> list[str]:
            mine = [e for e in events.list("default") if e.involved_object.name == pod]
            return [e.reason for e in sorted(mine, key=lambda e: e.metadata.name)]

        with anyio.fail_after(20):
            await clock.run_until(lambda: all(len(reasons(f"web-{i}")) == 4 for i in range(PODS)))
        for index in range(PODS):
            kept = reasons(f"web-{index}")
            assert sorted(kept) == sorted(START)
        group.cancel_scope.cancel()
