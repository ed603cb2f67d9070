"""`TaintEviction`: deletes pods from nodes with NoExecute taints they do not tolerate (NODE-11).

A reconciler keyed by pod. For a bound, not yet terminating pod on a node with NoExecute taints:
- some taint not tolerated, or a matching `tolerationSeconds` ≤ 0 → evict now;
- otherwise evict at (the time this controller first saw the pod under NoExecute taints) + the
  minimum `tolerationSeconds` of the matching tolerations: the reconcile returns
  `Result(requeue_after=...)`, so the wait is a delayed key on the workqueue's clock, not a task;
- no matching toleration has seconds → tolerated forever.
When the node loses its NoExecute taints (or the pod goes away or is re-created under a new uid), the
remembered time is dropped, which cancels a pending eviction: the requeued key then finds nothing to do.

Evicting writes `DisruptionTarget=True` (reason `DeletionByTaintManager`) to the pod's status, records
the event `TaintManagerEviction`, then sends an ordinary DELETE (the pod's grace period applies).
`node_handlers()` enqueues every pod of a node whose NoExecute taints changed.
"""

from __future__ import annotations

from collections.abc import Callable

from kubelite.api.core import Node, Pod, PodCondition
from kubelite.client import Client, EventRecorder
from kubelite.client.errors import NotFound
from kubelite.clock import Clock, rfc3339
from kubelite.controllers.nodelifecycle.index import PODS_BY_NODE
from kubelite.controllers.nodelifecycle.taints import no_execute_taints
from kubelite.controllers.nodelifecycle.tolerations import eviction_delay
from kubelite.controllers.nodelifecycle.writes import set_pod_condition
from kubelite.controllers.runtime import Request, Result
from kubelite.informers import DeletedFinalStateUnknown, EventHandlers, Indexer, Lister, split_key, unwrap

DISRUPTION_TARGET = "DisruptionTarget"
REASON = "DeletionByTaintManager"
MESSAGE = "Taint manager: deleting due to NoExecute taint"
DUE_WITHIN = 1e-6
"""An eviction this close to its time is due (float sums of clock steps are not exact)."""


class TaintEviction:
    def __init__(
        self, client: Client, recorder: EventRecorder, nodes: Lister[Node], pods: Indexer[Pod], clock: Clock
    ) -> None:
        self._client = client
        self._recorder = recorder
        self._nodes = nodes
        self._pods = Lister(pods)
        self._pod_index = pods
        self._clock = clock
        self._seen: dict[Request, tuple[str, float]] = {}

    async def reconcile(self, request: Request) -> Result | None:
        pod = self._pods.get(request.name, request.namespace)
        delay = self._delay(pod)
        if pod is None or delay is None:
            self._seen.pop(request, None)
            return None
        uid, since = self._seen.get(request, ("", 0.0))
        if uid != pod.metadata.uid:
            since = self._clock.monotonic()
            self._seen[request] = (pod.metadata.uid, since)
        remaining = since + delay - self._clock.monotonic()
        if remaining > DUE_WITHIN:
            return Result(requeue_after=remaining)
        await self._evict(pod)
        self._seen.pop(request, None)
        return None

    def _delay(self, pod: Pod | None) -> float | None:
        """Seconds the pod may stay, or None when it is not subject to eviction at all."""
        if pod is None or not pod.spec.node_name or pod.metadata.deletion_timestamp is not None:
            return None
        node = self._nodes.get(pod.spec.node_name)
        taints = [] if node is None else no_execute_taints(node)
        if not taints:
            return None
        return eviction_delay(taints, pod.spec.tolerations)

    async def _evict(self, pod: Pod) -> None:
        condition = PodCondition(
            type=DISRUPTION_TARGET,
            status="True",
            reason=REASON,
            message=MESSAGE,
            last_transition_time=rfc3339(self._clock.now()),
        )
        try:
            await set_pod_condition(self._client, pod, condition)
            self._recorder.event(
                pod,
                "Normal",
                "TaintManagerEviction",
                f"Marking for deletion Pod {pod.metadata.namespace}/{pod.metadata.name}",
            )
            await self._client.delete(Pod, pod.metadata.name, pod.metadata.namespace)
        except NotFound:
            return

    def node_handlers(self, enqueue: Callable[[Request], None]) -> EventHandlers[Node]:
        """Enqueue the pods of a node when its NoExecute taints change (bookkeeping only, no I/O)."""

        def pods_of(node: Node) -> None:
            for key in self._pods_index_keys(node.metadata.name):
                namespace, name = split_key(key)
                enqueue(Request(namespace, name))

        def add(node: Node, initial: bool) -> None:
            if no_execute_taints(node):
                pods_of(node)

        def update(old: Node, new: Node) -> None:
            if no_execute_taints(old) != no_execute_taints(new):
                pods_of(new)

        def delete(node: Node | DeletedFinalStateUnknown[Node]) -> None:
            pods_of(unwrap(node))

        return EventHandlers(on_add=add, on_update=update, on_delete=delete)

    def _pods_index_keys(self, node: str) -> list[str]:
        return self._pod_index.index_keys(PODS_BY_NODE, node)
