"""Routes pod events from one shared Pod informer to the kubelet of each pod's node.

Contract: `PodDispatcher(factory)` registers one event handler (and a `node` index on
`spec.nodeName`) on the factory's Pod informer — create it before the factory starts. Kubelets
`attach(node_name, handler)`; the handler then gets `pod_changed(pod)` for every pod already
cached on that node and for every later add or update, and `pod_removed(pod)` when a pod is
deleted (tombstones included) or leaves the node. `pod_uids(node_name)` is the set of UIDs of
the cached pods bound to a node (the kubelet's periodic cleanup compares it with what it runs).
Unbound pods and pods of nodes with no attached kubelet are ignored. Routing is a dict lookup,
so a thousand kubelets cost no more per event than one.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from typing import Protocol

from kubelite.api.core import Pod
from kubelite.informers import SharedInformerFactory
from kubelite.informers.handlers import DeletedFinalStateUnknown, EventHandlers, unwrap

NODE_INDEX = "kubelet-node"
_NONE: frozenset[str] = frozenset()


class PodHandler(Protocol):
    def pod_changed(self, pod: Pod) -> None: ...

    def pod_removed(self, pod: Pod) -> None: ...


def _by_node(pod: Pod) -> list[str]:
    return [pod.spec.node_name] if pod.spec.node_name else []


class PodDispatcher:
    def __init__(self, factory: SharedInformerFactory) -> None:
        informer = factory.informer(Pod)
        informer.add_indexers({NODE_INDEX: _by_node})
        informer.add_event_handler(
            EventHandlers(on_add=self._on_add, on_update=self._on_update, on_delete=self._on_delete)
        )
        self._lister = factory.lister(Pod)
        self._nodes: dict[str, PodHandler] = {}
        self._uids: dict[str, set[str]] = {}

    def attach(self, node_name: str, handler: PodHandler) -> None:
        if node_name in self._nodes:
            raise ValueError(f"a kubelet for node {node_name!r} is already attached")
        self._nodes[node_name] = handler
        for pod in self._lister.by_index(NODE_INDEX, node_name):
            handler.pod_changed(pod)

    def pod_uids(self, node_name: str) -> AbstractSet[str]:
        """The UIDs of the pods bound to `node_name` in the informer cache: a live, read-only view
        kept from the same events the kubelets get (no object is decoded to answer)."""
        return self._uids.get(node_name, _NONE)

    def detach(self, node_name: str) -> None:
        self._nodes.pop(node_name, None)

    def _on_add(self, pod: Pod, initial: bool) -> None:
        if pod.spec.node_name:
            self._uids.setdefault(pod.spec.node_name, set()).add(pod.metadata.uid)
        handler = self._nodes.get(pod.spec.node_name) if pod.spec.node_name else None
        if handler is not None:
            handler.pod_changed(pod)

    def _on_update(self, old: Pod, new: Pod) -> None:
        if old.spec.node_name and old.spec.node_name != new.spec.node_name:
            self._forget(old)
            previous = self._nodes.get(old.spec.node_name)
            if previous is not None:
                previous.pod_removed(old)
        self._on_add(new, False)

    def _on_delete(self, obj: Pod | DeletedFinalStateUnknown[Pod]) -> None:
        pod = unwrap(obj)
        self._forget(pod)
        handler = self._nodes.get(pod.spec.node_name) if pod.spec.node_name else None
        if handler is not None:
            handler.pod_removed(pod)

    def _forget(self, pod: Pod) -> None:
        uids = self._uids.get(pod.spec.node_name)
        if uids is not None:
            uids.discard(pod.metadata.uid)
            if not uids:
                del self._uids[pod.spec.node_name]
