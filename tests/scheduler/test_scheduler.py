"""The scheduler end to end over the in-process apiserver and a fake clock: pods get bound through
pods/binding (SCH-8), or get PodScheduled=False and FailedScheduling (SCH-9); priority order
(SCH-1), host ports (SCH-6), scoring (SCH-7), bind failures and loop supervision."""

from __future__ import annotations

import pytest
import structlog.testing

from kubelite.api.core import Node, Pod, PodSchedulingGate
from kubelite.api.meta import DeleteOptions
from kubelite.scheduler import SchedulerSettings
from kubelite.scheduler.framework import Reasons
from kubelite.scheduler.nodeinfo import NodeInfo
from kubelite.scheduler.plugins import default_filters
from kubelite.scheduler.podinfo import PodInfo
from kubelite.scheduler.queue import BACKOFF
from tests.scheduler.builders import node, pod
from tests.scheduler.harness import cluster

pytestmark = pytest.mark.anyio


def pending(name: str, **kwargs: object) -> Pod:
    subject = pod(name, **kwargs)  # type: ignore[arg-type]
    subject.metadata.uid = ""  # let the apiserver assign one
    return subject


async def test_sch8_pending_pod_is_bound_with_pod_scheduled_true() -> None:
    async with cluster() as c:
        await c.create(node("a"), pending("web", cpu="100m"))
        await c.start()
        await c.settle(c.bound("web"))
        assert c.node_of("web") == "a"
        condition = c.scheduled_condition("web")
        assert condition is not None and condition.status == "True"
        scheduled = await c.events("Scheduled")
        assert [e.message for e in scheduled] == ["Successfully assigned default/web to a"]


async def test_sch9_unschedulable_condition_event_then_scheduled_when_a_node_fits() -> None:
    async with cluster() as c:
        await c.create(node("small", cpu="1"), pending("big", cpu="2"))
        await c.start()
        await c.settle(lambda: c.scheduled_condition("big") is not None)
        message = "0/1 nodes are available: 1 Insufficient cpu."
        condition = c.scheduled_condition("big")
        assert condition is not None
        assert (condition.status, condition.reason, condition.message) == ("False", "Unschedulable", message)
        assert condition.last_transition_time is not None
        events = await c.events("FailedScheduling")
        assert [(e.type, e.message) for e in events] == [("Warning", message)]
        added = c.clock.monotonic()
        await c.create(node("large", cpu="4"))
        await c.settle(c.bound("big"))
        assert c.clock.monotonic() - added <= 10
        assert c.node_of("big") == "large"
        condition = c.scheduled_condition("big")
        assert condition is not None and condition.status == "True"


async def test_sch9_no_nodes_at_all_then_a_node_arrives() -> None:
    async with cluster() as c:
        await c.create(pending("web"))
        await c.start()
        await c.settle(lambda: c.scheduled_condition("web") is not None)
        condition = c.scheduled_condition("web")
        assert condition is not None
        assert (condition.reason, condition.message) == (
            "Unschedulable",
            "no nodes available to schedule pods",
        )
        added = c.clock.monotonic()
        await c.create(node("a"))
        await c.settle(c.bound("web"))
        assert c.clock.monotonic() - added <= 10


async def test_sch9_unschedulable_pod_is_retried_within_5_minutes_without_events() -> None:
    async with cluster() as c:
        await c.create(node("a", cpu="1"), pending("big", cpu="2"))
        await c.start()
        await c.settle(lambda: c.scheduled_condition("big") is not None)
        started = c.clock.monotonic()
        pod_uid = c.pod("big").metadata.uid
        attempts = c.scheduler.queue._pods[pod_uid].attempts
        await c.settle(lambda: c.scheduler.queue._pods[pod_uid].attempts > attempts)
        assert 270 <= c.clock.monotonic() - started <= 330
        failures = await c.events("FailedScheduling")
        assert [e.count for e in failures] == [2]


async def test_sch1_higher_priority_pod_gets_the_last_room() -> None:
    async with cluster() as c:
        await c.create(
            node("a", cpu="1"),
            pending("low", cpu="1", priority=10),
            pending("high", cpu="1", priority=1000),
            pending("lowest", cpu="1"),
        )
        await c.start()
        await c.settle(lambda: c.bound("high")() and c.scheduled_condition("low") is not None)
        await c.settle(lambda: c.scheduled_condition("lowest") is not None)
        assert c.node_of("low") == "" and c.node_of("lowest") == ""


async def test_sch1_other_schedulers_and_pre_bound_pods_are_left_alone() -> None:
    async with cluster() as c:
        other = pending("other")
        other.spec.scheduler_name = "my-scheduler"
        await c.create(node("a", cpu="2"), other, pending("pinned", cpu="1500m", node_name="a"))
        await c.create(pending("web", cpu="1"))
        await c.start()
        await c.settle(lambda: c.scheduled_condition("web") is not None)
        assert c.node_of("other") == "" and c.scheduled_condition("other") is None
        condition = c.scheduled_condition("web")
        assert condition is not None and condition.message == "0/1 nodes are available: 1 Insufficient cpu."


async def test_sch6_host_port_conflicts_push_pods_to_other_nodes() -> None:
    async with cluster() as c:
        await c.create(node("a"), node("b"), node("c"))
        await c.create(*[pending(f"p{i}", host_ports=[8080]) for i in range(4)])
        await c.start()
        await c.settle(lambda: sum(1 for i in range(4) if c.node_of(f"p{i}")) == 3)
        await c.settle(
            lambda: any(
                c.scheduled_condition(f"p{i}") is not None and not c.node_of(f"p{i}") for i in range(4)
            )
        )
        nodes = sorted(c.node_of(f"p{i}") for i in range(4))
        assert nodes == ["", "a", "b", "c"]
        loser = next(f"p{i}" for i in range(4) if not c.node_of(f"p{i}"))
        condition = c.scheduled_condition(loser)
        assert condition is not None
        assert (
            condition.message
            == "0/3 nodes are available: 3 node(s) didn't have free ports for the requested pod ports."
        )


async def test_sch7_least_allocated_node_is_chosen() -> None:
    async with cluster() as c:
        await c.create(node("a"), node("b"), node("c"))
        await c.create(
            pending("heavy-a", cpu="3", memory="6Gi", node_name="a"),
            pending("heavy-c", cpu="2", memory="4Gi", node_name="c"),
            pending("new", cpu="500m", memory="512Mi"),
        )
        await c.start()
        await c.settle(c.bound("new"))
        assert c.node_of("new") == "b"


async def test_bind_failure_requeues_with_backoff_and_releases_the_assumption() -> None:
    async with cluster(bind_failures=1) as c:
        await c.create(node("a", cpu="1"), pending("web", cpu="1"))
        await c.start()
        client = c.client
        assert hasattr(client, "failed")
        await c.settle(lambda: client.failed == 1 and c.scheduler.idle())
        uid = c.pod("web").metadata.uid
        info = c.scheduler.cache.node("a")
        assert info is not None
        assert (info.pod_count, info.requested_cpu) == (0, 0)
        assert c.scheduler.queue.where(uid) == BACKOFF
        failed_at = c.clock.monotonic()
        await c.settle(c.bound("web"))
        assert c.clock.monotonic() - failed_at >= 1.0
        assert (info.pod_count, info.requested_cpu) == (1, 1000)
        rejected = await c.events("FailedScheduling")
        assert [e.message for e in rejected] == ["Binding rejected: etcdserver: request timed out"]


class ExplodesOnce:
    """A filter that raises the first time it runs, as a plugin bug would."""

    name = "ExplodesOnce"
    restricted_nodes_only = False

    def __init__(self) -> None:
        self.exploded = False

    def relevant(self, pod: PodInfo) -> bool:
        return True

    def filter(self, pod: PodInfo, node: NodeInfo) -> Reasons | None:
        if not self.exploded:
            self.exploded = True
            raise RuntimeError("plugin bug")
        return None


async def test_a_crashing_scheduling_loop_is_logged_and_restarted() -> None:
    with structlog.testing.capture_logs() as logs:
        async with cluster(filters=[ExplodesOnce(), *default_filters()]) as c:
            await c.create(node("a"), pending("web"))
            await c.start()
            await c.settle(c.bound("web"))
    crashed = [entry for entry in logs if entry["event"] == "scheduler_loop_crashed"]
    assert [entry["loop"] for entry in crashed] == ["scheduling"]


async def test_end_to_end_200_pods_over_10_nodes_respect_pods_allocatable() -> None:
    settings = SchedulerSettings(record_scheduled_events=False)
    async with cluster(settings=settings) as c:
        await c.create(*[node(f"n{i}", cpu="64", memory="128Gi", pods="20") for i in range(10)])
        await c.start()
        await c.create(*[pending(f"p{i:03d}", cpu="100m", memory="64Mi") for i in range(200)])
        names = [f"p{i:03d}" for i in range(200)]
        await c.settle(c.bound(*names), seconds=30)
        pods = (await c.client.list(Pod, "default")).items
        per_node: dict[str, int] = {}
        for each in pods:
            per_node[each.spec.node_name] = per_node.get(each.spec.node_name, 0) + 1
        assert sum(per_node.values()) == 200 and "" not in per_node
        assert max(per_node.values()) <= 20
        for name, count in per_node.items():
            info = c.scheduler.cache.node(name)
            assert info is not None and info.pod_count == count


async def test_sch9_uncordoning_a_node_retries_unschedulable_pods() -> None:
    async with cluster() as c:
        await c.create(node("a", unschedulable=True), pending("web"))
        await c.start()
        await c.settle(lambda: c.scheduled_condition("web") is not None)
        condition = c.scheduled_condition("web")
        assert condition is not None
        assert condition.message == "0/1 nodes are available: 1 node(s) were unschedulable."
        changed = c.clock.monotonic()
        await c.client.patch(Node, "a", {"spec": {"unschedulable": False}})
        await c.settle(c.bound("web"))
        assert c.clock.monotonic() - changed <= 10  # the Node event, not the 5-minute flush


async def test_sch9_deleting_a_bound_pod_frees_room_for_a_waiting_one() -> None:
    async with cluster() as c:
        await c.create(node("a", cpu="1"), pending("old", cpu="1", node_name="a"), pending("new", cpu="1"))
        await c.start()
        await c.settle(lambda: c.scheduled_condition("new") is not None)
        deleted = c.clock.monotonic()
        await c.client.delete(Pod, "old", "default", options=DeleteOptions(grace_period_seconds=0))
        await c.settle(c.bound("new"))
        assert c.clock.monotonic() - deleted <= 10  # the Pod delete event, not the 5-minute flush
        assert c.node_of("new") == "a"


async def test_pods_with_scheduling_gates_wait_until_the_gates_are_removed() -> None:
    async with cluster() as c:
        gated = pending("gated")
        gated.spec.scheduling_gates = [PodSchedulingGate(name="example.com/quota")]
        await c.create(node("a"), gated)
        await c.start()
        await c.settle(lambda: c.scheduler.idle())
        assert c.node_of("gated") == "" and c.scheduled_condition("gated") is None
        await c.client.patch(Pod, "gated", {"spec": {"schedulingGates": None}}, "default")
        await c.settle(c.bound("gated"))
