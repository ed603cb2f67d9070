"""The plugin contracts the scheduling cycle runs (after the upstream scheduling framework).

- A `FilterPlugin` decides whether one node can host one pod. `relevant(pod)` is asked once per
  cycle: a plugin that cannot reject this pod on any node says False and is skipped (upstream's
  PreFilter `Skip`). `filter(pod, node)` returns None when the node fits, else the reasons, each an
  exact upstream message (SCH-2). The cycle stops at a node's first failing plugin, so a node
  contributes the reasons of one plugin. A plugin with `restricted_nodes_only = True` can only
  reject a node that is cordoned or has a `NoSchedule`/`NoExecute` taint (`NodeInfo.restricted`);
  the cycle does not ask it about other nodes.
- A `ScorePlugin` rates the feasible nodes for one pod. `score(pod, nodes)` returns one normalised
  score (0–100) per node in order, or None when it would give every node the same score (it then
  cannot change the choice and is skipped). The cycle multiplies by `weight` and adds up (SCH-7).
Plugins are stateless and synchronous; they read `PodInfo` and `NodeInfo` and never mutate them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from kubelite.scheduler.nodeinfo import NodeInfo
from kubelite.scheduler.podinfo import PodInfo

MAX_NODE_SCORE = 100

Reasons = tuple[str, ...]


class FilterPlugin(Protocol):
    name: str
    restricted_nodes_only: bool

    def relevant(self, pod: PodInfo) -> bool: ...

    def filter(self, pod: PodInfo, node: NodeInfo) -> Reasons | None: ...


class ScorePlugin(Protocol):
    name: str
    weight: int

    def score(self, pod: PodInfo, nodes: Sequence[NodeInfo]) -> list[int] | None: ...


def normalize(scores: list[int], *, reverse: bool = False) -> list[int]:
    """Scale to 0–100 by the highest score; `reverse` turns the best into the lowest (upstream's
    `DefaultNormalizeScore`). All zero stays zero, or becomes all 100 when reversed."""
    highest = max(scores, default=0)
    if highest == 0:
        return [MAX_NODE_SCORE] * len(scores) if reverse else scores
    scaled = [MAX_NODE_SCORE * score // highest for score in scores]
    return [MAX_NODE_SCORE - score for score in scaled] if reverse else scaled
