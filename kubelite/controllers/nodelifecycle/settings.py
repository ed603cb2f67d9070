"""Settings of the node lifecycle controller (C-1: every duration is configurable; the defaults are
kube-controller-manager's, with the 50 s grace of NODE-5)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NodeLifecycleSettings:
    node_monitor_period: float = 5.0
    """Seconds between health passes over every node (NODE-4, `--node-monitor-period`)."""

    node_monitor_grace_period: float = 50.0
    """A node unheard of for longer than this goes Unknown (NODE-5/6, `--node-monitor-grace-period`)."""

    node_startup_grace_period: float = 60.0
    """The grace, from its creation, of a node that never posted Ready (`--node-startup-grace-period`)."""

    node_eviction_rate: float = 0.1
    """Nodes per second that may get a NoExecute taint in a healthy zone (`--node-eviction-rate`)."""

    secondary_node_eviction_rate: float = 0.01
    """The rate in a partially disrupted zone larger than `large_cluster_size_threshold`."""

    eviction_burst: int = 1
    """Token bucket burst of every zone's NoExecute tainter."""

    large_cluster_size_threshold: int = 50
    """A partially disrupted zone with at most this many nodes gets no new NoExecute taints."""

    unhealthy_zone_threshold: float = 0.55
    """Fraction of not-Ready nodes (with at least 3 of them) that makes a zone partially disrupted."""
