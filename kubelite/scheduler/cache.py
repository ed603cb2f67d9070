"""`SchedulerCache`: every node's `NodeInfo`, fed by the Node and Pod informers and by the
scheduler's own assumptions (upstream `internal/cache`).

Contract:
- `nodes` lists the NodeInfos that have a Node object, in the order nodes arrived; the scheduling
  cycle iterates it. NodeInfos of unknown nodes still count the pods assigned to them.
- A pod is in one of two states: *assumed* (the scheduler picked a node and is binding) or *bound*
  (an informer showed it with `spec.nodeName`). `assume` counts it on its node at once. `add_pod`
  of an assumed pod confirms it (moving it if it landed elsewhere), so it is never counted twice.
  `forget` drops an assumption that is still unconfirmed (a failed bind) and releases its resources;
  it never drops a confirmed pod.
- Terminal pods (Succeeded/Failed) are not counted; terminating ones are.
Synchronous and single-threaded: the scheduling cycle sees a consistent cache without a snapshot.
"""

from __future__ import annotations

from kubelite.api.core import Node
from kubelite.scheduler.nodeinfo import NodeInfo
from kubelite.scheduler.podinfo import PodInfo

TERMINAL_PHASES = ("Succeeded", "Failed")


class SchedulerCache:
    def __init__(self) -> None:
        self._infos: dict[str, NodeInfo] = {}
        self.nodes: list[NodeInfo] = []
        self._pod_nodes: dict[str, str] = {}  # uid → node name, for every counted pod
        self._assumed: set[str] = set()

    def node(self, name: str) -> NodeInfo | None:
        return self._infos.get(name)

    def _info(self, name: str) -> NodeInfo:
        info = self._infos.get(name)
        if info is None:
            info = self._infos[name] = NodeInfo(name)
        return info

    # Nodes.

    def add_node(self, node: Node) -> None:
        info = self._info(node.metadata.name)
        if info.node is None:
            self.nodes.append(info)
        info.set_node(node)

    def remove_node(self, name: str) -> None:
        info = self._infos.get(name)
        if info is None or info.node is None:
            return
        self.nodes.remove(info)
        info.node = None
        if not info.pods:
            del self._infos[name]

    # Pods.

    def is_assumed(self, uid: str) -> bool:
        return uid in self._assumed

    def node_of(self, uid: str) -> str | None:
        return self._pod_nodes.get(uid)

    def pod_info(self, uid: str) -> PodInfo | None:
        name = self._pod_nodes.get(uid)
        return None if name is None else self._infos[name].pods.get(uid)

    def assume(self, pod: PodInfo, node_name: str) -> None:
        self._place(pod, node_name)
        self._assumed.add(pod.uid)

    def forget(self, uid: str) -> None:
        """Drop an unconfirmed assumption (the bind failed); a confirmed pod stays."""
        if uid in self._assumed:
            self._assumed.discard(uid)
            self._unplace(uid)

    def add_pod(self, pod: PodInfo) -> None:
        """An informer shows `pod` assigned: count it on its node (confirming an assumption)."""
        self._assumed.discard(pod.uid)
        if pod.pod.status.phase in TERMINAL_PHASES:
            self._unplace(pod.uid)
            return
        self._place(pod, pod.pod.spec.node_name)

    def remove_pod(self, uid: str) -> None:
        self._assumed.discard(uid)
        self._unplace(uid)

    def _place(self, pod: PodInfo, node_name: str) -> None:
        previous = self._pod_nodes.get(pod.uid)
        if previous is not None and previous != node_name:
            self._unplace(pod.uid)
        self._info(node_name).add_pod(pod)
        self._pod_nodes[pod.uid] = node_name

    def _unplace(self, uid: str) -> None:
        name = self._pod_nodes.pop(uid, None)
        if name is None:
            return
        info = self._infos[name]
        info.remove_pod(uid)
        if info.node is None and not info.pods:
            del self._infos[name]
