"""The pure parts of the node lifecycle controller, as tables: conditions (NODE-6), NoSchedule taints
(NODE-8, NODE-13), zone states and rates (NODE-9), the token bucket, and tolerations (NODE-11)."""

from __future__ import annotations

import pytest

from kubelite.api.core import Node, NodeCondition, NodeSpec, NodeStatus, Taint, Toleration
from kubelite.api.meta import ObjectMeta
from kubelite.clock import FakeClock, rfc3339
from kubelite.controllers.nodelifecycle import NodeLifecycleSettings
from kubelite.controllers.nodelifecycle.conditions import mark_unknown
from kubelite.controllers.nodelifecycle.ratelimit import TokenBucket
from kubelite.controllers.nodelifecycle.taints import desired_no_schedule, no_schedule_taints
from kubelite.controllers.nodelifecycle.tolerations import eviction_delay, tolerates
from kubelite.controllers.nodelifecycle.zones import Transition, Zones, ZoneState, zone_state

NOW = 1_767_225_600.0


def node(
    *conditions: tuple[str, str], unschedulable: bool = False, taints: list[Taint] | None = None
) -> Node:
    return Node(
        metadata=ObjectMeta(name="n", creation_timestamp=rfc3339(NOW - 100)),
        spec=NodeSpec(unschedulable=unschedulable, taints=taints or []),
        status=NodeStatus(
            conditions=[NodeCondition(t, s, last_heartbeat_time=rfc3339(NOW - 60)) for t, s in conditions]
        ),
    )


def test_node6_mark_unknown_keeps_heartbeat_and_skips_network_and_unknown() -> None:
    before = node(("Ready", "True"), ("MemoryPressure", "Unknown"), ("NetworkUnavailable", "False"))
    after = {c.type: c for c in mark_unknown(before, NOW) or []}
    assert after["Ready"].status == "Unknown"
    assert after["Ready"].last_heartbeat_time == rfc3339(NOW - 60)
    assert after["MemoryPressure"] == before.status.conditions[1], "already Unknown: left as it was"
    assert after["NetworkUnavailable"] == before.status.conditions[2]
    assert after["DiskPressure"].reason == "NodeStatusNeverUpdated"
    assert after["DiskPressure"].last_heartbeat_time == rfc3339(NOW - 100), "creation time"
    assert before.status.conditions[0].status == "True", "input not mutated"


def test_c2_mark_unknown_on_an_unknown_node_changes_nothing() -> None:
    unknown = node(*[(t, "Unknown") for t in ("Ready", "MemoryPressure", "DiskPressure", "PIDPressure")])
    assert mark_unknown(unknown, NOW) is None


@pytest.mark.parametrize(
    ("conditions", "unschedulable", "expected"),
    [
        ([("Ready", "True")], False, set()),
        ([("Ready", "False")], False, {"node.kubernetes.io/not-ready"}),
        ([("Ready", "Unknown")], False, {"node.kubernetes.io/unreachable"}),
        ([("MemoryPressure", "True")], False, {"node.kubernetes.io/memory-pressure"}),
        ([("DiskPressure", "True")], False, {"node.kubernetes.io/disk-pressure"}),
        ([("PIDPressure", "True")], False, {"node.kubernetes.io/pid-pressure"}),
        ([("NetworkUnavailable", "True")], False, {"node.kubernetes.io/network-unavailable"}),
        ([("MemoryPressure", "False")], True, {"node.kubernetes.io/unschedulable"}),
    ],
    ids=["ready", "not-ready", "unknown", "memory", "disk", "pid", "network", "cordoned"],
)
def test_node8_13_condition_taint_table(
    conditions: list[tuple[str, str]], unschedulable: bool, expected: set[str]
) -> None:
    assert desired_no_schedule(node(*conditions, unschedulable=unschedulable)) == expected


def test_node8_no_schedule_taints_add_remove_and_leave_others() -> None:
    other = Taint(key="example.com/x", effect="NoSchedule")
    stale = Taint(key="node.kubernetes.io/not-ready", effect="NoSchedule", time_added="t")
    mine_no_execute = Taint(key="node.kubernetes.io/not-ready", effect="NoExecute", time_added="t")
    current = node(("Ready", "Unknown"), taints=[other, stale, mine_no_execute])
    taints = no_schedule_taints(current, NOW)
    assert taints == [
        other,
        mine_no_execute,
        Taint(key="node.kubernetes.io/unreachable", effect="NoSchedule", time_added=rfc3339(NOW)),
    ]
    assert no_schedule_taints(node(("Ready", "True"), taints=[other]), NOW) is None, "C-2: nothing to write"


@pytest.mark.parametrize(
    ("ready", "not_ready", "state"),
    [
        (0, 1, ZoneState.FULL),
        (1, 0, ZoneState.NORMAL),
        (1, 2, ZoneState.NORMAL),
        (2, 3, ZoneState.PARTIAL),
        (3, 3, ZoneState.NORMAL),
        (10, 13, ZoneState.PARTIAL),
        (0, 0, ZoneState.NORMAL),
    ],
    ids=["none-ready", "healthy", "two-down", "three-of-five", "half", "57pct", "empty"],
)
def test_node9_zone_state(ready: int, not_ready: int, state: ZoneState) -> None:
    assert zone_state(ready, not_ready, 0.55) is state


def test_node9_zones_full_disruption_enter_and_exit() -> None:
    zones = Zones(NodeLifecycleSettings(), FakeClock())
    assert zones.update({"a": (1, 0), "b": (1, 0)}) is Transition.NONE
    assert zones.update({"a": (0, 1), "b": (1, 0)}) is Transition.NONE, "one zone down among healthy ones"
    assert not zones.all_disrupted
    assert zones.update({"a": (0, 1), "b": (0, 2)}) is Transition.ENTERED
    assert zones.all_disrupted
    assert zones.update({"a": (0, 1), "b": (0, 2)}) is Transition.NONE
    assert zones.update({"a": (1, 0), "b": (0, 2)}) is Transition.EXITED


@pytest.mark.parametrize(
    ("size", "handed_out"), [(10, 0), (60, 1)], ids=["small-zone-stops", "large-zone-slow"]
)
def test_node9_partial_disruption_rate_depends_on_zone_size(size: int, handed_out: int) -> None:
    clock = FakeClock()
    zones = Zones(NodeLifecycleSettings(), clock)
    zones.update({"a": (size - size * 6 // 10, size * 6 // 10)})
    for name in ("x", "y"):
        zones.enqueue("a", name)
    clock.advance(1000)
    assert len(zones.pop_ready()) == handed_out


def test_node9_token_bucket_burst_one_then_one_per_ten_seconds() -> None:
    clock = FakeClock()
    bucket = TokenBucket(0.1, 1, clock)
    assert bucket.try_accept()
    assert not bucket.try_accept()
    assert bucket.wait() == pytest.approx(10.0)
    clock.advance(9.9)
    assert not bucket.try_accept()
    clock.advance(0.1)
    assert bucket.try_accept()
    clock.advance(100)
    assert bucket.try_accept() and not bucket.try_accept(), "never more than the burst"
    bucket.set_rate(0.0)
    clock.advance(100)
    assert not bucket.try_accept() and bucket.wait() is None


UNREACHABLE = Taint(key="node.kubernetes.io/unreachable", effect="NoExecute")
NOT_READY = Taint(key="node.kubernetes.io/not-ready", effect="NoExecute")
DEDICATED = Taint(key="dedicated", value="db", effect="NoExecute")


def tol(
    key: str = "", op: str = "Exists", value: str = "", effect: str = "", seconds: int | None = None
) -> Toleration:
    return Toleration(key=key, operator=op, value=value, effect=effect, toleration_seconds=seconds)


@pytest.mark.parametrize(
    ("toleration", "taint", "expected"),
    [
        (tol(), DEDICATED, True),
        (tol("dedicated", "Equal", "db"), DEDICATED, True),
        (tol("dedicated", "Equal", "web"), DEDICATED, False),
        (tol("dedicated", "", "db", "NoExecute"), DEDICATED, True),
        (tol("dedicated", effect="NoSchedule"), DEDICATED, False),
        (tol("other"), DEDICATED, False),
        (tol("dedicated", "Lt", "5"), DEDICATED, False),
    ],
    ids=[
        "wildcard",
        "equal",
        "other-value",
        "empty-operator",
        "other-effect",
        "other-key",
        "unknown-operator",
    ],
)
def test_node11_tolerates(toleration: Toleration, taint: Taint, expected: bool) -> None:
    assert tolerates(toleration, taint) is expected


@pytest.mark.parametrize(
    ("taints", "tolerations", "delay"),
    [
        ([UNREACHABLE], [], 0.0),
        ([UNREACHABLE], [tol(UNREACHABLE.key, seconds=300)], 300.0),
        ([UNREACHABLE, DEDICATED], [tol(UNREACHABLE.key, seconds=300)], 0.0),
        ([UNREACHABLE, DEDICATED], [tol(UNREACHABLE.key, seconds=300), tol("dedicated", seconds=60)], 60.0),
        ([UNREACHABLE], [tol(UNREACHABLE.key)], None),
        ([UNREACHABLE, NOT_READY], [tol(UNREACHABLE.key), tol(NOT_READY.key, seconds=30)], 30.0),
        ([UNREACHABLE], [tol(UNREACHABLE.key, seconds=-5)], 0.0),
        ([UNREACHABLE], [tol(UNREACHABLE.key), tol(UNREACHABLE.key, seconds=10)], None),
    ],
    ids=[
        "untolerated",
        "default-300",
        "one-untolerated",
        "minimum",
        "forever",
        "forever-and-bounded",
        "negative-is-now",
        "first-match-wins",
    ],
)
def test_node11_eviction_delay(
    taints: list[Taint], tolerations: list[Toleration], delay: float | None
) -> None:
    assert eviction_delay(taints, tolerations) == delay
