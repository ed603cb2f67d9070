"""`NodeMonitor`: the node health pass and NoExecute tainting (NODE-4..7, NODE-9).

A reconciler with one key (`MONITOR_KEY`) that requeues itself every `node_monitor_period`. Each pass:

1. Health (NODE-6): for every node whose probe has expired (see `health`), write the Unknown
   conditions through `update_status` (nothing when they already are). A failed write is logged and
   retried on the next pass; it never stops the pass for other nodes.
2. NODE-7: when a node's Ready status leaves True, record `NodeNotReady` on the node and set
   `Ready=False` on every pod bound to it (retried each pass until done or the node is Ready again).
3. Disruption (see `zones`): count Ready nodes per zone. When every zone is fully disrupted, remove
   every NoExecute taint the controller owns and add none.
4. NoExecute taints: Ready=True removes `not-ready`/`unreachable` at once; a node tainted with the
   opposite key is swapped at once; any other not-Ready node waits in its zone's rate-limited queue
   and is tainted (with `timeAdded`) when its turn comes. The next pass is due at the period, or
   earlier when a waiting node's zone earns a token.
Pod phases are never changed here (KUB-7: the phase of pods on an unreachable node stays as it was).
"""

from __future__ import annotations

from collections.abc import Callable

import msgspec
import structlog

from kubelite.api.core import Node, Pod, Taint
from kubelite.client import Client, EventRecorder
from kubelite.client.errors import APIError
from kubelite.clock import Clock, rfc3339
from kubelite.controllers.nodelifecycle.conditions import READY, heartbeat, mark_unknown, ready_status
from kubelite.controllers.nodelifecycle.health import HealthTracker
from kubelite.controllers.nodelifecycle.index import PODS_BY_NODE
from kubelite.controllers.nodelifecycle.settings import NodeLifecycleSettings
from kubelite.controllers.nodelifecycle.taints import (
    NO_EXECUTE,
    NO_EXECUTE_KEYS,
    has_taint,
    no_execute_key,
    opposite,
    swap,
)
from kubelite.controllers.nodelifecycle.writes import TaintChange, set_pod_condition, update_taints
from kubelite.controllers.nodelifecycle.zones import Transition, Zones, zone_of
from kubelite.controllers.runtime import Request, Result
from kubelite.informers import Lister

log = structlog.get_logger("kubelite.controllers.nodelifecycle")

MONITOR_KEY = Request("", "node-health-monitor")
_MIN_REQUEUE = 0.01


class NodeMonitor:
    def __init__(
        self,
        client: Client,
        recorder: EventRecorder,
        nodes: Lister[Node],
        pods: Lister[Pod],
        *,
        tracker: HealthTracker,
        settings: NodeLifecycleSettings,
        clock: Clock,
    ) -> None:
        self._client = client
        self._recorder = recorder
        self._nodes = nodes
        self._pods = pods
        self._tracker = tracker
        self._settings = settings
        self._clock = clock
        self.zones = Zones(settings, clock)
        self._pods_to_mark: set[str] = set()

    async def reconcile(self, request: Request) -> Result:
        nodes = [await self._check_health(node) for node in self._nodes.list()]
        current = {node.metadata.name: node for node in nodes}
        self._tracker.retain(set(current))
        self._pods_to_mark &= set(current)
        await self._mark_pods_not_ready(current)
        transition = self.zones.update(_zone_counts(nodes))
        if self.zones.all_disrupted:
            for node in nodes:
                self.zones.dequeue(zone_of(node), node.metadata.name)
                await self._write_taints(node, _without_no_execute(self._clock.now()))
            return Result(requeue_after=self._settings.node_monitor_period)
        if transition is Transition.EXITED:
            self._tracker.reset(self._clock.now())
        for node in nodes:
            await self._process_no_execute(node)
        await self._taint_pass(current)
        return Result(requeue_after=self._next_pass())

    def _next_pass(self) -> float:
        period = self._settings.node_monitor_period
        turn = self.zones.next_turn()
        return period if turn is None else max(_MIN_REQUEUE, min(period, turn))

    async def _check_health(self, node: Node) -> Node:
        now = self._clock.now()
        if self._tracker.expired(node, now):
            node = await self._write_unknown(node, now)
        self._note_ready(node)
        return node

    async def _write_unknown(self, node: Node, now: float) -> Node:
        conditions = mark_unknown(node, now)
        if conditions is None:
            return node
        status = msgspec.structs.replace(node.status, conditions=conditions)
        try:
            written = await self._client.update_status(msgspec.structs.replace(node, status=status))
        except APIError as err:
            log.warning("node_status_update_failed", node=node.metadata.name, error=str(err))
            return node
        self._tracker.note_heartbeat(node.metadata.name, heartbeat(written))
        log.info("node_status_unknown", node=node.metadata.name)
        return written

    def _note_ready(self, node: Node) -> None:
        health = self._tracker.get(node.metadata.name)
        if health is None:
            return
        now_ready = ready_status(node)
        if health.ready == "True" and now_ready != "True":
            self._recorder.event(
                node, "Normal", "NodeNotReady", f"Node {node.metadata.name} status is now: NodeNotReady"
            )
            self._pods_to_mark.add(node.metadata.name)
        health.ready = now_ready

    async def _mark_pods_not_ready(self, current: dict[str, Node]) -> None:
        for name in sorted(self._pods_to_mark):
            node = current.get(name)
            if node is None or ready_status(node) == "True":
                self._pods_to_mark.discard(name)
                continue
            try:
                for pod in self._pods.by_index(PODS_BY_NODE, name):
                    await self._mark_pod_not_ready(pod)
            except APIError as err:
                log.warning("mark_pods_not_ready_failed", node=name, error=str(err))
                continue
            self._pods_to_mark.discard(name)

    async def _mark_pod_not_ready(self, pod: Pod) -> None:
        ready = next((c for c in pod.status.conditions if c.type == READY), None)
        if ready is None or ready.status == "False":
            return
        stamp = rfc3339(self._clock.now())
        condition = msgspec.structs.replace(ready, status="False", last_transition_time=stamp)
        await set_pod_condition(self._client, pod, condition)
        self._recorder.event(pod, "Warning", "NodeNotReady", "Node is not ready")

    async def _process_no_execute(self, node: Node) -> None:
        name, zone, ready = node.metadata.name, zone_of(node), ready_status(node)
        key = no_execute_key(ready)
        if ready == "True":
            self.zones.dequeue(zone, name)
            await self._write_taints(node, _without_no_execute(self._clock.now()))
        elif key is None:
            return  # never posted Ready and still within its startup grace
        elif has_taint(node, opposite(key), NO_EXECUTE):
            self.zones.dequeue(zone, name)
            await self._write_taints(node, _follow_ready(self._clock.now()))
        elif has_taint(node, key, NO_EXECUTE):
            self.zones.dequeue(zone, name)
        else:
            self.zones.enqueue(zone, name)

    async def _taint_pass(self, current: dict[str, Node]) -> None:
        """Taint the nodes whose turn has come, as this pass saw them (fresher than the cache)."""
        for name in self.zones.pop_ready():
            node = current.get(name)
            if node is None or no_execute_key(ready_status(node)) is None:
                continue
            if not await self._write_taints(node, _follow_ready(self._clock.now())):
                self.zones.enqueue(zone_of(node), name)

    async def _write_taints(self, node: Node, change: TaintChange) -> bool:
        try:
            await update_taints(self._client, node, change)
        except APIError as err:
            log.warning("node_taint_update_failed", node=node.metadata.name, error=str(err))
            return False
        return True


def _zone_counts(nodes: list[Node]) -> dict[str, tuple[int, int]]:
    counts: dict[str, tuple[int, int]] = {}
    for node in nodes:
        ready, not_ready = counts.get(zone_of(node), (0, 0))
        if ready_status(node) == "True":
            ready += 1
        else:
            not_ready += 1
        counts[zone_of(node)] = (ready, not_ready)
    return counts


def _without_no_execute(now: float) -> TaintChange:
    return lambda node: swap(node.spec.taints, [], [(key, NO_EXECUTE) for key in NO_EXECUTE_KEYS], now)


def _follow_ready(now: float) -> Callable[[Node], list[Taint] | None]:
    """The NoExecute taint matching the node's Ready status, the opposite one removed (NODE-9)."""

    def change(node: Node) -> list[Taint] | None:
        key = no_execute_key(ready_status(node))
        if key is None:
            return swap(node.spec.taints, [], [(k, NO_EXECUTE) for k in NO_EXECUTE_KEYS], now)
        return swap(node.spec.taints, [Taint(key=key, effect=NO_EXECUTE)], [(opposite(key), NO_EXECUTE)], now)

    return change
