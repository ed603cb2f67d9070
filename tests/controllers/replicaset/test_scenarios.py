"""ReplicaSets in a whole local cluster on a virtual clock: create, scale up and down, events."""

from __future__ import annotations

import msgspec
import pytest

from kubelite.api.apps import ReplicaSet
from tests.controllers.replicaset.support import replica_set, running

pytestmark = pytest.mark.anyio


async def _scale(client: object, rs: ReplicaSet, replicas: int) -> None:
    spec = msgspec.structs.replace(rs.spec, replicas=replicas)
    await client.update(msgspec.structs.replace(rs, spec=spec))  # type: ignore[attr-defined]


async def test_rs4_rs8_rs10_create_runs_the_pods_and_reports_status_and_events() -> None:
    async with running() as r:
        created = await r.cluster.client.create(replica_set(replicas=3))
        uid = created.metadata.uid

        def settled() -> bool:
            rs = r.sets.get("web", "default")
            return (
                rs is not None
                and rs.status.available_replicas == 3
                and len(r.messages("SuccessfulCreate")) == 3
            )

        await r.until(settled)
        pods = r.owned(uid)
        assert len(pods) == 3
        for pod in pods:
            assert pod.metadata.generate_name == "web-"
            assert pod.metadata.name.startswith("web-")
            assert pod.metadata.labels == {"app": "web"}
            ref = pod.metadata.owner_references[0]
            assert (ref.api_version, ref.kind, ref.name, ref.uid) == ("apps/v1", "ReplicaSet", "web", uid)
            assert ref.controller is True and ref.block_owner_deletion is True
            assert pod.status.phase == "Running"
        status = r.rs().status
        assert (status.replicas, status.fully_labeled_replicas, status.ready_replicas) == (3, 3, 3)
        assert (status.available_replicas, status.observed_generation, status.conditions) == (3, 1, [])
        assert r.messages("SuccessfulCreate") == sorted(f"Created pod: {p.metadata.name}" for p in pods)


async def test_rs4_rs5_scale_up_then_down_keeps_exactly_replicas_pods() -> None:
    async with running() as r:
        created = await r.cluster.client.create(replica_set(replicas=2))
        uid = created.metadata.uid
        await r.until(lambda: r.rs().status.ready_replicas == 2 if r.sets.get("web", "default") else False)
        await _scale(r.cluster.client, r.rs(), 5)
        await r.until(lambda: r.rs().status.ready_replicas == 5 and r.rs().status.observed_generation == 2)
        assert len(r.owned(uid)) == 5
        await _scale(r.cluster.client, r.rs(), 1)
        await r.until(lambda: len(r.owned(uid)) == 1 and r.rs().status.replicas == 1)
        await r.until(lambda: len(r.messages("SuccessfulDelete")) == 4)
        remaining = r.owned(uid)[0].metadata.name
        deleted = r.messages("SuccessfulDelete")
        assert all(m.startswith("Deleted pod: web-") for m in deleted)
        assert f"Deleted pod: {remaining}" not in deleted
        status = r.rs().status
        assert (status.replicas, status.ready_replicas, status.available_replicas) == (1, 1, 1)
        assert status.observed_generation == 3
