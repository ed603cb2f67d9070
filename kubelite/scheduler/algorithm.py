"""One scheduling decision: filter the nodes, score the feasible ones, pick the best (SCH-2, SCH-7).

Contract:
- `schedule(pod)` returns the chosen `NodeInfo` or raises `Unschedulable` with the exact message of
  SCH-9: "0/N nodes are available: <count> <reason>, ... ." (entries sorted as strings), or "no
  nodes available to schedule pods" when the cache has no node.
- Like upstream, the search stops once `num_feasible_nodes_to_find(N)` feasible nodes are found
  (adaptive: `50 − N/125` percent, at least 5 %, at least 100 nodes), and the next search starts
  where this one stopped, so every node gets its turn.
- Scores are weighted sums of the score plugins; ties are broken uniformly at random with the
  injected `random.Random` (upstream's `selectHost` samples a reservoir to the same effect).
Pure and synchronous: it reads the cache and never changes it.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence

from kubelite.scheduler.cache import SchedulerCache
from kubelite.scheduler.framework import FilterPlugin, ScorePlugin
from kubelite.scheduler.nodeinfo import NodeInfo
from kubelite.scheduler.podinfo import PodInfo

NO_NODES = "no nodes available to schedule pods"
MIN_FEASIBLE_NODES = 100
MIN_FEASIBLE_PERCENTAGE = 5
BASE_PERCENTAGE = 50


class Unschedulable(Exception):
    """No node can take the pod; `str()` is the message for PodScheduled and FailedScheduling."""


def fit_error_message(total_nodes: int, reasons: dict[str, int]) -> str:
    entries = sorted(f"{count} {reason}" for reason, count in reasons.items())
    return f"0/{total_nodes} nodes are available: {', '.join(entries)}."


def num_feasible_nodes_to_find(total: int, percentage: int = 0) -> int:
    """How many feasible nodes are enough to stop searching (upstream's adaptive rule)."""
    if total < MIN_FEASIBLE_NODES or percentage >= 100:
        return total
    if percentage <= 0:
        percentage = max(MIN_FEASIBLE_PERCENTAGE, BASE_PERCENTAGE - total // 125)
    return max(MIN_FEASIBLE_NODES, total * percentage // 100)


class Algorithm:
    def __init__(
        self,
        cache: SchedulerCache,
        filters: Sequence[FilterPlugin],
        scorers: Sequence[ScorePlugin],
        rng: random.Random,
        *,
        percentage_of_nodes_to_score: int = 0,
    ) -> None:
        self._cache = cache
        self._filters = list(filters)
        self._scorers = list(scorers)
        self._rng = rng
        self._percentage = percentage_of_nodes_to_score
        self.next_start_index = 0

    def schedule(self, pod: PodInfo) -> NodeInfo:
        nodes = self._cache.nodes
        if not nodes:
            raise Unschedulable(NO_NODES)
        feasible = self.find_feasible(pod, nodes)
        if len(feasible) == 1:
            return feasible[0]
        return self.select_host(feasible, self.prioritize(pod, feasible))

    def find_feasible(self, pod: PodInfo, nodes: Sequence[NodeInfo]) -> list[NodeInfo]:
        total = len(nodes)
        wanted = num_feasible_nodes_to_find(total, self._percentage)
        relevant = [plugin for plugin in self._filters if plugin.relevant(pod)]
        every = [plugin.filter for plugin in relevant]
        plain = [plugin.filter for plugin in relevant if not plugin.restricted_nodes_only]
        feasible: list[NodeInfo] = []
        reasons: dict[str, int] = {}
        start = self.next_start_index % total
        processed = 0
        for node in itertools.chain(itertools.islice(nodes, start, None), itertools.islice(nodes, start)):
            processed += 1
            for check in every if node.restricted else plain:
                failed = check(pod, node)
                if failed:
                    for reason in failed:
                        reasons[reason] = reasons.get(reason, 0) + 1
                    break
            else:
                feasible.append(node)
                if len(feasible) >= wanted:
                    break
        self.next_start_index = (start + processed) % total
        if not feasible:
            raise Unschedulable(fit_error_message(total, reasons))
        return feasible

    def prioritize(self, pod: PodInfo, nodes: Sequence[NodeInfo]) -> list[int]:
        totals: list[int] | None = None
        for plugin in self._scorers:
            scores = plugin.score(pod, nodes)
            if scores is None:
                continue
            weight = plugin.weight
            if totals is None:
                totals = scores if weight == 1 else [weight * score for score in scores]
            else:
                totals = [total + weight * score for total, score in zip(totals, scores, strict=True)]
        return totals if totals is not None else [0] * len(nodes)

    def select_host(self, nodes: Sequence[NodeInfo], totals: Sequence[int]) -> NodeInfo:
        """The highest total; among equals, one chosen uniformly at random."""
        best = max(totals)
        ties = [index for index, total in enumerate(totals) if total == best]
        return nodes[ties[0] if len(ties) == 1 else ties[self._rng.randrange(len(ties))]]
