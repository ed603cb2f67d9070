"""Zones and disruption (NODE-9): which zones may get new NoExecute taints, and how fast.

A node's zone is its `topology.kubernetes.io/zone` label ("" without one). Per health pass the
controller counts Ready and not-Ready nodes per zone and calls `Zones.update(counts)`:

- zone state (`zone_state`): **full** disruption when no node of the zone is Ready; **partial** when
  at least 3 and at least `unhealthy_zone_threshold` (55 %) of its nodes are not Ready; else normal;
- when every zone is fully disrupted, `all_disrupted` is True: no NoExecute taint may be added and
  the controller removes the existing ones. `update` returns `ENTERED` / `EXITED` on the passes where
  that starts or ends (the controller then gives every node a fresh grace, as upstream);
- otherwise each zone's token bucket runs at `node_eviction_rate` (normal, or full disruption of one
  zone among healthy ones), or in partial disruption at `secondary_node_eviction_rate` when the zone
  has more than `large_cluster_size_threshold` nodes, else 0 (upstream sizes this by the zone).

Nodes waiting for a NoExecute taint sit in their zone's FIFO (`enqueue`, `dequeue`); `pop_ready`
hands them out while the zone's bucket has tokens (a token is spent per node handed out, even if the
caller then finds nothing to do, as upstream's `Try`).
"""

from __future__ import annotations

import enum

from kubelite.api.core import Node
from kubelite.clock import Clock
from kubelite.controllers.nodelifecycle.ratelimit import TokenBucket
from kubelite.controllers.nodelifecycle.settings import NodeLifecycleSettings

ZONE_LABEL = "topology.kubernetes.io/zone"


class ZoneState(enum.StrEnum):
    INITIAL = "Initial"
    NORMAL = "Normal"
    PARTIAL = "PartialDisruption"
    FULL = "FullDisruption"


class Transition(enum.Enum):
    NONE = 0
    ENTERED = 1
    EXITED = 2


def zone_of(node: Node) -> str:
    return node.metadata.labels.get(ZONE_LABEL, "")


def zone_state(ready: int, not_ready: int, threshold: float) -> ZoneState:
    if ready == 0 and not_ready > 0:
        return ZoneState.FULL
    if not_ready > 2 and not_ready / (ready + not_ready) >= threshold:
        return ZoneState.PARTIAL
    return ZoneState.NORMAL


class Zones:
    def __init__(self, settings: NodeLifecycleSettings, clock: Clock) -> None:
        self._settings = settings
        self._clock = clock
        self.states: dict[str, ZoneState] = {}
        self._buckets: dict[str, TokenBucket] = {}
        self._pending: dict[str, dict[str, None]] = {}
        self.all_disrupted = False

    def update(self, counts: dict[str, tuple[int, int]]) -> Transition:
        """Take this pass's `{zone: (ready, not_ready)}`; set states and rates."""
        was = bool(self.states) and all(s is ZoneState.FULL for s in self.states.values())
        new = {
            zone: zone_state(r, n, self._settings.unhealthy_zone_threshold) for zone, (r, n) in counts.items()
        }
        for zone in [z for z in self._pending if z not in new]:
            del self._pending[zone]
            self._buckets.pop(zone, None)
        self.states = new
        self.all_disrupted = bool(new) and all(s is ZoneState.FULL for s in new.values())
        for zone, state in new.items():
            size = sum(counts[zone])
            self._bucket(zone).set_rate(0.0 if self.all_disrupted else self._rate(state, size))
        if self.all_disrupted and not was:
            return Transition.ENTERED
        return Transition.EXITED if was and not self.all_disrupted else Transition.NONE

    def _rate(self, state: ZoneState, size: int) -> float:
        settings = self._settings
        if state is not ZoneState.PARTIAL:
            return settings.node_eviction_rate
        return settings.secondary_node_eviction_rate if size > settings.large_cluster_size_threshold else 0.0

    def _bucket(self, zone: str) -> TokenBucket:
        bucket = self._buckets.get(zone)
        if bucket is None:
            settings = self._settings
            bucket = self._buckets[zone] = TokenBucket(
                settings.node_eviction_rate, settings.eviction_burst, self._clock
            )
        return bucket

    def enqueue(self, zone: str, name: str) -> None:
        self._pending.setdefault(zone, {})[name] = None

    def dequeue(self, zone: str, name: str) -> None:
        self._pending.get(zone, {}).pop(name, None)

    def pop_ready(self) -> list[str]:
        """Nodes whose turn has come, zone by zone, spending one token each."""
        ready: list[str] = []
        for zone, names in self._pending.items():
            bucket = self._bucket(zone)
            while names and bucket.try_accept():
                name = next(iter(names))
                del names[name]
                ready.append(name)
        return ready

    def next_turn(self) -> float | None:
        """Seconds until some waiting node's zone has a token again, or None."""
        waits = [self._bucket(z).wait() for z, names in self._pending.items() if names]
        known = [w for w in waits if w is not None]
        return min(known) if known else None
