"""The node lifecycle controller and pod GC end to end (NODE-4..13), on a virtual clock.

Each test builds an in-process cluster over the memory store: Nodes with healthy conditions and
Leases, a Manager running `NodeLifecycleController` and `PodGCController`, and fake kubelets that
renew the Leases of the nodes in `cluster.alive` every 10 s. A kubelet "dies" when its node leaves
`alive`. Time only moves through `FakeClock.run_until`, which jumps to the next sleeper's deadline.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import anyio
import anyio.lowlevel
import msgspec
import pytest

from kubelite.api.coordination import Lease, LeaseSpec
from kubelite.api.core import (
    Container,
    Event,
    Node,
    NodeCondition,
    NodeSpec,
    NodeStatus,
    Pod,
    PodCondition,
    PodSpec,
    Taint,
    Toleration,
)
from kubelite.api.meta import ObjectMeta
from kubelite.apiserver import APIServer
from kubelite.client import EventRecorder, InProcessClient
from kubelite.client.errors import Conflict
from kubelite.clock import FakeClock, parse_rfc3339, rfc3339
from kubelite.controllers.nodelifecycle import NodeLifecycleController, NodeLifecycleSettings
from kubelite.controllers.podgc import PodGCController
from kubelite.controllers.runtime import Manager
from kubelite.store.memory import MemoryStorage

pytestmark = pytest.mark.anyio

UNREACHABLE = "node.kubernetes.io/unreachable"
NOT_READY = "node.kubernetes.io/not-ready"
UNSCHEDULABLE = "node.kubernetes.io/unschedulable"
CUSTOM = Taint(key="example.com/dedicated", value="db", effect="NoSchedule")
MONITORED = ("Ready", "MemoryPressure", "DiskPressure", "PIDPressure")


def healthy_conditions(now: float, ready: str = "True") -> list[NodeCondition]:
    stamp = rfc3339(now)
    reason = "KubeletReady" if ready == "True" else "KubeletNotReady"

    def cond(kind: str, status: str, why: str) -> NodeCondition:
        return NodeCondition(kind, status, last_heartbeat_time=stamp, last_transition_time=stamp, reason=why)

    return [
        cond("Ready", ready, reason),
        cond("MemoryPressure", "False", "KubeletHasSufficientMemory"),
        cond("DiskPressure", "False", "KubeletHasNoDiskPressure"),
        cond("PIDPressure", "False", "KubeletHasSufficientPID"),
        cond("NetworkUnavailable", "False", "RouteCreated"),
    ]


@dataclass
class Cluster:
    clock: FakeClock
    client: InProcessClient
    manager: Manager
    recorder: EventRecorder
    start: float
    alive: set[str] = field(default_factory=set)

    def node(self, name: str) -> Node:
        node = self.manager.factory.lister(Node).get(name)
        assert node is not None, name
        return node

    def pod(self, name: str) -> Pod | None:
        return self.manager.factory.lister(Pod).get(name, "default")

    def elapsed(self) -> float:
        return self.clock.now() - self.start

    async def until(self, done: Callable[[], bool]) -> None:
        with anyio.fail_after(10):
            await self.clock.run_until(done)

    async def advance(self, seconds: float) -> None:
        target = self.clock.now() + seconds
        await self.until(lambda: self.clock.now() >= target)

    async def add_pod(self, name: str, node: str, *tolerations: Toleration, ready: bool = False) -> Pod:
        spec = PodSpec(
            containers=[Container(name="app", image="busybox:1.36")],
            node_name=node,
            tolerations=list(tolerations),
        )
        pod = await self.client.create(Pod(metadata=ObjectMeta(name=name, namespace="default"), spec=spec))
        if ready:
            stamp = rfc3339(self.clock.now())
            pod.status.phase = "Running"
            pod.status.conditions = [PodCondition("Ready", "True", last_transition_time=stamp)]
            pod = await self.client.update_status(pod)
        await self.until(lambda: self.pod(name) is not None)
        return pod

    async def edit_node(self, name: str, edit: Callable[[Node], None], *, status: bool = False) -> None:
        """Read, change and write a node, retrying on conflicts with the controller's writes."""
        for _ in range(10):
            node = await self.client.get(Node, name)
            edit(node)
            try:
                await (self.client.update_status(node) if status else self.client.update(node))
                return
            except Conflict:
                await anyio.lowlevel.checkpoint()
        raise AssertionError(f"node {name} kept conflicting")

    async def post_status(self, name: str, ready: str) -> None:
        """What a kubelet does when its view of the node changes (NODE-3)."""
        now = self.clock.now()
        await self.edit_node(
            name, lambda n: setattr(n.status, "conditions", healthy_conditions(now, ready)), status=True
        )

    async def set_taints(self, name: str, taints: list[Taint]) -> None:
        await self.edit_node(name, lambda n: setattr(n.spec, "taints", taints))

    async def cordon(self, name: str, unschedulable: bool) -> None:
        await self.edit_node(name, lambda n: setattr(n.spec, "unschedulable", unschedulable))

    async def kubelets(self) -> None:
        while True:
            await self.clock.sleep(10)
            for name in sorted(self.alive):
                lease = await self.client.get(Lease, name, "kube-node-lease")
                lease.spec.renew_time = rfc3339(self.clock.now())
                await self.client.update(lease)


def taints_of(node: Node, effect: str | None = None) -> set[str]:
    return {t.key for t in node.spec.taints if effect is None or t.effect == effect}


def condition(node: Node, kind: str) -> NodeCondition:
    return next(c for c in node.status.conditions if c.type == kind)


def ready(node: Node) -> str:
    return condition(node, "Ready").status


async def _create_node(client: InProcessClient, name: str, now: float, zone: str, conditions: bool) -> None:
    labels = {"topology.kubernetes.io/zone": zone} if zone else {}
    node = Node(
        metadata=ObjectMeta(name=name, labels=labels),
        spec=NodeSpec(taints=[CUSTOM]),
        status=NodeStatus(conditions=healthy_conditions(now) if conditions else []),
    )
    await client.create(node)
    if conditions:
        spec = LeaseSpec(holder_identity=name, lease_duration_seconds=40, renew_time=rfc3339(now))
        await client.create(Lease(metadata=ObjectMeta(name=name, namespace="kube-node-lease"), spec=spec))


@asynccontextmanager
async def cluster(
    *names: str, zones: dict[str, str] | None = None, silent: tuple[str, ...] = ()
) -> AsyncIterator[Cluster]:
    """Nodes `names` (healthy, kubelets alive) and `silent` ones (never posted status, no kubelet)."""
    clock = FakeClock()
    async with MemoryStorage(history=10_000) as storage:
        server = APIServer(storage, clock=clock)
        await server.bootstrap()
        client = InProcessClient(server)
        for name in names:
            await _create_node(client, name, clock.now(), (zones or {}).get(name, ""), conditions=True)
        for name in silent:
            await _create_node(client, name, clock.now(), "", conditions=False)
        manager = Manager(client, clock=clock, detect_mutation=True)
        recorder = EventRecorder(client, "node-controller", clock=clock)
        NodeLifecycleController(manager, client, recorder, NodeLifecycleSettings())
        PodGCController(manager, client)
        kit = Cluster(clock, client, manager, recorder, clock.now(), set(names))
        async with anyio.create_task_group() as tg:
            await tg.start(recorder.run)
            tg.start_soon(kit.kubelets)
            with anyio.fail_after(5):
                await tg.start(manager.run)
            yield kit
            tg.cancel_scope.cancel()
        manager.factory.verify_caches()


async def test_node6_heartbeats_stop_node_goes_unknown_after_50_to_55_s() -> None:
    async with cluster("n1", "n2") as c:
        c.alive.discard("n2")  # last heartbeat (Ready and Lease) at c.start
        await c.until(lambda: ready(c.node("n2")) == "Unknown")
        node = c.node("n2")
        assert 50 < c.elapsed() <= 55
        for kind in MONITORED:
            cond = condition(node, kind)
            assert (cond.status, cond.reason, cond.message) == (
                "Unknown",
                "NodeStatusUnknown",
                "Kubelet stopped posting node status.",
            ), kind
            assert cond.last_transition_time == rfc3339(c.clock.now())
            assert cond.last_heartbeat_time == rfc3339(c.start), "lastHeartbeatTime is left as it was"
        network = condition(node, "NetworkUnavailable")
        assert (network.status, network.reason) == ("False", "RouteCreated"), "NetworkUnavailable untouched"
        assert ready(c.node("n1")) == "True", "a node whose lease is renewed stays Ready"


async def test_node5_node_that_never_posted_status_gets_never_updated_after_startup_grace() -> None:
    async with cluster("n1", silent=("fresh",)) as c:
        await c.until(lambda: any(x.type == "Ready" for x in c.node("fresh").status.conditions))
        node = c.node("fresh")
        assert 60 < c.elapsed() <= 65, "NODE-5: 60 s startup grace from creation"
        for kind in MONITORED:
            cond = condition(node, kind)
            assert (cond.status, cond.reason, cond.message) == (
                "Unknown",
                "NodeStatusNeverUpdated",
                "Kubelet never posted node status.",
            )
            assert cond.last_heartbeat_time == node.metadata.creation_timestamp
        await c.until(lambda: UNREACHABLE in taints_of(c.node("fresh"), "NoExecute"))
        assert ready(c.node("fresh")) == "Unknown", "the controller's own heartbeat is no sign of life"


async def test_node8_9_dead_node_gets_unreachable_taints_and_keeps_others() -> None:
    async with cluster("n1", "n2") as c:
        c.alive.discard("n2")
        await c.until(
            lambda: (
                UNREACHABLE in taints_of(c.node("n2"), "NoExecute")
                and UNREACHABLE in taints_of(c.node("n2"), "NoSchedule")
            )
        )
        node = c.node("n2")
        assert CUSTOM.key in taints_of(node), "other taint keys are never touched"
        unknown_at = condition(node, "Ready").last_transition_time
        assert all(t.time_added == unknown_at for t in node.spec.taints if t.key == UNREACHABLE)
        assert NOT_READY not in taints_of(node)
        assert taints_of(c.node("n1")) == {CUSTOM.key}


async def test_node11_12_default_toleration_evicts_300_s_after_the_taint() -> None:
    async with cluster("n1", "n2") as c:
        doomed = await c.add_pod("doomed", "n2")
        await c.add_pod("safe", "n1")
        assert {(t.key, t.toleration_seconds) for t in doomed.spec.tolerations} == {
            (NOT_READY, 300),
            (UNREACHABLE, 300),
        }, "NODE-10 defaulting"
        c.alive.discard("n2")
        await c.until(lambda: UNREACHABLE in taints_of(c.node("n2"), "NoExecute"))
        tainted_at = c.clock.now()
        await c.until(
            lambda: (p := c.pod("doomed")) is not None and p.metadata.deletion_timestamp is not None
        )
        assert 300 <= c.clock.now() - tainted_at <= 301, "deleted 300 s after the taint, not before"
        pod = c.pod("doomed")
        assert pod is not None
        target = next(x for x in pod.status.conditions if x.type == "DisruptionTarget")
        assert (target.status, target.reason) == ("True", "DeletionByTaintManager")
        assert pod.status.phase != "Failed", "KUB-7: the phase is left as it was"
        safe = c.pod("safe")
        assert safe is not None and safe.metadata.deletion_timestamp is None


async def test_node11_untolerated_taint_deletes_at_once_tolerated_waits_or_stays() -> None:
    dedicated = Toleration(key="example.com/maintenance", operator="Exists", effect="NoExecute")
    async with cluster("n1", "n2") as c:
        await c.add_pod("plain", "n1")
        await c.add_pod("brief", "n1", msgspec.structs.replace(dedicated, toleration_seconds=100))
        await c.add_pod("forever", "n1", dedicated)
        await c.add_pod("zero", "n1", msgspec.structs.replace(dedicated, toleration_seconds=0))
        maintenance = Taint(key="example.com/maintenance", effect="NoExecute")
        await c.set_taints("n1", [CUSTOM, maintenance])
        tainted_at = c.clock.now()

        def terminating(name: str) -> bool:
            pod = c.pod(name)
            return pod is not None and pod.metadata.deletion_timestamp is not None

        await c.until(lambda: terminating("plain") and terminating("zero"))
        assert c.clock.now() == tainted_at, "an untolerated taint (or tolerationSeconds 0) evicts at once"
        await c.until(lambda: terminating("brief"))
        assert c.clock.now() - tainted_at == 100
        await c.advance(400)
        assert not terminating("forever"), "no tolerationSeconds: tolerated forever"


async def test_node11_removing_the_taint_cancels_the_eviction() -> None:
    toleration = Toleration(
        key="example.com/maintenance", operator="Exists", effect="NoExecute", toleration_seconds=100
    )
    async with cluster("n1", "n2") as c:
        await c.add_pod("web", "n1", toleration)
        await c.set_taints("n1", [CUSTOM, Taint(key="example.com/maintenance", effect="NoExecute")])
        await c.advance(60)
        await c.set_taints("n1", [CUSTOM])
        await c.advance(200)
        pod = c.pod("web")
        assert pod is not None and pod.metadata.deletion_timestamp is None
        assert not any(x.type == "DisruptionTarget" for x in pod.status.conditions)


async def test_node7_pods_on_a_node_gone_unknown_become_not_ready() -> None:
    async with cluster("n1", "n2") as c:
        await c.add_pod("web", "n2", ready=True)
        c.alive.discard("n2")

        def pod_ready() -> str:
            pod = c.pod("web")
            assert pod is not None
            return next(x.status for x in pod.status.conditions if x.type == "Ready")

        await c.until(lambda: pod_ready() == "False")
        pod = c.pod("web")
        assert pod is not None and pod.status.phase == "Running", "KUB-7: phase left as it was"
        await c.recorder.flush()
        events = (await c.client.list(Event, "default")).items
        reasons = {(e.involved_object.kind, e.involved_object.name, e.reason) for e in events}
        assert {("Node", "n2", "NodeNotReady"), ("Pod", "web", "NodeNotReady")} <= reasons


async def test_node9_heartbeats_resuming_remove_the_taints() -> None:
    async with cluster("n1", "n2") as c:
        c.alive.discard("n2")
        await c.until(lambda: UNREACHABLE in taints_of(c.node("n2"), "NoExecute"))
        c.alive.add("n2")
        await c.post_status("n2", "True")
        await c.until(lambda: taints_of(c.node("n2")) == {CUSTOM.key})
        await c.advance(120)
        assert ready(c.node("n2")) == "True"
        assert taints_of(c.node("n2")) == {CUSTOM.key}


async def test_node8_9_ready_false_gives_not_ready_taints_then_swaps_to_unreachable() -> None:
    async with cluster("n1", "n2") as c:
        await c.post_status("n2", "False")
        await c.until(lambda: NOT_READY in taints_of(c.node("n2"), "NoExecute"))
        assert taints_of(c.node("n2")) == {CUSTOM.key, NOT_READY}
        c.alive.discard("n2")
        await c.until(lambda: ready(c.node("n2")) == "Unknown")
        await c.until(lambda: taints_of(c.node("n2")) == {CUSTOM.key, UNREACHABLE})
        node = c.node("n2")
        assert taints_of(node, "NoExecute") == {UNREACHABLE}, "the two NoExecute taints are exclusive"


async def test_node13_cordon_adds_and_uncordon_removes_the_unschedulable_taint() -> None:
    async with cluster("n1") as c:
        await c.cordon("n1", True)
        await c.until(lambda: UNSCHEDULABLE in taints_of(c.node("n1"), "NoSchedule"))
        assert taints_of(c.node("n1")) == {CUSTOM.key, UNSCHEDULABLE}
        await c.cordon("n1", False)
        await c.until(lambda: UNSCHEDULABLE not in taints_of(c.node("n1")))
        assert c.node("n1").spec.taints == [CUSTOM], "the other taint is untouched"


async def test_node9_single_node_cluster_never_gets_no_execute_taints() -> None:
    async with cluster("solo") as c:
        await c.add_pod("web", "solo")
        c.alive.discard("solo")
        await c.until(lambda: UNREACHABLE in taints_of(c.node("solo"), "NoSchedule"))
        await c.advance(400)
        assert taints_of(c.node("solo"), "NoExecute") == set(), "full disruption: no NoExecute taint"
        pod = c.pod("web")
        assert pod is not None and pod.metadata.deletion_timestamp is None


async def test_node9_no_execute_tainting_is_rate_limited_per_zone() -> None:
    """0.1 node/s, burst 1: of two nodes dying together, the second is tainted 10 s after the first."""
    async with cluster("a1", "a2", "a3", "a4", "a5") as c:
        c.alive -= {"a4", "a5"}

        def tainted() -> list[float]:
            stamps = [
                parse_rfc3339(t.time_added or "")
                for name in ("a4", "a5")
                for t in c.node(name).spec.taints
                if t.key == UNREACHABLE and t.effect == "NoExecute"
            ]
            return sorted(stamps)

        await c.until(lambda: len(tainted()) == 2)
        first, second = tainted()
        assert second - first == pytest.approx(10.0, abs=0.05)


async def test_node9_partially_disrupted_small_zone_gets_no_no_execute_taints() -> None:
    async with cluster("a1", "a2", "a3", "a4") as c:
        c.alive -= {"a2", "a3", "a4"}
        await c.until(
            lambda: all(UNREACHABLE in taints_of(c.node(n), "NoSchedule") for n in ("a2", "a3", "a4"))
        )
        await c.advance(60)
        assert all(taints_of(c.node(n), "NoExecute") == set() for n in ("a2", "a3", "a4"))


async def test_node9_one_zone_fully_down_among_healthy_zones_is_tainted() -> None:
    async with cluster("a1", "b1", zones={"a1": "a", "b1": "b"}) as c:
        c.alive.discard("b1")
        await c.until(lambda: UNREACHABLE in taints_of(c.node("b1"), "NoExecute"))


async def test_c2_healthy_nodes_are_not_rewritten() -> None:
    async with cluster("n1", "n2") as c:
        before = {n: c.node(n).metadata.resource_version for n in ("n1", "n2")}
        await c.advance(120)
        assert {n: c.node(n).metadata.resource_version for n in ("n1", "n2")} == before


async def test_node12_pods_on_a_deleted_node_are_force_deleted_after_quarantine() -> None:
    async with cluster("n1", "n2") as c:
        await c.add_pod("orphan", "n2", ready=True)
        await c.add_pod("kept", "n1")
        await c.client.delete(Node, "n2")
        deleted_at = c.clock.now()
        await c.until(lambda: c.pod("orphan") is None)
        assert 40 <= c.clock.now() - deleted_at <= 41, "after the 40 s quarantine, not before"
        assert c.pod("kept") is not None


async def test_node12_timeline_evicted_pod_stays_terminating_until_node_deleted() -> None:
    async with cluster("n1", "n2") as c:
        await c.add_pod("web", "n2")
        c.alive.discard("n2")
        await c.until(lambda: (p := c.pod("web")) is not None and p.metadata.deletion_timestamp is not None)
        assert 350 <= c.elapsed() <= 361, "Unknown at 50–55 s, then 300 s of toleration"
        await c.advance(120)
        assert c.pod("web") is not None, "no kubelet: the pod stays Terminating"
        await c.client.delete(Node, "n2")
        await c.until(lambda: c.pod("web") is None)
