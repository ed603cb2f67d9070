"""Builders for scheduler tests: nodes and pods with resources, taints, ports and affinity, and
their scheduler views (`NodeInfo`, `PodInfo`)."""

from __future__ import annotations

from kubelite.api.core import (
    Container,
    ContainerPort,
    Node,
    NodeSpec,
    NodeStatus,
    Pod,
    PodSpec,
    ResourceRequirements,
    Taint,
    Toleration,
)
from kubelite.api.meta import ObjectMeta
from kubelite.scheduler.nodeinfo import NodeInfo
from kubelite.scheduler.podinfo import PodInfo


def node(
    name: str = "node-a",
    *,
    cpu: str = "4",
    memory: str = "8Gi",
    pods: str = "110",
    labels: dict[str, str] | None = None,
    taints: list[Taint] | None = None,
    unschedulable: bool = False,
    extra: dict[str, str] | None = None,
) -> Node:
    allocatable = {"cpu": cpu, "memory": memory, "pods": pods, **(extra or {})}
    return Node(
        metadata=ObjectMeta(name=name, labels=dict(labels or {})),
        spec=NodeSpec(taints=list(taints or []), unschedulable=unschedulable),
        status=NodeStatus(capacity=dict(allocatable), allocatable=allocatable),
    )


def container(
    name: str = "app",
    *,
    cpu: str | None = None,
    memory: str | None = None,
    limits: dict[str, str] | None = None,
    requests: dict[str, str] | None = None,
    host_ports: list[int] | None = None,
    host_ip: str = "",
    protocol: str = "",
    restart_policy: str | None = None,
) -> Container:
    wanted = dict(requests or {})
    if cpu is not None:
        wanted["cpu"] = cpu
    if memory is not None:
        wanted["memory"] = memory
    ports = [
        ContainerPort(container_port=port, host_port=port, host_ip=host_ip, protocol=protocol)
        for port in host_ports or []
    ]
    return Container(
        name=name,
        image="busybox:1.36",
        resources=ResourceRequirements(requests=wanted, limits=dict(limits or {})),
        ports=ports,
        restart_policy=restart_policy,
    )


def pod(
    name: str = "web",
    *,
    cpu: str | None = None,
    memory: str | None = None,
    containers: list[Container] | None = None,
    init_containers: list[Container] | None = None,
    tolerations: list[Toleration] | None = None,
    node_selector: dict[str, str] | None = None,
    priority: int | None = None,
    node_name: str = "",
    host_ports: list[int] | None = None,
    overhead: dict[str, str] | None = None,
    uid: str = "",
) -> Pod:
    main = (
        containers if containers is not None else [container(cpu=cpu, memory=memory, host_ports=host_ports)]
    )
    return Pod(
        metadata=ObjectMeta(name=name, namespace="default", uid=uid or f"uid-{name}"),
        spec=PodSpec(
            containers=main,
            init_containers=list(init_containers or []),
            tolerations=list(tolerations or []),
            node_selector=dict(node_selector or {}),
            priority=priority,
            node_name=node_name,
            overhead=dict(overhead or {}),
        ),
    )


def node_info(source: Node, *pods: Pod) -> NodeInfo:
    info = NodeInfo(source.metadata.name, source)
    for each in pods:
        info.add_pod(PodInfo(each))
    return info


def taint(key: str, value: str = "", effect: str = "NoSchedule") -> Taint:
    return Taint(key=key, value=value, effect=effect)
