"""Which objects a controller claims, as upstream's `ControllerRefManager` decides it (RS-2, DEP-6).

Pure. `plan_claims(owner_uid, selector, candidates, owner_deleting=...)` sorts the candidates (the
pods of a ReplicaSet's namespace, the ReplicaSets of a Deployment's) into three lists:

- `owned`: the controllerRef has the owner's UID and the labels match: kept;
- `release`: the controllerRef has the owner's UID but the labels no longer match: the
  ownerReference must be patched away (never while the owner is being deleted);
- `adopt`: no controllerRef, the labels match, no `deletionTimestamp`, the owner not being
  deleted: the object gets the owner's C-3 reference.

An object whose controllerRef has another UID is ignored. The caller re-reads the owner live before
the first adoption and performs the patches. `controller_of(obj)` is the ownerReference with
`controller: true`, if any.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from kubelite.api.labels import Selector
from kubelite.api.meta import Object, OwnerReference

T = TypeVar("T", bound=Object)


def controller_of(obj: Object) -> OwnerReference | None:
    return next((ref for ref in obj.metadata.owner_references if ref.controller), None)


@dataclass(slots=True)
class Claims(Generic[T]):
    owned: list[T] = field(default_factory=list)
    adopt: list[T] = field(default_factory=list)
    release: list[T] = field(default_factory=list)


def plan_claims(
    owner_uid: str, selector: Selector, candidates: Iterable[T], *, owner_deleting: bool
) -> Claims[T]:
    claims: Claims[T] = Claims()
    for obj in candidates:
        ref = controller_of(obj)
        matches = selector.matches(obj.metadata.labels)
        if ref is not None:
            if ref.uid != owner_uid:
                continue
            if matches:
                claims.owned.append(obj)
            elif not owner_deleting:
                claims.release.append(obj)
        elif matches and not owner_deleting and obj.metadata.deletion_timestamp is None:
            claims.adopt.append(obj)
    return claims
