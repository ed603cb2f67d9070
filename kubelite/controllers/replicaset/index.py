"""The pods-by-controller index on the shared Pod informer, so a sync reads only the pods it may claim.

`ensure_pods_by_controller(factory)` adds `PODS_BY_CONTROLLER` (pod → its controllerRef's UID, or
`orphan_key(namespace)` for a pod without one) unless another controller of the factory already
did. `claimable(indexer, owner_uid, namespace)` gives the owner's pods and the namespace's orphans
(RS-2: pods of other controllers are never looked at).
"""

from __future__ import annotations

import contextlib

from kubelite.api.core import Pod
from kubelite.controllers.runtime.claims import controller_of
from kubelite.informers import Lister, SharedInformerFactory

PODS_BY_CONTROLLER = "replicaset/controller-uid"


def orphan_key(namespace: str) -> str:
    return f"orphan/{namespace}"


def _controller_uid(pod: Pod) -> list[str]:
    ref = controller_of(pod)
    return [ref.uid] if ref is not None else [orphan_key(pod.metadata.namespace)]


def ensure_pods_by_controller(factory: SharedInformerFactory) -> None:
    with contextlib.suppress(ValueError):  # already added by another controller of this factory
        factory.informer(Pod).add_indexers({PODS_BY_CONTROLLER: _controller_uid})


def claimable(pods: Lister[Pod], owner_uid: str, namespace: str) -> list[Pod]:
    owned = [
        pod for pod in pods.by_index(PODS_BY_CONTROLLER, owner_uid) if pod.metadata.namespace == namespace
    ]
    return owned + pods.by_index(PODS_BY_CONTROLLER, orphan_key(namespace))


def controlled_by(pods: Lister[Pod], owner_uids: set[str]) -> list[Pod]:
    return [pod for uid in sorted(owner_uids) for pod in pods.by_index(PODS_BY_CONTROLLER, uid)]
