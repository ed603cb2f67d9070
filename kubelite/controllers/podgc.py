"""`PodGCController`: force-deletes pods bound to nodes that no longer exist (NODE-12).

A reconciler keyed by node name, registered on a `Manager` (shared Pod and Node informers). A node
name is enqueued when a bound pod names a node missing from the cache, and when a Node is deleted.
When the node is missing and pods are still bound to it, the controller waits out a quarantine
(`PodGCSettings.quarantine`, 40 s upstream) from when it first found the node missing, then checks
with a live GET that the node is really gone (the cache may lag a just-created node). Each such pod
is then marked `Failed` (unless already terminal) with `DisruptionTarget=True` reason
`DeletionByPodGC`, and deleted with grace period 0. A node that reappears cancels the wait.
Terminated-pod thresholds and unscheduled terminating pods are not handled here.
"""

from __future__ import annotations

from dataclasses import dataclass

import msgspec
import structlog

from kubelite.api.core import Node, Pod, PodCondition
from kubelite.api.meta import DeleteOptions
from kubelite.client import Client
from kubelite.client.errors import NotFound
from kubelite.clock import rfc3339
from kubelite.controllers.nodelifecycle.conditions import with_pod_condition
from kubelite.controllers.nodelifecycle.index import PODS_BY_NODE, ensure_pods_by_node
from kubelite.controllers.runtime import Manager, Request, Result
from kubelite.informers import DeletedFinalStateUnknown, EventHandlers, unwrap

log = structlog.get_logger("kubelite.controllers.podgc")

REASON = "DeletionByPodGC"
MESSAGE = "PodGC: node no longer exists"
DUE_WITHIN = 1e-6
"""A quarantine this close to its end is over (float sums of clock steps are not exact)."""


@dataclass(frozen=True, slots=True)
class PodGCSettings:
    quarantine: float = 40.0
    """Seconds a node must have been missing before pods bound to it are force-deleted (upstream 40 s)."""


class PodGCController:
    def __init__(self, manager: Manager, client: Client, settings: PodGCSettings | None = None) -> None:
        self.settings = settings or PodGCSettings()
        self._client = client
        self._clock = manager.clock
        factory = manager.factory
        ensure_pods_by_node(factory)
        self._nodes = factory.informer(Node).indexer
        self._pods = factory.lister(Pod)
        self._missing: dict[str, float] = {}
        builder = manager.controller("pod-garbage-collector", self)
        builder.watches(Pod, self._orphan_node)
        enqueue = builder.controller.enqueue

        def node_deleted(node: Node | DeletedFinalStateUnknown[Node]) -> None:
            enqueue(Request("", unwrap(node).metadata.name))

        factory.informer(Node).add_event_handler(EventHandlers(on_delete=node_deleted))

    def _orphan_node(self, pod: Pod) -> list[Request]:
        node = pod.spec.node_name
        return [Request("", node)] if node and node not in self._nodes else []

    async def reconcile(self, request: Request) -> Result | None:
        name = request.name
        pods = self._pods.by_index(PODS_BY_NODE, name)
        if name in self._nodes or not pods:
            self._missing.pop(name, None)
            return None
        since = self._missing.setdefault(name, self._clock.monotonic())
        remaining = since + self.settings.quarantine - self._clock.monotonic()
        if remaining > DUE_WITHIN:
            return Result(requeue_after=remaining)
        if await self._exists(name):
            self._missing.pop(name, None)
            return None
        for pod in pods:
            await self._force_delete(pod)
        self._missing.pop(name, None)
        return None

    async def _exists(self, name: str) -> bool:
        try:
            await self._client.get(Node, name)
        except NotFound:
            return False
        return True

    async def _force_delete(self, pod: Pod) -> None:
        log.info(
            "pod_gc_force_delete",
            pod=f"{pod.metadata.namespace}/{pod.metadata.name}",
            node=pod.spec.node_name,
        )
        try:
            if pod.status.phase not in ("Succeeded", "Failed"):
                await self._client.update_status(_failed(pod, self._clock.now()))
            await self._client.delete(
                Pod, pod.metadata.name, pod.metadata.namespace, options=DeleteOptions(grace_period_seconds=0)
            )
        except NotFound:
            return


def _failed(pod: Pod, now: float) -> Pod:
    condition = PodCondition(
        type="DisruptionTarget",
        status="True",
        reason=REASON,
        message=MESSAGE,
        last_transition_time=rfc3339(now),
    )
    status = with_pod_condition(pod.status, condition) or pod.status
    return msgspec.structs.replace(pod, status=msgspec.structs.replace(status, phase="Failed"))
