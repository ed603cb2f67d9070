"""The API writes of a Deployment sync, one function each, so the controller stays a thin loop.

- `scale_rs(client, rs, replicas, f, annotate=...)`: an update of the RS's `spec.replicas` with its
  `desired-replicas`/`max-replicas` annotations rewritten (DEP-35); returns the stored RS, or the
  input unchanged when there was nothing to write. A stale cache gives Conflict (the sync retries).
- `sync_new_rs(client, rs, annotations, min_ready_seconds)`: copies revision, Deployment
  annotations and `minReadySeconds` onto an existing new RS when they differ (DEP-12, DEP-26).
- `set_revision(client, deployment, revision)`: the Deployment's revision annotation (a metadata
  merge patch; the spec and generation stay).
- `adopt_rs` / `release_rs`: strategic merge patches adding or removing the Deployment's
  controller reference (DEP-6), carrying the RS's UID (as upstream's) so a same-named replacement is
  refused; an RS gone meanwhile gives None.
- `write_status(client, deployment, status)`: the whole status as a merge patch.
"""

from __future__ import annotations

from typing import Any

import msgspec

from kubelite.api.apps import Deployment, DeploymentStatus, ReplicaSet
from kubelite.api.errors import NotFound
from kubelite.client import Client, PatchType
from kubelite.controllers.deployment.fenceposts import Fenceposts
from kubelite.controllers.deployment.identity import deployment_reference
from kubelite.controllers.deployment.model import REVISION
from kubelite.controllers.deployment.revisions import with_replicas_annotations


async def scale_rs(client: Client, rs: ReplicaSet, replicas: int, f: Fenceposts) -> ReplicaSet:
    annotations = with_replicas_annotations(rs.metadata.annotations, f.replicas, f.max_total)
    if rs.spec.replicas == replicas and annotations == rs.metadata.annotations:
        return rs
    meta = msgspec.structs.replace(rs.metadata, annotations=annotations)
    spec = msgspec.structs.replace(rs.spec, replicas=replicas)
    return await client.update(msgspec.structs.replace(rs, metadata=meta, spec=spec))


async def sync_new_rs(
    client: Client, rs: ReplicaSet, annotations: dict[str, str], min_ready: int
) -> ReplicaSet:
    if annotations == rs.metadata.annotations and rs.spec.min_ready_seconds == min_ready:
        return rs
    meta = msgspec.structs.replace(rs.metadata, annotations=annotations)
    spec = msgspec.structs.replace(rs.spec, min_ready_seconds=min_ready)
    return await client.update(msgspec.structs.replace(rs, metadata=meta, spec=spec))


async def set_revision(client: Client, deployment: Deployment, revision: str) -> Deployment:
    if deployment.metadata.annotations.get(REVISION) == revision:
        return deployment
    meta = deployment.metadata
    patch = {"metadata": {"annotations": {REVISION: revision}}}
    return await client.patch(Deployment, meta.name, patch, meta.namespace)


async def adopt_rs(client: Client, deployment: Deployment, rs: ReplicaSet) -> ReplicaSet | None:
    ref: dict[str, Any] = msgspec.to_builtins(deployment_reference(deployment))
    return await _patch(client, rs, {"metadata": {"ownerReferences": [ref], "uid": rs.metadata.uid}})


async def release_rs(client: Client, deployment: Deployment, rs: ReplicaSet) -> ReplicaSet | None:
    removal = {"$patch": "delete", "uid": deployment.metadata.uid}
    return await _patch(client, rs, {"metadata": {"ownerReferences": [removal], "uid": rs.metadata.uid}})


async def _patch(client: Client, rs: ReplicaSet, patch: dict[str, Any]) -> ReplicaSet | None:
    meta = rs.metadata
    try:
        return await client.patch(
            ReplicaSet, meta.name, patch, meta.namespace, patch_type=PatchType.STRATEGIC
        )
    except NotFound:
        return None


def status_patch(status: DeploymentStatus) -> dict[str, Any]:
    body: dict[str, Any] = msgspec.to_builtins(status)
    for key in ("replicas", "updatedReplicas", "readyReplicas", "availableReplicas", "unavailableReplicas"):
        body.setdefault(key, 0)
    body.setdefault("observedGeneration", 0)
    body["conditions"] = body.get("conditions") or None
    return {"status": body}


async def write_status(client: Client, deployment: Deployment, status: DeploymentStatus) -> None:
    if status == deployment.status:
        return
    meta = deployment.metadata
    try:
        await client.patch_status(Deployment, meta.name, status_patch(status), meta.namespace)
    except NotFound:
        return
