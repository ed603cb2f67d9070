"""LeastAllocated and BalancedAllocation scores (SCH-7) where the arithmetic can go wrong: integer
truncation per resource and of the average, a resource over its allocatable (0 for LeastAllocated,
a fraction capped at 1 for BalancedAllocation), and nodes that offer only one of CPU and memory or
neither. Scores are integers, as upstream's int64 scores are."""

from __future__ import annotations

import pytest

from kubelite.api.core import Pod
from kubelite.scheduler.plugins import BalancedAllocation, LeastAllocated
from kubelite.scheduler.podinfo import PodInfo
from tests.scheduler.builders import node, node_info, pod


def least(subject: Pod, cpu: str, memory: str) -> int:
    (score,) = LeastAllocated().score(PodInfo(subject), [node_info(node(cpu=cpu, memory=memory))]) or [None]
    assert type(score) is int
    return score


def balanced(subject: Pod, cpu: str, memory: str) -> int:
    (score,) = BalancedAllocation().score(PodInfo(subject), [node_info(node(cpu=cpu, memory=memory))]) or [
        None
    ]
    assert type(score) is int
    return score


@pytest.mark.parametrize(
    ("subject", "cpu", "memory", "expected"),
    [
        (pod(cpu="1", memory="330Mi"), "3", "1000Mi", 66),  # cpu 66.7 → 66, memory 67: (66 + 67) // 2
        (pod(cpu="330m", memory="1Gi"), "1", "3Gi", 66),  # cpu 67, memory 66.7 → 66
        (pod(cpu="1", memory="2Gi"), "3", "1Gi", 33),  # memory over: cpu 66, memory 0
        (pod(cpu="330m", memory="2Gi"), "1", "1Gi", 33),  # memory over: cpu 67, memory 0 → 33, not 33.5
        (pod(cpu="4", memory="512Mi"), "4", "1Gi", 25),  # cpu exactly used up: 0 and 50
        (pod(cpu="1", memory="1Gi"), "0", "0", 0),  # a node offering neither resource
        (pod(cpu="1", memory="1Gi"), "4", "0", 75),  # memory not offered: cpu alone
    ],
    ids=[
        "cpu-truncated",
        "memory-truncated",
        "memory-over",
        "memory-over-odd",
        "cpu-full",
        "neither",
        "cpu-only",
    ],
)
def test_sch7_least_allocated_integer_arithmetic(subject: Pod, cpu: str, memory: str, expected: int) -> None:
    assert least(subject, cpu, memory) == expected


@pytest.mark.parametrize(
    ("subject", "cpu", "memory", "expected"),
    [
        (pod(cpu="1", memory="8Gi"), "4", "4Gi", 62),  # f_mem capped at 1 (not 2): 1 − |0.25 − 1|/2
        (pod(cpu="1", memory="1Gi"), "4", "0", 100),  # memory not offered: one fraction, no spread
        (pod(cpu="1", memory="1Gi"), "0", "4Gi", 100),  # cpu not offered
        (pod(cpu="2"), "4", "4Gi", 75),  # only cpu requested: still scored, f_mem = 0
        (pod(memory="1Gi"), "4", "4Gi", 87),  # only memory requested
    ],
    ids=["memory-over", "cpu-only-node", "memory-only-node", "cpu-only-pod", "memory-only-pod"],
)
def test_sch7_balanced_allocation_edges(subject: Pod, cpu: str, memory: str, expected: int) -> None:
    assert balanced(subject, cpu, memory) == expected
