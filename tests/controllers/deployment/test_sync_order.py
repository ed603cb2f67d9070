"""The sync order (DEP-11) in a local cluster on a virtual clock: a halted rollout (DEP-19) scaled
mid-rollout is a scale-only sync with proportional shares (DEP-24); a Deployment being deleted only
gets its status."""

from __future__ import annotations

import pytest

from kubelite.api.apps import Deployment
from kubelite.client import PatchType
from tests.controllers.deployment.support import REVISION, deployment, running

pytestmark = pytest.mark.anyio
BROKEN = {
    "spec": {"template": {"spec": {"containers": [{"name": "web", "command": ["sh", "-c", "exit 1"]}]}}}
}


async def test_dep11e_dep19_dep24_a_halted_rollout_scaled_from_10_to_15_grows_both_sets_proportionally() -> (
    None
):
    """DEP-19 in a cluster: replicas 10, maxSurge 3, maxUnavailable 2, new pods never available: the
    rollout halts at old 8, new 5. DEP-11(e): scaling to 15 is then a scale-only sync; DEP-24: toAdd =
    18 − 13 = 5, old round(8·18/13) = 11, new round(5·18/13) = 7; both get desired-replicas 15 and
    max-replicas 18 (DEP-23)."""
    async with running(nodes=3) as r:
        await r.client.create(deployment(replicas=10, surge=3, unavailable=2))
        await r.until(lambda: r.complete())
        await r.patch(BROKEN)
        await r.until(lambda: r.sizes() == {"1": 8, "2": 5})
        r.clock.advance(60)
        await r.until(lambda: r.d().status.observed_generation == r.d().metadata.generation)
        assert r.sizes() == {"1": 8, "2": 5}  # halted: 13 − 8 − 5 = 0
        await r.scale(15)
        await r.until(lambda: r.sizes() == {"1": 11, "2": 7})
        for rs in r.owned_sets():
            assert rs.metadata.annotations["deployment.kubernetes.io/desired-replicas"] == "15"
            assert rs.metadata.annotations["deployment.kubernetes.io/max-replicas"] == "18"
        [old, new] = r.owned_sets()
        messages = await r.scaling_events(6)
        assert f"Scaled up replica set {old.metadata.name} from 8 to 11" in messages
        assert f"Scaled up replica set {new.metadata.name} from 5 to 7" in messages


async def test_dep11b_a_deployment_being_deleted_gets_status_only() -> None:
    """DEP-11(b): with a deletionTimestamp set (held by a finalizer), a template change creates no RS
    and scaling changes no RS, while the status is still written."""
    async with running() as r:
        d = deployment(replicas=2)
        d.metadata.finalizers = ["example.com/hold"]
        await r.client.create(d)
        await r.until(lambda: r.complete())
        await r.client.delete(Deployment, "web", "default")
        await r.set_image("busybox:1.37")
        await r.scale(4)
        await r.until(lambda: r.d().status.observed_generation == r.d().metadata.generation)
        r.clock.advance(30)
        await r.until(lambda: r.d().status.observed_generation == r.d().metadata.generation)
        assert r.d().metadata.deletion_timestamp is not None
        assert r.sizes() == {"1": 2}
        assert r.d().metadata.annotations[REVISION] == "1"
        await r.patch({"metadata": {"finalizers": None}}, PatchType.MERGE)
        await r.until(lambda: r.deployments.get("web", "default") is None)


async def test_c2_a_settled_deployment_writes_nothing_more() -> None:
    """C-2: once a rollout is complete, further syncs (resyncs, RS status updates, clock passing the
    progress deadline) change no resourceVersion of the Deployment or its ReplicaSets."""
    async with running() as r:
        await r.client.create(deployment(replicas=2, deadline=30))
        await r.set_image("busybox:1.37")
        await r.until(lambda: r.complete() and r.d().metadata.annotations.get(REVISION) == "2")
        r.clock.advance(5)
        await r.until(lambda: r.complete())
        before = [r.d().metadata.resource_version, *(rs.metadata.resource_version for rs in r.owned_sets())]
        for _ in range(3):
            r.clock.advance(60)
            await r.until(lambda: r.complete())
        after = [r.d().metadata.resource_version, *(rs.metadata.resource_version for rs in r.owned_sets())]
        assert after == before
