"""The Node a kubelet registers and the status it reports (NODE-1, NODE-3).

Contract: pure functions. `initial_node(config, runtime_version)` is the Node a kubelet creates
when none exists: labels `kubernetes.io/hostname`, `kubernetes.io/os`, `kubernetes.io/arch` plus the
configured ones, capacity and allocatable, the InternalIP and Hostname addresses, node info, and
the four healthy conditions. `desired_status(current, config, runtime_version, ready)` computes the
status the kubelet wants now from the stored one: conditions keep their `lastTransitionTime` unless
their status changes. `needs_write(stored, desired, last_write, now, report_frequency)` is NODE-3:
write when anything but the heartbeat times differs, or when `report_frequency` passed since the
last write. `stamp_heartbeat(status, now)` moves every condition's `lastHeartbeatTime` (only done
when writing, so heartbeats move only on writes).
"""

from __future__ import annotations

import msgspec

from kubelite.api.core import Node, NodeAddress, NodeCondition, NodeStatus, NodeSystemInfo
from kubelite.api.meta import ObjectMeta
from kubelite.clock import rfc3339
from kubelite.kubelet.config import KUBELET_VERSION, KubeletConfig

READY = "Ready"

_HEALTHY: tuple[tuple[str, str, str], ...] = (
    ("MemoryPressure", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
    ("DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
    ("PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
)


def ready_condition(ready: bool, now: float) -> NodeCondition:
    if ready:
        reason, message = "KubeletReady", "kubelet is posting ready status"
    else:
        reason, message = "KubeletNotReady", "container runtime is down"
    stamp = rfc3339(now)
    return NodeCondition(
        type=READY,
        status="True" if ready else "False",
        reason=reason,
        message=message,
        last_heartbeat_time=stamp,
        last_transition_time=stamp,
    )


def healthy_conditions(now: float) -> list[NodeCondition]:
    stamp = rfc3339(now)
    return [
        NodeCondition(
            type=kind,
            status="False",
            reason=reason,
            message=message,
            last_heartbeat_time=stamp,
            last_transition_time=stamp,
        )
        for kind, reason, message in _HEALTHY
    ]


def node_info(config: KubeletConfig, runtime_version: str) -> NodeSystemInfo:
    return NodeSystemInfo(
        machine_id=config.node_name,
        system_uuid=config.node_name,
        boot_id=config.node_name,
        kernel_version="kubelite",
        os_image="kubelite",
        container_runtime_version=runtime_version,
        kubelet_version=KUBELET_VERSION,
        kube_proxy_version=KUBELET_VERSION,
        operating_system=config.operating_system,
        architecture=config.architecture,
    )


def node_labels(config: KubeletConfig) -> dict[str, str]:
    labels = {
        "kubernetes.io/hostname": config.node_name,
        "kubernetes.io/os": config.operating_system,
        "kubernetes.io/arch": config.architecture,
        "beta.kubernetes.io/os": config.operating_system,
        "beta.kubernetes.io/arch": config.architecture,
    }
    labels.update(config.labels)
    return labels


def initial_node(config: KubeletConfig, runtime_version: str, now: float) -> Node:
    """The Node to create at registration (NODE-1)."""
    return Node(
        metadata=ObjectMeta(name=config.node_name, labels=node_labels(config)),
        status=desired_status(NodeStatus(), config, runtime_version, ready=True, now=now),
    )


def desired_status(
    current: NodeStatus, config: KubeletConfig, runtime_version: str, *, ready: bool, now: float
) -> NodeStatus:
    """What the kubelet reports now, keeping transition times of unchanged conditions."""
    wanted = [ready_condition(ready, now), *healthy_conditions(now)]
    existing = {condition.type: condition for condition in current.conditions}
    conditions = [_carry(existing.get(condition.type), condition) for condition in wanted]
    others = [condition for condition in current.conditions if condition.type not in _OWN]
    return msgspec.structs.replace(
        current,
        capacity=dict(config.capacity),
        allocatable=config.effective_allocatable(),
        conditions=conditions + others,
        addresses=[
            NodeAddress(type="InternalIP", address=config.node_ip),
            NodeAddress(type="Hostname", address=config.node_name),
        ],
        node_info=node_info(config, runtime_version),
    )


_OWN = frozenset({READY, *(kind for kind, _, _ in _HEALTHY)})


def _carry(old: NodeCondition | None, new: NodeCondition) -> NodeCondition:
    """`new`, with the old heartbeat and (if the status is unchanged) the old transition time."""
    if old is None:
        return new
    transition = old.last_transition_time if old.status == new.status else new.last_transition_time
    return msgspec.structs.replace(
        new, last_heartbeat_time=old.last_heartbeat_time, last_transition_time=transition
    )


def _without_heartbeats(status: NodeStatus) -> NodeStatus:
    conditions = [msgspec.structs.replace(c, last_heartbeat_time=None) for c in status.conditions]
    return msgspec.structs.replace(status, conditions=conditions)


def needs_write(
    stored: NodeStatus, desired: NodeStatus, last_write: float | None, now: float, report_frequency: float
) -> bool:
    """NODE-3: a real change, or `report_frequency` seconds since the last write."""
    if last_write is None or now - last_write >= report_frequency:
        return True
    return _without_heartbeats(stored) != _without_heartbeats(desired)


def stamp_heartbeat(status: NodeStatus, now: float) -> NodeStatus:
    stamp = rfc3339(now)
    own = [
        msgspec.structs.replace(c, last_heartbeat_time=stamp) if c.type in _OWN else c
        for c in status.conditions
    ]
    return msgspec.structs.replace(status, conditions=own)
