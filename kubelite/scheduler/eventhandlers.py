"""How informer events reach the scheduler's cache and queue (upstream `eventhandlers.go`).

Pods:
- assigned (`spec.nodeName` set) → counted in the cache (an assumed pod is confirmed); a pod that
  turns terminal or is deleted leaves the cache and unschedulable pods are retried (room freed);
- unassigned, for this scheduler (`schedulerName` empty or ours), not terminating, not terminal
  and without `schedulingGates` → pending in the queue (updates keep the newest version);
  otherwise dropped from it.
Nodes: added or changed in a way that can matter (spec, labels, allocatable) → cached and every
unschedulable pod retried; deleted → dropped from the cache.
Handlers are synchronous and quick; they never write to the API.
"""

from __future__ import annotations

from kubelite.api.core import Node, Pod
from kubelite.informers import DeletedFinalStateUnknown, EventHandlers, unwrap
from kubelite.scheduler.cache import TERMINAL_PHASES, SchedulerCache
from kubelite.scheduler.podinfo import PodInfo
from kubelite.scheduler.queue import SchedulingQueue

DEFAULT_SCHEDULER = "default-scheduler"


def pod_uid(pod: Pod) -> str:
    meta = pod.metadata
    return meta.uid or f"{meta.namespace}/{meta.name}"


class SchedulerEventHandlers:
    def __init__(self, cache: SchedulerCache, queue: SchedulingQueue, scheduler_name: str) -> None:
        self._cache = cache
        self._queue = queue
        self._names = ("", scheduler_name)

    def pod_handlers(self) -> EventHandlers[Pod]:
        return EventHandlers(
            on_add=self.on_pod_add, on_update=self.on_pod_update, on_delete=self.on_pod_delete
        )

    def node_handlers(self) -> EventHandlers[Node]:
        return EventHandlers(
            on_add=self.on_node_add, on_update=self.on_node_update, on_delete=self.on_node_delete
        )

    def responsible_for(self, pod: Pod) -> bool:
        return (
            not pod.spec.node_name
            and pod.spec.scheduler_name in self._names
            and pod.metadata.deletion_timestamp is None
            and pod.status.phase not in TERMINAL_PHASES
            and not pod.spec.scheduling_gates
        )

    def on_pod_add(self, pod: Pod, initial: bool) -> None:
        if pod.spec.node_name:
            self._cache.add_pod(PodInfo(pod))
        elif self.responsible_for(pod):
            self._queue.add(PodInfo(pod))

    def on_pod_update(self, old: Pod, new: Pod) -> None:
        if new.spec.node_name:
            self._queue.delete(pod_uid(new))
            self._assigned_update(old, new)
        elif self.responsible_for(new):
            self._queue.update(PodInfo(new))
        else:
            self._queue.delete(pod_uid(new))

    def _assigned_update(self, old: Pod, new: Pod) -> None:
        uid = pod_uid(new)
        counted = self._cache.node_of(uid) is not None and not self._cache.is_assumed(uid)
        if new.status.phase in TERMINAL_PHASES:
            if counted or self._cache.is_assumed(uid):
                self._cache.remove_pod(uid)
                self._queue.move_all()
            return
        if counted and old.spec == new.spec:
            return  # a status write (kubelet heartbeat, conditions): nothing the scheduler counts
        known = self._cache.pod_info(uid)
        fresh = known is None or not known.same_footprint(new)
        self._cache.add_pod(PodInfo(new) if known is None or fresh else known.with_pod(new))
        if counted:
            self._queue.move_all()  # requests may have shrunk

    def on_pod_delete(self, obj: Pod | DeletedFinalStateUnknown[Pod]) -> None:
        uid = pod_uid(unwrap(obj))
        self._queue.delete(uid)
        if self._cache.node_of(uid) is not None:
            self._cache.remove_pod(uid)
            self._queue.move_all()

    def on_node_add(self, node: Node, initial: bool) -> None:
        self._cache.add_node(node)
        self._queue.move_all()

    def on_node_update(self, old: Node, new: Node) -> None:
        self._cache.add_node(new)
        if (
            old.spec != new.spec
            or old.metadata.labels != new.metadata.labels
            or old.status.allocatable != new.status.allocatable
        ):
            self._queue.move_all()

    def on_node_delete(self, obj: Node | DeletedFinalStateUnknown[Node]) -> None:
        self._cache.remove_node(unwrap(obj).metadata.name)
