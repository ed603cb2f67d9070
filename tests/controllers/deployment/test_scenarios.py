"""Deployments in a whole local cluster on a virtual clock: create, scale, roll, undo, pause."""

from __future__ import annotations

import pytest

from tests.controllers.deployment.support import REVISION, deployment, running

pytestmark = pytest.mark.anyio


async def test_create_makes_one_replica_set_revision_1_and_the_pods() -> None:
    async with running() as r:
        await r.client.create(deployment(replicas=3))
        await r.until(lambda: r.deployments.get("web", "default") is not None and r.complete())
        [rs] = r.owned_sets()
        d = r.d()
        assert d.metadata.annotations[REVISION] == "1"
        assert rs.metadata.annotations[REVISION] == "1"
        print(r.messages("ScalingReplicaSet"), d.status)
