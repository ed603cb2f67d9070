"""`ClusterPodStreams`: `pods/log` routed to the kubelet of the pod's node, with timestamps; a pod
with no node, or on a node this process does not run, is a 400; a missing pod a 404."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
import pytest

from kubelite.api.core import Container, Pod, PodSpec
from kubelite.api.errors import BadRequest, NotFound
from kubelite.api.meta import ObjectMeta
from kubelite.cli.cluster import LocalCluster, local_cluster
from kubelite.cli.podstreams import ClusterPodStreams, rfc3339_nano
from kubelite.clock import FakeClock
from kubelite.informers import SharedInformerFactory
from kubelite.store.memory import MemoryStorage

pytestmark = pytest.mark.anyio


def _pod(name: str, *, node: str = "", selector: dict[str, str] | None = None) -> Pod:
    container = Container(name="main", image="busybox:1.36", command=["sh", "-c", "echo one; echo two"])
    spec = PodSpec(
        containers=[container], node_name=node, node_selector=selector or {}, restart_policy="Never"
    )
    return Pod(metadata=ObjectMeta(name=name, namespace="default"), spec=spec)


@asynccontextmanager
async def cluster() -> AsyncIterator[tuple[LocalCluster, FakeClock]]:
    clock = FakeClock()
    async with MemoryStorage() as storage, local_cluster(storage, nodes=1, clock=clock) as running:
        yield running, clock


async def _collect(streams: ClusterPodStreams, name: str, *, timestamps: bool = False) -> bytes:
    chunks = streams.logs(
        "default", name, "", tail_lines=None, timestamps=timestamps, follow=False, previous=False
    )
    return b"".join([chunk async for chunk in chunks])


async def test_logs_come_from_the_kubelet_of_the_pods_node() -> None:
    async with cluster() as (running, clock):
        factory = SharedInformerFactory(running.client, clock=clock)
        pods = factory.lister(Pod)
        async with anyio.create_task_group() as group:
            factory.start(group)
            await running.client.create(_pod("hello"))

            def succeeded() -> bool:
                pod = pods.get("hello", "default")
                return pod is not None and pod.status.phase == "Succeeded"

            with anyio.fail_after(20):
                await clock.run_until(succeeded)
            group.cancel_scope.cancel()
        streams = ClusterPodStreams(running)
        assert await _collect(streams, "hello") == b"one\ntwo\n"
        stamped = (await _collect(streams, "hello", timestamps=True)).decode().splitlines()
        stamp = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z"
        assert [re.sub(stamp, "T", line) for line in stamped] == ["T one", "T two"]


async def test_a_pod_without_a_node_or_on_a_foreign_node_is_a_bad_request() -> None:
    async with cluster() as (running, _):
        streams = ClusterPodStreams(running)
        await running.client.create(_pod("pending", selector={"nowhere": "true"}))
        with pytest.raises(BadRequest, match='pod "pending" is not scheduled to a node yet'):
            await _collect(streams, "pending")
        await running.client.create(_pod("elsewhere", node="node-9"))
        with pytest.raises(BadRequest, match='pod "elsewhere" is on node "node-9", which this server'):
            await _collect(streams, "elsewhere")
        with pytest.raises(NotFound):
            await _collect(streams, "missing")


def test_rfc3339_nano_has_nine_fraction_digits() -> None:
    assert rfc3339_nano(1_700_000_000.5) == "2023-11-14T22:13:20.500000000Z"
    assert rfc3339_nano(0.0) == "1970-01-01T00:00:00.000000000Z"
