"""NodeUnschedulable (SCH-2): a cordoned node (`spec.unschedulable`) only takes pods that tolerate
the `node.kubernetes.io/unschedulable:NoSchedule` taint."""

from __future__ import annotations

from kubelite.api.core import Taint
from kubelite.scheduler.framework import Reasons
from kubelite.scheduler.nodeinfo import NO_SCHEDULE, NodeInfo
from kubelite.scheduler.plugins.tainttoleration import tolerated
from kubelite.scheduler.podinfo import PodInfo

UNSCHEDULABLE = ("node(s) were unschedulable",)
UNSCHEDULABLE_TAINT = Taint(key="node.kubernetes.io/unschedulable", effect=NO_SCHEDULE)


class NodeUnschedulable:
    name = "NodeUnschedulable"
    restricted_nodes_only = True

    def relevant(self, pod: PodInfo) -> bool:
        return True

    def filter(self, pod: PodInfo, node: NodeInfo) -> Reasons | None:
        if not node.unschedulable or tolerated(UNSCHEDULABLE_TAINT, pod.tolerations):
            return None
        return UNSCHEDULABLE
