"""NodePorts (SCH-2, SCH-6): a node fits when none of the pod's host ports is in use there.

Two host ports conflict when protocol and port are equal and the host IPs overlap; `0.0.0.0` (or
empty) overlaps with every IP."""

from __future__ import annotations

from kubelite.scheduler.framework import Reasons
from kubelite.scheduler.nodeinfo import NodeInfo
from kubelite.scheduler.podinfo import PodInfo

NO_FREE_PORTS = ("node(s) didn't have free ports for the requested pod ports",)


class NodePorts:
    name = "NodePorts"
    restricted_nodes_only = False

    def relevant(self, pod: PodInfo) -> bool:
        return bool(pod.host_ports)

    def filter(self, pod: PodInfo, node: NodeInfo) -> Reasons | None:
        if not node.ports:
            return None
        for wanted in pod.host_ports:
            if node.port_conflict(wanted):
                return NO_FREE_PORTS
        return None
