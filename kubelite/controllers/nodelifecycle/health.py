"""`HealthTracker`: when the controller last heard from each node (NODE-4, NODE-5).

A node's `probe` timestamp is the controller's own clock (`now()`) at the moment it saw a new Ready
`lastHeartbeatTime` on the Node or a later `renewTime` on its Lease `kube-node-lease/<node>`. The
informer handlers report what they see (`observe_node`, `observe_lease`: bookkeeping only, no I/O),
so the probe is as fresh as the cache. A node seen for the first time gets `probe = now`, except one
that never posted Ready, whose probe is its creation time (so the startup grace counts from there).

`expired(node, now)` is `now > probe + grace`, with the startup grace for a node without a Ready
condition. When the controller writes a heartbeat itself (a condition it created), it tells the
tracker with `note_heartbeat`, so its own write never counts as a sign of life. `ready` remembers the
Ready status the health pass last saw, to detect Ready leaving True (NODE-7).
"""

from __future__ import annotations

from dataclasses import dataclass

from kubelite.api.core import Node
from kubelite.clock import parse_rfc3339
from kubelite.controllers.nodelifecycle.conditions import heartbeat, ready_status
from kubelite.controllers.nodelifecycle.settings import NodeLifecycleSettings

_UNSEEN = "\x00unseen"


@dataclass(slots=True)
class NodeHealth:
    probe: float
    heartbeat: str | None = _UNSEEN
    renew: float | None = None
    ready: str | None = None


class HealthTracker:
    def __init__(self, settings: NodeLifecycleSettings) -> None:
        self._settings = settings
        self._nodes: dict[str, NodeHealth] = {}

    def get(self, name: str) -> NodeHealth | None:
        return self._nodes.get(name)

    def observe_node(self, node: Node, now: float) -> NodeHealth:
        name = node.metadata.name
        beat = heartbeat(node)
        health = self._nodes.get(name)
        if health is None:
            probe = now if ready_status(node) is not None else _created(node, now)
            health = self._nodes[name] = NodeHealth(probe=probe, heartbeat=beat)
        elif health.heartbeat == _UNSEEN:
            health.heartbeat = beat
        elif beat != health.heartbeat:
            health.heartbeat = beat
            health.probe = now
        return health

    def observe_lease(self, name: str, renew_time: str | None, now: float) -> None:
        if renew_time is None:
            return
        renewed = parse_rfc3339(renew_time)
        health = self._nodes.get(name)
        if health is None:
            self._nodes[name] = NodeHealth(probe=now, renew=renewed)
        elif health.renew is None or renewed > health.renew:
            health.renew = renewed
            health.probe = now

    def note_heartbeat(self, name: str, beat: str | None) -> None:
        health = self._nodes.get(name)
        if health is not None:
            health.heartbeat = beat

    def expired(self, node: Node, now: float) -> bool:
        health = self.observe_node(node, now)
        settings = self._settings
        has_ready = ready_status(node) is not None
        grace = settings.node_monitor_grace_period if has_ready else settings.node_startup_grace_period
        return now > health.probe + grace

    def reset(self, now: float) -> None:
        """Give every node a fresh grace (on leaving full disruption, as upstream)."""
        for health in self._nodes.values():
            health.probe = now

    def forget(self, name: str) -> None:
        self._nodes.pop(name, None)

    def retain(self, names: set[str]) -> None:
        for name in [n for n in self._nodes if n not in names]:
            del self._nodes[name]


def _created(node: Node, now: float) -> float:
    created = node.metadata.creation_timestamp
    return now if created is None else parse_rfc3339(created)
