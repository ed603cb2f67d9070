"""Node rows as `kubectl get nodes` shows them (upstream's node printer, reproduced).

Columns: Name, Status (`Ready`, `NotReady` or `Unknown` from the Ready condition, then
`,SchedulingDisabled` when cordoned), Roles (sorted, from `node-role.kubernetes.io/<role>` label
keys and the legacy `kubernetes.io/role` value; `<none>`), Age, Version (the kubelet's), and the
wide Internal-IP, External-IP (first address of that type or `<none>`), OS-Image, Kernel-Version,
Container-Runtime (`<unknown>` when unreported).
"""

from __future__ import annotations

from typing import Any

from kubelite.api.core import Node

from .columns import AGE, NAME, NONE, Printer, column
from .humanduration import UNKNOWN, since

COLUMNS = (
    NAME,
    column("Status", "The status of the node."),
    column("Roles", "The roles of the node."),
    AGE,
    column("Version", "The kubelet version the node reports."),
    column("Internal-IP", "The node's first internal IP address.", priority=1),
    column("External-IP", "The node's first external IP address.", priority=1),
    column("OS-Image", "The OS image the node reports.", priority=1),
    column("Kernel-Version", "The kernel version the node reports.", priority=1),
    column("Container-Runtime", "The container runtime and version the node reports.", priority=1),
)

_ROLE_PREFIX = "node-role.kubernetes.io/"
_LEGACY_ROLE = "kubernetes.io/role"


def status(node: Node) -> str:
    parts: list[str] = []
    for condition in node.status.conditions:
        if condition.type == "Ready":
            parts = ["Ready" if condition.status == "True" else "NotReady"]
    if not parts:
        parts = ["Unknown"]
    if node.spec.unschedulable:
        parts.append("SchedulingDisabled")
    return ",".join(parts)


def roles(node: Node) -> str:
    found: set[str] = set()
    for key, value in node.metadata.labels.items():
        if key.startswith(_ROLE_PREFIX) and key != _ROLE_PREFIX:
            found.add(key.removeprefix(_ROLE_PREFIX))
        elif key == _LEGACY_ROLE and value:
            found.add(value)
    return ",".join(sorted(found)) or NONE


def _address(node: Node, kind: str) -> str:
    return next((a.address for a in node.status.addresses if a.type == kind), NONE)


def cells(node: Node, now: float) -> list[Any]:
    info = node.status.node_info
    return [
        node.metadata.name,
        status(node),
        roles(node),
        since(node.metadata.creation_timestamp, now),
        info.kubelet_version,
        _address(node, "InternalIP"),
        _address(node, "ExternalIP"),
        info.os_image or UNKNOWN,
        info.kernel_version or UNKNOWN,
        info.container_runtime_version or UNKNOWN,
    ]


PRINTER: Printer[Node] = Printer(COLUMNS, cells)
