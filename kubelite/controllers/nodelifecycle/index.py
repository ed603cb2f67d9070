"""The pods-by-node index on the shared Pod informer, used by taint eviction, NODE-7 and pod GC.

`ensure_pods_by_node(factory)` adds the index `PODS_BY_NODE` (pod → its `spec.nodeName`, none when
unbound) unless it is already there, so several controllers sharing one factory can ask for it.
"""

from __future__ import annotations

import contextlib

from kubelite.api.core import Pod
from kubelite.informers import SharedInformerFactory

PODS_BY_NODE = "nodelifecycle/spec.nodeName"


def _node_name(pod: Pod) -> list[str]:
    return [pod.spec.node_name] if pod.spec.node_name else []


def ensure_pods_by_node(factory: SharedInformerFactory) -> None:
    with contextlib.suppress(ValueError):  # already added by another controller of this factory
        factory.informer(Pod).add_indexers({PODS_BY_NODE: _node_name})
