"""A kubelet that stops, seen by the node lifecycle controller (NODE-6, NODE-9, NODE-11, NODE-12):
the node goes Unknown 50–55 s after its last heartbeat, gets the unreachable taints, and its pods
(with the default 300 s tolerations from admission, NODE-10) are marked for deletion 300 s later
and stay Terminating while the node is dead."""

from __future__ import annotations

import pytest

from kubelite.api.core import Node
from kubelite.client import EventRecorder
from kubelite.controllers.nodelifecycle import NodeLifecycleController
from kubelite.controllers.runtime import Manager
from tests.kubelet.harness import cluster, make_pod

pytestmark = pytest.mark.anyio

UNREACHABLE = "node.kubernetes.io/unreachable"


async def test_node12_stopped_kubelet_node_unknown_then_tainted_then_pods_evicted_after_300s() -> None:
    async with cluster("node-1", "node-2") as c:
        manager = Manager(c.client, clock=c.clock)
        recorder = EventRecorder(c.client, "node-controller", clock=c.clock)
        NodeLifecycleController(manager, c.client, recorder)
        await c.group.start(recorder.run)
        await c.group.start(manager.run)
        nodes = manager.factory.lister(Node)
        await c.client.create(make_pod("victim", "sleep", "36000", node="node-1"))
        await c.until(lambda: (p := c.pod("victim")) is not None and p.status.phase == "Running")
        pod = c.pod("victim")
        assert pod is not None
        assert {(t.key, t.toleration_seconds) for t in pod.spec.tolerations} >= {(UNREACHABLE, 300)}
        await c.run_for(30)

        c.stop_node("node-1")
        stopped = c.clock.monotonic()

        def ready_status() -> str:
            node = nodes.get("node-1")
            ready = next((x for x in node.status.conditions if x.type == "Ready"), None) if node else None
            return ready.status if ready is not None else ""

        await c.until(lambda: ready_status() == "Unknown")
        # The last heartbeat was up to one 10 s renewal before the stop.
        assert 40 < c.clock.monotonic() - stopped <= 55 + 0.01

        def taints() -> set[tuple[str, str]]:
            node = nodes.get("node-1")
            return {(t.key, t.effect) for t in node.spec.taints} if node is not None else set()

        await c.until(lambda: (UNREACHABLE, "NoExecute") in taints())
        tainted = c.clock.monotonic()
        assert (UNREACHABLE, "NoSchedule") in taints()
        await c.until(
            lambda: (p := c.pod("victim")) is not None and p.metadata.deletion_timestamp is not None
        )
        assert c.clock.monotonic() - tainted == pytest.approx(300, abs=5.01)
        await c.run_for(120)
        pod = c.pod("victim")
        assert (
            pod is not None and pod.metadata.deletion_timestamp is not None
        )  # Terminating: nobody to finish it
        assert pod.status.phase == "Running"  # KUB-7: the phase on an unreachable node is left alone
        assert ready_status() == "Unknown"
        node2 = nodes.get("node-2")
        assert node2 is not None and not node2.spec.taints
