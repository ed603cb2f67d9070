"""The default filter and score plugins, in upstream's order (`default_plugins.go`).

`default_filters()` and `default_scorers()` return fresh instances; the cycle runs filters in
this order and stops at a node's first failure, so the order decides which reason a node reports.
"""

from __future__ import annotations

from kubelite.scheduler.framework import FilterPlugin, ScorePlugin
from kubelite.scheduler.plugins.balancedallocation import BalancedAllocation
from kubelite.scheduler.plugins.nodeaffinity import NodeAffinity
from kubelite.scheduler.plugins.nodename import NodeName
from kubelite.scheduler.plugins.nodeports import NodePorts
from kubelite.scheduler.plugins.noderesources import LeastAllocated, NodeResourcesFit
from kubelite.scheduler.plugins.nodeunschedulable import NodeUnschedulable
from kubelite.scheduler.plugins.tainttoleration import TaintToleration


def default_filters() -> list[FilterPlugin]:
    return [
        NodeUnschedulable(),
        NodeName(),
        TaintToleration(),
        NodeAffinity(),
        NodePorts(),
        NodeResourcesFit(),
    ]


def default_scorers() -> list[ScorePlugin]:
    return [TaintToleration(), NodeAffinity(), LeastAllocated(), BalancedAllocation()]


__all__ = [
    "BalancedAllocation",
    "LeastAllocated",
    "NodeAffinity",
    "NodeName",
    "NodePorts",
    "NodeResourcesFit",
    "NodeUnschedulable",
    "TaintToleration",
    "default_filters",
    "default_scorers",
]
