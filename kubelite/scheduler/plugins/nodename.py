"""NodeName (SCH-2): a pod naming a node in `spec.nodeName` fits that node only."""

from __future__ import annotations

from kubelite.scheduler.framework import Reasons
from kubelite.scheduler.nodeinfo import NodeInfo
from kubelite.scheduler.podinfo import PodInfo

MISMATCH = ("node(s) didn't match the requested node name",)


class NodeName:
    name = "NodeName"
    restricted_nodes_only = False

    def relevant(self, pod: PodInfo) -> bool:
        return bool(pod.pod.spec.node_name)

    def filter(self, pod: PodInfo, node: NodeInfo) -> Reasons | None:
        wanted = pod.pod.spec.node_name
        return None if not wanted or wanted == node.name else MISMATCH
