"""Claiming pods for a ReplicaSet or ReplicationController (RS-2), as a pure plan.

`plan_claims(owner_uid, selector, pods, owner_deleting=...)` sorts the active pods of the owner's
namespace into three lists (upstream's `ControllerRefManager.ClaimPods`):

- `owned`: the controllerRef has the owner's UID and the labels match: kept;
- `release`: the controllerRef has the owner's UID but the labels no longer match: the
  ownerReference must be patched away (never while the owner is being deleted);
- `adopt`: no controllerRef, the labels match, no `deletionTimestamp`, the owner not being
  deleted: the pod gets the owner's C-3 reference.

A pod whose controllerRef has another UID is ignored. The caller re-reads the owner live before the
first adoption (RS-2) and performs the patches; see `controller`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from kubelite.api.core import Pod
from kubelite.api.labels import Selector
from kubelite.controllers.replicaset.pods import controller_of


@dataclass(slots=True)
class Claims:
    owned: list[Pod] = field(default_factory=list)
    adopt: list[Pod] = field(default_factory=list)
    release: list[Pod] = field(default_factory=list)


def plan_claims(owner_uid: str, selector: Selector, pods: Iterable[Pod], *, owner_deleting: bool) -> Claims:
    claims = Claims()
    for pod in pods:
        ref = controller_of(pod)
        matches = selector.matches(pod.metadata.labels)
        if ref is not None:
            if ref.uid != owner_uid:
                continue
            if matches:
                claims.owned.append(pod)
            elif not owner_deleting:
                claims.release.append(pod)
        elif matches and not owner_deleting and pod.metadata.deletion_timestamp is None:
            claims.adopt.append(pod)
    return claims
