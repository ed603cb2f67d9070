"""Pure helpers over node and pod conditions (NODE-6, NODE-7).

`mark_unknown(node, now)` returns the node's conditions after the controller decides the kubelet is
gone: Ready, MemoryPressure, DiskPressure and PIDPressure become `Unknown` with reason
`NodeStatusUnknown`, `lastTransitionTime=now` and `lastHeartbeatTime` unchanged; a missing one is
created with reason `NodeStatusNeverUpdated` and the node's creation time as heartbeat (as upstream);
one already Unknown is kept as it is; any other condition (NetworkUnavailable) is untouched. It
returns None when nothing would change, so the caller writes nothing (C-2). Inputs are not mutated.
"""

from __future__ import annotations

import msgspec

from kubelite.api.core import Node, NodeCondition, PodCondition, PodStatus
from kubelite.clock import rfc3339

READY = "Ready"
MONITORED = (READY, "MemoryPressure", "DiskPressure", "PIDPressure")
UNKNOWN_REASON = "NodeStatusUnknown"
UNKNOWN_MESSAGE = "Kubelet stopped posting node status."
NEVER_UPDATED_REASON = "NodeStatusNeverUpdated"
NEVER_UPDATED_MESSAGE = "Kubelet never posted node status."


def condition(node: Node, kind: str) -> NodeCondition | None:
    return next((c for c in node.status.conditions if c.type == kind), None)


def ready_status(node: Node) -> str | None:
    """The status of the node's Ready condition, or None if the kubelet never posted one."""
    found = condition(node, READY)
    return None if found is None else found.status


def heartbeat(node: Node) -> str | None:
    found = condition(node, READY)
    return None if found is None else found.last_heartbeat_time


def mark_unknown(node: Node, now: float) -> list[NodeCondition] | None:
    stamp = rfc3339(now)
    changed = False
    conditions = list(node.status.conditions)
    for kind in MONITORED:
        index = next((i for i, c in enumerate(conditions) if c.type == kind), None)
        if index is None:
            conditions.append(_never_updated(kind, node.metadata.creation_timestamp, stamp))
            changed = True
        elif conditions[index].status != "Unknown":
            conditions[index] = msgspec.structs.replace(
                conditions[index],
                status="Unknown",
                reason=UNKNOWN_REASON,
                message=UNKNOWN_MESSAGE,
                last_transition_time=stamp,
            )
            changed = True
    return conditions if changed else None


def _never_updated(kind: str, created: str | None, stamp: str) -> NodeCondition:
    return NodeCondition(
        type=kind,
        status="Unknown",
        reason=NEVER_UPDATED_REASON,
        message=NEVER_UPDATED_MESSAGE,
        last_heartbeat_time=created,
        last_transition_time=stamp,
    )


def with_pod_condition(status: PodStatus, new: PodCondition) -> PodStatus | None:
    """`status` with `new` set (upstream `UpdatePodCondition`), or None if nothing changes.

    `lastTransitionTime` is kept unless the condition's status changes.
    """
    conditions = list(status.conditions)
    index = next((i for i, c in enumerate(conditions) if c.type == new.type), None)
    if index is None:
        conditions.append(new)
    else:
        old = conditions[index]
        if old.status == new.status:
            new = msgspec.structs.replace(new, last_transition_time=old.last_transition_time)
        if old == new:
            return None
        conditions[index] = new
    return msgspec.structs.replace(status, conditions=conditions)
