"""NodeResourcesBalancedAllocation (SCH-7): prefer nodes whose CPU and memory use stay even.

With `f = min(1, requested/allocatable)` per resource — `requested` the node's actual requests
plus the pod's — the score is `(1 − stddev(f))·100`, truncated; for CPU and memory that is
`(1 − |f_cpu − f_mem|/2)·100`. A resource the node does not offer is left out. A pod that requests
neither CPU nor memory is not scored by this plugin (upstream skips best-effort pods).
"""

from __future__ import annotations

from collections.abc import Sequence

from kubelite.scheduler.framework import MAX_NODE_SCORE
from kubelite.scheduler.nodeinfo import NodeInfo
from kubelite.scheduler.podinfo import PodInfo


def balanced_allocation(pod: PodInfo, node: NodeInfo) -> int:
    fractions = []
    if node.alloc_cpu:
        fractions.append(min(1.0, (node.requested_cpu + pod.cpu) / node.alloc_cpu))
    if node.alloc_memory:
        fractions.append(min(1.0, (node.requested_memory + pod.memory) / node.alloc_memory))
    spread = abs(fractions[0] - fractions[1]) / 2 if len(fractions) == 2 else 0.0
    return int((1 - spread) * MAX_NODE_SCORE)


class BalancedAllocation:
    name = "NodeResourcesBalancedAllocation"
    weight = 1

    def score(self, pod: PodInfo, nodes: Sequence[NodeInfo]) -> list[int] | None:
        if not pod.cpu and not pod.memory:
            return None
        cpu, memory = pod.cpu, pod.memory
        scores = []
        for node in nodes:  # balanced_allocation, inlined for the common case: the hot path
            cpu_fraction = (node.requested_cpu + cpu) * node.inv_cpu
            memory_fraction = (node.requested_memory + memory) * node.inv_memory
            if cpu_fraction <= 1.0 and memory_fraction <= 1.0 and node.inv_cpu and node.inv_memory:
                scores.append(int((1 - abs(cpu_fraction - memory_fraction) / 2) * MAX_NODE_SCORE))
            else:
                scores.append(balanced_allocation(pod, node))
        return scores
