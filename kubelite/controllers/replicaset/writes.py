"""The writes a ReplicaSet sync makes, one function each, so the controller stays a thin loop.

- `new_pod(owner, template)`: the pod to create (RS-4): `generateName <owner>-`, the template's
  labels, annotations, finalizers and spec, and the C-3 controller reference to `owner`.
- `adopt(client, owner, pod)` / `release(client, owner, pod)`: strategic merge patches adding or
  removing the owner's reference (RS-2); a pod gone meanwhile (NotFound) gives None. Each patch
  carries the pod's UID, as upstream's do, so a same-named replacement is refused (422, the UID is
  immutable) rather than adopted or released by mistake. Adding a second controller reference is
  refused by the API (GC-1), so two owners cannot both adopt one pod.
- `check_can_adopt(client, owner)`: the live re-read of RS-2; `AdoptionRefused` if the owner's UID
  changed or it is being deleted.
"""

from __future__ import annotations

from typing import Any

import msgspec

from kubelite.api.core import Pod, PodTemplateSpec
from kubelite.api.errors import NotFound
from kubelite.api.meta import Object, ObjectMeta
from kubelite.client import Client, PatchType
from kubelite.controllers.replicaset.kinds import owner_reference


class AdoptionRefused(Exception):
    """The owner changed under the sync (new UID, or being deleted): adopt nothing this time."""


def new_pod(owner: Object, template: PodTemplateSpec) -> Pod:
    meta = ObjectMeta(
        generate_name=f"{owner.metadata.name}-",
        namespace=owner.metadata.namespace,
        labels=dict(template.metadata.labels),
        annotations=dict(template.metadata.annotations),
        finalizers=list(template.metadata.finalizers),
        owner_references=[owner_reference(owner)],
    )
    return Pod(metadata=meta, spec=template.spec)


async def check_can_adopt(client: Client, owner: Object) -> None:
    meta = owner.metadata
    kind = type(owner).__name__
    live = await client.get(type(owner), meta.name, meta.namespace)
    if live.metadata.uid != meta.uid:
        raise AdoptionRefused(
            f"original {kind} {meta.namespace}/{meta.name} is gone: "
            f"got uid {live.metadata.uid}, wanted {meta.uid}"
        )
    if live.metadata.deletion_timestamp is not None:
        raise AdoptionRefused(
            f"{kind} {meta.namespace}/{meta.name} has just been deleted at {live.metadata.deletion_timestamp}"
        )


async def adopt(client: Client, owner: Object, pod: Pod) -> Pod | None:
    ref: dict[str, Any] = msgspec.to_builtins(owner_reference(owner))
    return await _patch(client, pod, {"metadata": {"ownerReferences": [ref], "uid": pod.metadata.uid}})


async def release(client: Client, owner: Object, pod: Pod) -> Pod | None:
    removal = {"$patch": "delete", "uid": owner.metadata.uid}
    return await _patch(client, pod, {"metadata": {"ownerReferences": [removal], "uid": pod.metadata.uid}})


async def _patch(client: Client, pod: Pod, patch: dict[str, Any]) -> Pod | None:
    try:
        return await client.patch(
            Pod, pod.metadata.name, patch, pod.metadata.namespace, patch_type=PatchType.STRATEGIC
        )
    except NotFound:
        return None
