"""TaintToleration: taints a pod must tolerate (filter, SCH-2) or should avoid (score, SCH-7).

Matching (SCH-3, upstream `Toleration.ToleratesTaint`): a toleration matches a taint when its
effect is empty or equal, its key is empty or equal, and its operator is `Exists` (any value) or
`Equal`/empty (values equal). The filter rejects a node with an untolerated `NoSchedule` or
`NoExecute` taint, naming the first one; the score counts untolerated `PreferNoSchedule` taints
(against tolerations whose effect is empty or PreferNoSchedule) and reverse-normalises, so fewer
is better.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from kubelite.api.core import Taint, Toleration
from kubelite.scheduler.framework import Reasons, normalize
from kubelite.scheduler.nodeinfo import PREFER_NO_SCHEDULE, NodeInfo
from kubelite.scheduler.podinfo import PodInfo


def tolerates(toleration: Toleration, taint: Taint) -> bool:
    return toleration.tolerates(taint)


def tolerated(taint: Taint, tolerations: Iterable[Toleration]) -> bool:
    return any(toleration.tolerates(taint) for toleration in tolerations)


def first_untolerated(taints: Iterable[Taint], tolerations: Sequence[Toleration]) -> Taint | None:
    for taint in taints:
        if not tolerated(taint, tolerations):
            return taint
    return None


class TaintToleration:
    name = "TaintToleration"
    restricted_nodes_only = True
    weight = 3

    def relevant(self, pod: PodInfo) -> bool:
        return True

    def filter(self, pod: PodInfo, node: NodeInfo) -> Reasons | None:
        if not node.hard_taints:
            return None
        taint = first_untolerated(node.hard_taints, pod.tolerations)
        if taint is None:
            return None
        return (f"node(s) had untolerated taint {{{taint.key}: {taint.value}}}",)

    def score(self, pod: PodInfo, nodes: Sequence[NodeInfo]) -> list[int] | None:
        if not any(node.soft_taints for node in nodes):
            return None  # every node scores 100
        tolerations = [t for t in pod.tolerations if t.effect in ("", PREFER_NO_SCHEDULE)]
        counts = [_untolerated(node.soft_taints, tolerations) for node in nodes]
        return normalize(counts, reverse=True)


def _untolerated(taints: Sequence[Taint], tolerations: Sequence[Toleration]) -> int:
    return sum(1 for taint in taints if not tolerated(taint, tolerations))
