"""Each filter plugin on its own, with Kubernetes' exact failure reasons (SCH-2, SCH-5, SCH-6)."""

from __future__ import annotations

import pytest

from kubelite.api.core import Pod, Toleration
from kubelite.scheduler.plugins import (
    NodeName,
    NodePorts,
    NodeResourcesFit,
    NodeUnschedulable,
    TaintToleration,
)
from kubelite.scheduler.podinfo import PodInfo
from tests.scheduler.builders import container, node, node_info, pod, taint

UNSCHEDULABLE = "node(s) were unschedulable"


@pytest.mark.parametrize(
    ("cordoned", "tolerations", "expected"),
    [
        (False, [], None),
        (True, [], (UNSCHEDULABLE,)),
        (True, [Toleration(key="node.kubernetes.io/unschedulable", operator="Exists")], None),
        (
            True,
            [Toleration(key="node.kubernetes.io/unschedulable", operator="Exists", effect="NoSchedule")],
            None,
        ),
        (
            True,
            [Toleration(key="node.kubernetes.io/unschedulable", operator="Exists", effect="NoExecute")],
            (UNSCHEDULABLE,),
        ),
        (True, [Toleration(operator="Exists")], None),
    ],
    ids=["schedulable", "cordoned", "tolerated", "tolerated-effect", "wrong-effect", "tolerate-all"],
)
def test_sch2_node_unschedulable(
    cordoned: bool, tolerations: list[Toleration], expected: tuple[str, ...] | None
) -> None:
    info = node_info(node(unschedulable=cordoned))
    assert NodeUnschedulable().filter(PodInfo(pod(tolerations=tolerations)), info) == expected


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [("", None), ("node-a", None), ("node-b", ("node(s) didn't match the requested node name",))],
)
def test_sch2_node_name(wanted: str, expected: tuple[str, ...] | None) -> None:
    plugin = NodeName()
    subject = PodInfo(pod(node_name=wanted))
    assert plugin.relevant(subject) == bool(wanted)
    assert plugin.filter(subject, node_info(node("node-a"))) == expected


@pytest.mark.parametrize(
    ("taints", "tolerations", "expected"),
    [
        ([], [], None),
        ([taint("dedicated", "gpu")], [], "node(s) had untolerated taint {dedicated: gpu}"),
        ([taint("dedicated", "gpu", "NoExecute")], [], "node(s) had untolerated taint {dedicated: gpu}"),
        ([taint("dedicated", "gpu", "PreferNoSchedule")], [], None),
        ([taint("dedicated", "gpu")], [Toleration(key="dedicated", value="gpu")], None),
        (
            [taint("a", "1"), taint("b", "2")],
            [Toleration(key="a", operator="Exists")],
            "node(s) had untolerated taint {b: 2}",
        ),
        (
            [taint("node.kubernetes.io/not-ready")],
            [],
            "node(s) had untolerated taint {node.kubernetes.io/not-ready: }",
        ),
    ],
    ids=["none", "no-schedule", "no-execute", "prefer-ignored", "tolerated", "second-taint", "empty-value"],
)
def test_sch2_taint_toleration_filter(
    taints: list, tolerations: list[Toleration], expected: str | None
) -> None:
    info = node_info(node(taints=taints))
    result = TaintToleration().filter(PodInfo(pod(tolerations=tolerations)), info)
    assert result == (None if expected is None else (expected,))


def _fit(subject: Pod, *existing: Pod, **allocatable: str) -> tuple[str, ...] | None:
    return NodeResourcesFit().filter(PodInfo(subject), node_info(node(**allocatable), *existing))


@pytest.mark.parametrize(
    ("subject", "existing", "allocatable", "expected"),
    [
        (pod(cpu="1", memory="1Gi"), [], {}, None),
        (pod(cpu="5"), [], {}, ("Insufficient cpu",)),
        (pod(memory="9Gi"), [], {}, ("Insufficient memory",)),
        (pod(cpu="5", memory="9Gi"), [], {}, ("Insufficient cpu", "Insufficient memory")),
        (pod(cpu="2"), [pod("a", cpu="2500m")], {}, ("Insufficient cpu",)),
        (pod(cpu="1500m"), [pod("a", cpu="2500m")], {}, None),
        (pod(), [pod("a")], {"pods": "1"}, ("Too many pods",)),
        (pod(cpu="5"), [pod("a")], {"pods": "1"}, ("Too many pods", "Insufficient cpu")),
        (
            pod(containers=[container(requests={"nvidia.com/gpu": "1"})]),
            [],
            {},
            ("Insufficient nvidia.com/gpu",),
        ),
        (
            pod(containers=[container(requests={"nvidia.com/gpu": "1"})]),
            [],
            {"extra": {"nvidia.com/gpu": "2"}},
            None,
        ),
        (pod(containers=[container(limits={"cpu": "5"})]), [], {}, ("Insufficient cpu",)),
    ],
    ids=[
        "fits",
        "cpu",
        "memory",
        "both",
        "cpu-used",
        "cpu-left",
        "pods",
        "pods-and-cpu",
        "extended-missing",
        "extended-offered",
        "limits-as-requests",
    ],
)
def test_sch5_node_resources_fit(
    subject: Pod, existing: list[Pod], allocatable: dict, expected: tuple[str, ...] | None
) -> None:
    assert _fit(subject, *existing, **allocatable) == expected


def test_sch5_terminating_pods_still_count() -> None:
    terminating = pod("old", cpu="3")
    terminating.metadata.deletion_timestamp = "2026-01-01T00:00:00Z"
    assert _fit(pod(cpu="2"), terminating) == ("Insufficient cpu",)


NO_PORTS = ("node(s) didn't have free ports for the requested pod ports",)


@pytest.mark.parametrize(
    ("used", "wanted", "expected"),
    [
        (container(host_ports=[80]), container(host_ports=[8080]), None),
        (container(host_ports=[80]), container(host_ports=[80]), NO_PORTS),
        (container(host_ports=[80], protocol="UDP"), container(host_ports=[80]), None),
        (
            container(host_ports=[80], host_ip="10.0.0.1"),
            container(host_ports=[80], host_ip="10.0.0.2"),
            None,
        ),
        (
            container(host_ports=[80], host_ip="10.0.0.1"),
            container(host_ports=[80], host_ip="10.0.0.1"),
            NO_PORTS,
        ),
        (container(host_ports=[80], host_ip="10.0.0.1"), container(host_ports=[80]), NO_PORTS),
        (container(host_ports=[80]), container(host_ports=[80], host_ip="10.0.0.1"), NO_PORTS),
        (
            container(host_ports=[80], host_ip="0.0.0.0"),
            container(host_ports=[80], host_ip="10.0.0.9"),
            NO_PORTS,
        ),
    ],
    ids=[
        "other-port",
        "same-port",
        "other-protocol",
        "disjoint-ips",
        "same-ip",
        "any-wanted",
        "any-used",
        "zeros",
    ],
)
def test_sch6_node_ports(used, wanted, expected) -> None:  # type: ignore[no-untyped-def]
    info = node_info(node(), pod("holder", containers=[used]))
    assert NodePorts().filter(PodInfo(pod(containers=[wanted])), info) == expected


def test_sch6_ports_are_released_with_the_pod() -> None:
    holder = pod("holder", host_ports=[80])
    info = node_info(node(), holder)
    subject = PodInfo(pod(host_ports=[80]))
    assert NodePorts().filter(subject, info) == NO_PORTS
    info.remove_pod(PodInfo(holder).uid)
    assert NodePorts().filter(subject, info) is None
    assert not NodePorts().relevant(PodInfo(pod()))
