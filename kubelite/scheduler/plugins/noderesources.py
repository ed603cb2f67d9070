"""NodeResourcesFit: the pod's requests must fit what the node has left (filter, SCH-5), and
LeastAllocated prefers the emptiest node (score, SCH-7).

Fit: `pod_count + 1 ≤ allocatable pods` ("Too many pods"); then, unless the pod requests nothing,
each requested resource must be ≤ allocatable − requested ("Insufficient cpu", "Insufficient
memory", "Insufficient <resource>"); every failing resource is reported.

LeastAllocated: per resource `(allocatable − requested)·100 // allocatable` (0 when over), with
`requested` the node's non-zero requests plus the pod's (unrequested containers count as 100m CPU
and 200 MiB); CPU and memory weigh 1:1 and a resource the node does not offer is left out.
"""

from __future__ import annotations

from collections.abc import Sequence

from kubelite.scheduler.framework import MAX_NODE_SCORE, Reasons
from kubelite.scheduler.nodeinfo import NodeInfo
from kubelite.scheduler.podinfo import PodInfo

TOO_MANY_PODS = "Too many pods"
INSUFFICIENT_CPU = "Insufficient cpu"
INSUFFICIENT_MEMORY = "Insufficient memory"


def insufficient(pod: PodInfo, node: NodeInfo) -> list[str]:
    """Every reason the node cannot hold the pod's requests (empty when it fits)."""
    reasons = []
    if node.pod_count + 1 > node.alloc_pods:
        reasons.append(TOO_MANY_PODS)
    if pod.zero_request:
        return reasons
    if pod.cpu > node.alloc_cpu - node.requested_cpu:
        reasons.append(INSUFFICIENT_CPU)
    if pod.memory > node.alloc_memory - node.requested_memory:
        reasons.append(INSUFFICIENT_MEMORY)
    for name, wanted in pod.scalar.items():
        if wanted > node.alloc_scalar.get(name, 0) - node.requested_scalar.get(name, 0):
            reasons.append(f"Insufficient {name}")
    return reasons


class NodeResourcesFit:
    name = "NodeResourcesFit"
    restricted_nodes_only = False

    def relevant(self, pod: PodInfo) -> bool:
        return True

    def filter(self, pod: PodInfo, node: NodeInfo) -> Reasons | None:
        # The common case first: room for one more pod and for every request.
        if (
            node.pod_count < node.alloc_pods
            and pod.cpu <= node.alloc_cpu - node.requested_cpu
            and pod.memory <= node.alloc_memory - node.requested_memory
            and not pod.scalar
        ):
            return None
        reasons = insufficient(pod, node)
        return tuple(reasons) if reasons else None


def least_requested(requested: int, allocatable: int) -> int:
    if requested > allocatable:
        return 0
    return (allocatable - requested) * MAX_NODE_SCORE // allocatable


def least_allocated(pod: PodInfo, node: NodeInfo) -> int:
    total = weights = 0
    if node.alloc_cpu:
        total += least_requested(node.nz_cpu + pod.nz_cpu, node.alloc_cpu)
        weights += 1
    if node.alloc_memory:
        total += least_requested(node.nz_memory + pod.nz_memory, node.alloc_memory)
        weights += 1
    return total // weights if weights else 0


class LeastAllocated:
    """NodeResourcesFit's score with the LeastAllocated strategy (the default)."""

    name = "NodeResourcesFit"
    weight = 1

    def score(self, pod: PodInfo, nodes: Sequence[NodeInfo]) -> list[int] | None:
        cpu, memory = pod.nz_cpu, pod.nz_memory
        scores = []
        for node in nodes:  # least_allocated, inlined for the common case: the hot path
            alloc_cpu, alloc_memory = node.alloc_cpu, node.alloc_memory
            used_cpu, used_memory = node.nz_cpu + cpu, node.nz_memory + memory
            if alloc_cpu and alloc_memory and used_cpu <= alloc_cpu and used_memory <= alloc_memory:
                free = (alloc_cpu - used_cpu) * 100 // alloc_cpu + (
                    alloc_memory - used_memory
                ) * 100 // alloc_memory
                scores.append(free // 2)
            else:
                scores.append(least_allocated(pod, node))
        return scores
