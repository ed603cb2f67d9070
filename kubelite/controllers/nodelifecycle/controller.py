"""`NodeLifecycleController`: node health, condition taints and taint eviction, on a `Manager`.

    manager = Manager(client, clock=clock)
    recorder = EventRecorder(client, "node-controller", clock=clock)
    NodeLifecycleController(manager, client, recorder, NodeLifecycleSettings())
    async with anyio.create_task_group() as tg:
        tg.start_soon(recorder.run)
        await tg.start(manager.run)

Constructing it registers three controllers on the manager, all reading the manager's shared
informers (Node, Lease, Pod) and its clock:
- `node-lifecycle` (`monitor.NodeMonitor`): the health pass every `node_monitor_period`, Unknown
  conditions, NODE-7 and rate-limited NoExecute taints;
- `node-taints` (`noschedule.NoScheduleTainter`): NoSchedule taints on every Node change;
- `taint-eviction` (`eviction.TaintEviction`): pod deletion under NoExecute taints.
The informer handlers added here only report heartbeats to the `HealthTracker` and enqueue keys.
The caller runs the recorder (events are written by `recorder.run`) and the manager.
"""

from __future__ import annotations

from kubelite.api.coordination import Lease
from kubelite.api.core import Node, Pod
from kubelite.client import Client, EventRecorder
from kubelite.clock import Clock
from kubelite.controllers.nodelifecycle.eviction import TaintEviction
from kubelite.controllers.nodelifecycle.health import HealthTracker
from kubelite.controllers.nodelifecycle.index import ensure_pods_by_node
from kubelite.controllers.nodelifecycle.monitor import MONITOR_KEY, NodeMonitor
from kubelite.controllers.nodelifecycle.noschedule import NoScheduleTainter
from kubelite.controllers.nodelifecycle.settings import NodeLifecycleSettings
from kubelite.controllers.runtime import Manager, Request
from kubelite.informers import DeletedFinalStateUnknown, EventHandlers, unwrap

LEASE_NAMESPACE = "kube-node-lease"


class NodeLifecycleController:
    def __init__(
        self,
        manager: Manager,
        client: Client,
        recorder: EventRecorder,
        settings: NodeLifecycleSettings | None = None,
    ) -> None:
        self.settings = settings or NodeLifecycleSettings()
        self.clock: Clock = manager.clock
        factory = manager.factory
        ensure_pods_by_node(factory)
        nodes, pods = factory.lister(Node), factory.lister(Pod)
        self.tracker = HealthTracker(self.settings)
        factory.informer(Node).add_event_handler(self._node_heartbeats())
        factory.informer(Lease).add_event_handler(self._lease_heartbeats())
        self.monitor = NodeMonitor(
            client, recorder, nodes, pods, tracker=self.tracker, settings=self.settings, clock=self.clock
        )
        manager.controller("node-lifecycle", self.monitor).controller.enqueue(MONITOR_KEY)
        manager.controller("node-taints", NoScheduleTainter(client, nodes, self.clock)).for_kind(Node)
        eviction = TaintEviction(client, recorder, nodes, factory.informer(Pod).indexer, self.clock)
        builder = manager.controller("taint-eviction", eviction)
        builder.watches(Pod, _bound_pod)
        factory.informer(Node).add_event_handler(eviction.node_handlers(builder.controller.enqueue))

    def _node_heartbeats(self) -> EventHandlers[Node]:
        def seen(node: Node) -> None:
            self.tracker.observe_node(node, self.clock.now())

        def delete(node: Node | DeletedFinalStateUnknown[Node]) -> None:
            self.tracker.forget(unwrap(node).metadata.name)

        return EventHandlers(
            on_add=lambda node, _: seen(node), on_update=lambda _, node: seen(node), on_delete=delete
        )

    def _lease_heartbeats(self) -> EventHandlers[Lease]:
        def seen(lease: Lease) -> None:
            if lease.metadata.namespace == LEASE_NAMESPACE:
                self.tracker.observe_lease(lease.metadata.name, lease.spec.renew_time, self.clock.now())

        return EventHandlers(on_add=lambda lease, _: seen(lease), on_update=lambda _, lease: seen(lease))


def _bound_pod(pod: Pod) -> list[Request]:
    return [Request(pod.metadata.namespace, pod.metadata.name)] if pod.spec.node_name else []
