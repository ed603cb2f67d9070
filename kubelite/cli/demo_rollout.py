"""The Deployment part of the demo: create, scale, a rolling update and an undo, as kubectl does
them (`kubectl scale`, `kubectl set image`, `kubectl rollout undo --to-revision=1`), each waited for
and shown from the live objects: the Deployment's revision and counts, its ReplicaSets with their
revisions and sizes, and the controller's `ScalingReplicaSet` events.

`clear_previous(client)` removes an earlier run's Deployments with their ReplicaSets and pods.
"""

from __future__ import annotations

import contextlib
from typing import Any

import anyio
import msgspec

from kubelite.api.apps import Deployment, ReplicaSet
from kubelite.api.autoscaling import Scale, ScaleSpec
from kubelite.api.core import Event, Pod
from kubelite.api.errors import NotFound
from kubelite.api.meta import DeleteOptions, ObjectMeta
from kubelite.client import InProcessClient, PatchType

REVISION = "deployment.kubernetes.io/revision"
ROLLOUT_TIMEOUT = 60.0


async def clear_previous(client: InProcessClient) -> None:
    existing = await client.list(Deployment, "default")
    if not existing.items:
        return
    print(f"found {len(existing.items)} deployment(s) from an earlier run; deleting them")
    now = DeleteOptions(grace_period_seconds=0)
    for kind, options in ((Deployment, None), (ReplicaSet, None), (Pod, now)):
        for obj in (await client.list(kind, "default")).items:
            with contextlib.suppress(NotFound):
                await client.delete(kind, obj.metadata.name, "default", options=options)


async def rollout(client: InProcessClient) -> None:
    await _rolled_out(client, "1", "created: the Deployment made its first ReplicaSet and pods")
    scale = Scale(metadata=ObjectMeta(name="web", namespace="default"), spec=ScaleSpec(replicas=3))
    await client.update_scale(Deployment, scale)
    await _rolled_out(client, "1", "kubectl scale --replicas=3: the same ReplicaSet grows")
    image = {"spec": {"template": {"spec": {"containers": [{"name": "web", "image": "busybox:1.37"}]}}}}
    await client.patch(Deployment, "web", image, "default", patch_type=PatchType.STRATEGIC)
    await _rolled_out(client, "2", "kubectl set image web=busybox:1.37: a rolling update to revision 2")
    await client.patch(
        Deployment, "web", await _undo_patch(client, "1"), "default", patch_type=PatchType.JSON
    )
    await _rolled_out(
        client, "3", "kubectl rollout undo --to-revision=1: revision 1's ReplicaSet is back as 3"
    )
    await _show_events(client, (await client.get(Deployment, "web", "default")).metadata.uid)


async def _undo_patch(client: InProcessClient, revision: str) -> list[dict[str, Any]]:
    """What `kubectl rollout undo` sends: the RS's template minus pod-template-hash, and annotations."""
    deployment = await client.get(Deployment, "web", "default")
    sets = (await client.list(ReplicaSet, "default")).items
    rs = next(rs for rs in sets if rs.metadata.annotations.get(REVISION) == revision)
    template: dict[str, Any] = msgspec.to_builtins(rs.spec.template)
    template["metadata"]["labels"].pop("pod-template-hash", None)
    return [
        {"op": "replace", "path": "/spec/template", "value": template},
        {"op": "replace", "path": "/metadata/annotations", "value": dict(deployment.metadata.annotations)},
    ]


def _done(d: Deployment, revision: str) -> bool:
    s, replicas = d.status, d.spec.replicas
    return (
        d.metadata.annotations.get(REVISION) == revision
        and s.observed_generation >= d.metadata.generation
        and s.updated_replicas == s.replicas == s.available_replicas == replicas
    )


async def _rolled_out(client: InProcessClient, revision: str, title: str) -> None:
    with anyio.fail_after(ROLLOUT_TIMEOUT):
        async with client.watch(Deployment, "default", field_selector="metadata.name=web") as events:
            d = await client.get(Deployment, "web", "default")
            if not _done(d, revision):
                async for event in events:
                    if isinstance(event.object, Deployment) and _done(d := event.object, revision):
                        break
    await _show(client, d, title)


async def _show(client: InProcessClient, d: Deployment, title: str) -> None:
    s = d.status
    print(f"--- {title}")
    print(
        f"    deployment/web revision {d.metadata.annotations.get(REVISION)}: "
        f"{s.replicas} replicas, {s.updated_replicas} updated, {s.available_replicas} available"
    )
    sets = [
        rs for rs in (await client.list(ReplicaSet, "default")).items if rs.metadata.name.startswith("web-")
    ]
    for rs in sorted(sets, key=lambda rs: int(rs.metadata.annotations.get(REVISION, "0"))):
        image = rs.spec.template.spec.containers[0].image
        print(
            f"    replicaset/{rs.metadata.name} revision {rs.metadata.annotations.get(REVISION)}: "
            f"{rs.spec.replicas} replicas, image {image}"
        )


async def _show_events(client: InProcessClient, uid: str) -> None:
    events = [
        e
        for e in (await client.list(Event, "default")).items
        if e.reason == "ScalingReplicaSet" and e.involved_object.uid == uid
    ]
    print("--- events of deployment/web (reason ScalingReplicaSet)")
    for event in sorted(events, key=lambda e: int(e.metadata.resource_version or 0)):
        print(f"    {event.message}")
