"""Scores (SCH-7) and the search (SCH-2, SCH-9): LeastAllocated, BalancedAllocation,
TaintToleration's reverse normalisation, weighted totals, random tie-breaks, the fit-error
message, and how many nodes a cycle looks at."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from kubelite.api.core import Node, Toleration
from kubelite.scheduler import Unschedulable, num_feasible_nodes_to_find
from kubelite.scheduler.algorithm import Algorithm, fit_error_message
from kubelite.scheduler.cache import SchedulerCache
from kubelite.scheduler.framework import normalize
from kubelite.scheduler.plugins import (
    BalancedAllocation,
    LeastAllocated,
    TaintToleration,
    default_filters,
    default_scorers,
)
from kubelite.scheduler.podinfo import PodInfo
from tests.scheduler.builders import node, node_info, pod, taint


def test_sch7_least_allocated_uses_non_zero_defaults() -> None:
    info = node_info(node(cpu="1", memory="1000Mi"))
    # An unrequested pod counts as 100m and 200Mi: cpu (1000-100)*100/1000 = 90, memory 80.
    assert LeastAllocated().score(PodInfo(pod()), [info]) == [85]
    # Requested 500m/500Mi on a node with 250m/250Mi already: cpu 25, memory 25.
    busy = node_info(node(cpu="1", memory="1000Mi"), pod("a", cpu="250m", memory="250Mi"))
    assert LeastAllocated().score(PodInfo(pod(cpu="500m", memory="500Mi")), [busy]) == [25]


def test_sch7_least_allocated_is_zero_when_over() -> None:
    info = node_info(node(cpu="1", memory="1Gi"))
    assert LeastAllocated().score(PodInfo(pod(cpu="2", memory="512Mi")), [info]) == [25]


def test_sch7_balanced_allocation() -> None:
    info = node_info(node(cpu="4", memory="4Gi"))
    # f_cpu = 0.5, f_mem = 0.25: (1 - 0.125) * 100 = 87
    assert BalancedAllocation().score(PodInfo(pod(cpu="2", memory="1Gi")), [info]) == [87]
    assert BalancedAllocation().score(PodInfo(pod(cpu="1", memory="1Gi")), [info]) == [100]
    # Fractions cap at 1: f_cpu = 1, f_mem = 0.25 → 62
    assert BalancedAllocation().score(PodInfo(pod(cpu="8", memory="1Gi")), [info]) == [62]
    assert BalancedAllocation().score(PodInfo(pod()), [info]) is None


def test_sch7_taint_toleration_score_is_reverse_normalised() -> None:
    prefer = "PreferNoSchedule"
    nodes = [
        node_info(node("clean")),
        node_info(node("one", taints=[taint("a", effect=prefer)])),
        node_info(node("two", taints=[taint("a", effect=prefer), taint("b", effect=prefer)])),
    ]
    assert TaintToleration().score(PodInfo(pod()), nodes) == [100, 50, 0]
    tolerant = PodInfo(pod(tolerations=[Toleration(key="a", operator="Exists", effect=prefer)]))
    assert TaintToleration().score(tolerant, nodes) == [100, 100, 0]
    any_effect = PodInfo(pod(tolerations=[Toleration(key="a", operator="Exists")]))
    assert TaintToleration().score(any_effect, nodes) == [100, 100, 0], (
        "an empty effect tolerates every effect"
    )
    assert TaintToleration().score(PodInfo(pod()), nodes[:1]) is None


@pytest.mark.parametrize(
    ("scores", "reverse", "expected"),
    [
        ([0, 0], False, [0, 0]),
        ([0, 0], True, [100, 100]),
        ([1, 3], False, [33, 100]),
        ([1, 3], True, [67, 0]),
    ],
)
def test_sch7_normalize(scores: list[int], reverse: bool, expected: list[int]) -> None:
    assert normalize(scores, reverse=reverse) == expected


def _algorithm(nodes: list[Node], seed: int = 1) -> tuple[Algorithm, SchedulerCache]:
    cache = SchedulerCache()
    for each in nodes:
        cache.add_node(each)
    return Algorithm(cache, default_filters(), default_scorers(), random.Random(seed)), cache


def test_sch7_least_allocated_node_wins() -> None:
    algorithm, cache = _algorithm([node("busy"), node("idle"), node("half")])
    cache.add_pod(PodInfo(pod("x", cpu="3", memory="6Gi", node_name="busy")))
    cache.add_pod(PodInfo(pod("y", cpu="2", memory="4Gi", node_name="half")))
    assert algorithm.schedule(PodInfo(pod(cpu="100m", memory="100Mi"))).name == "idle"


def test_sch7_prefer_no_schedule_outweighs_resources() -> None:
    algorithm, cache = _algorithm(
        [node("tainted", taints=[taint("a", effect="PreferNoSchedule")]), node("used")]
    )
    cache.add_pod(PodInfo(pod("x", cpu="1", memory="1Gi", node_name="used")))
    assert algorithm.schedule(PodInfo(pod(cpu="100m", memory="100Mi"))).name == "used"


def test_sch7_ties_are_broken_at_random() -> None:
    algorithm, _ = _algorithm([node(f"n{i}") for i in range(4)], seed=3)
    picks = Counter(algorithm.schedule(PodInfo(pod(cpu="1"))).name for _ in range(400))
    assert set(picks) == {"n0", "n1", "n2", "n3"}
    assert min(picks.values()) > 60


def test_sch9_fit_error_message_counts_sorted_reasons() -> None:
    algorithm, _ = _algorithm(
        [
            node("cordoned", unschedulable=True),
            node("tainted", taints=[taint("dedicated", "db")]),
            node("small-1", cpu="1"),
            node("small-2", cpu="1"),
            node("full", cpu="1", pods="0"),
        ]
    )
    with pytest.raises(Unschedulable) as failure:
        algorithm.schedule(PodInfo(pod(cpu="2")))
    assert str(failure.value) == (
        "0/5 nodes are available: 1 Too many pods, 1 node(s) had untolerated taint {dedicated: db}, "
        "1 node(s) were unschedulable, 3 Insufficient cpu."
    )


def test_sch9_no_nodes_message() -> None:
    algorithm, _ = _algorithm([])
    with pytest.raises(Unschedulable, match=r"^no nodes available to schedule pods$"):
        algorithm.schedule(PodInfo(pod()))


def test_sch9_message_sorts_entries_as_strings() -> None:
    assert fit_error_message(12, {"b": 2, "a": 10}) == "0/12 nodes are available: 10 a, 2 b."


@pytest.mark.parametrize(
    ("total", "expected"),
    [(5, 5), (99, 99), (100, 100), (200, 100), (1000, 420), (5000, 500), (6000, 300), (100_000, 5000)],
)
def test_num_feasible_nodes_to_find_is_adaptive(total: int, expected: int) -> None:
    assert num_feasible_nodes_to_find(total) == expected


def test_search_stops_early_and_rotates_its_start() -> None:
    algorithm, _ = _algorithm([node(f"n{i:04d}") for i in range(1000)])
    feasible = algorithm.find_feasible(PodInfo(pod()), algorithm._cache.nodes)
    assert len(feasible) == 420
    assert feasible[0].name == "n0000"
    assert algorithm.next_start_index == 420
    again = algorithm.find_feasible(PodInfo(pod()), algorithm._cache.nodes)
    assert again[0].name == "n0420"
    assert algorithm.next_start_index == 840
