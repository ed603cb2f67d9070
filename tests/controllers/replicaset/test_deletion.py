"""Deleting the owner with no propagation policy, with the garbage collector running: a
ReplicationController (core/v1) orphans its pods (RS-11, GC-6), a ReplicaSet (apps/v1) takes them
with it (Background)."""

from __future__ import annotations

import pytest

from kubelite.api.apps import ReplicaSet
from kubelite.api.core import ReplicationController, ReplicationControllerSpec
from kubelite.api.meta import ObjectMeta
from kubelite.controllers.replicaset.pods import is_active
from tests.controllers.replicaset.support import replica_set, running, template

pytestmark = pytest.mark.anyio


async def test_rs11_deleting_a_replication_controller_orphans_its_pods() -> None:
    async with running() as r:
        rc = ReplicationController(
            metadata=ObjectMeta(name="legacy", namespace="default"),
            spec=ReplicationControllerSpec(replicas=2, template=template({"app": "legacy"})),
        )
        created = await r.cluster.client.create(rc)
        await r.until(lambda: len(r.owned(created.metadata.uid)) == 2)
        names = sorted(p.metadata.name for p in r.owned(created.metadata.uid))
        await r.cluster.client.delete(ReplicationController, "legacy", "default")
        await r.until(lambda: r.rcs.get("legacy", "default") is None)

        def orphaned() -> bool:
            pods = [r.pods.get(name, "default") for name in names]
            return all(p is not None and not p.metadata.owner_references for p in pods)

        await r.until(orphaned)
        pods = [r.pods.get(name, "default") for name in names]
        assert all(p is not None and is_active(p) and p.metadata.labels == {"app": "legacy"} for p in pods)


async def test_rs11_deleting_a_replica_set_deletes_its_pods_in_the_background() -> None:
    async with running() as r:
        created = await r.cluster.client.create(replica_set(replicas=2))
        await r.until(lambda: len(r.owned(created.metadata.uid)) == 2)
        await r.cluster.client.delete(ReplicaSet, "web", "default")
        await r.until(lambda: r.sets.get("web", "default") is None and not r.pods.list("default"), seconds=30)
