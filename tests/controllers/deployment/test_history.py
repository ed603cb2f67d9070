"""Deployment history in a local cluster on a virtual clock: undo as kubectl does it, restart,
pause/resume, history cleanup, change-cause (DEP-25..28, DEP-33)."""

from __future__ import annotations

import pytest

from kubelite.client import PatchType
from tests.controllers.deployment.support import REVISION, Running, deployment, running

pytestmark = pytest.mark.anyio
CAUSE = "kubernetes.io/change-cause"
HISTORY = "deployment.kubernetes.io/revision-history"


def _at(r: Running, revision: str) -> bool:
    d = r.deployments.get("web", "default")
    return d is not None and d.metadata.annotations.get(REVISION) == revision and r.complete()


async def test_dep27_undo_reuses_the_old_replica_set_as_revision_3_and_history_reads_2_3() -> None:
    """DEP-27 (kubectl rollout undo --to-revision=1: a JSON patch writing the RS template minus the
    hash and the annotations): the revision-1 RS becomes the new RS with revision 3 and
    revision-history "1"; the Deployment is at "3"; the revisions are {2, 3}; no RS is created.
    The change-cause annotation is copied to the RS (issue 10)."""
    async with running() as r:
        await r.client.create(deployment(replicas=2))
        await r.until(lambda: _at(r, "1"))
        [first] = r.owned_sets()
        await r.patch({"metadata": {"annotations": {CAUSE: "image 1.37"}}}, PatchType.MERGE)
        await r.set_image("busybox:1.37")
        await r.until(lambda: _at(r, "2"))
        second = r.owned_sets()[1]
        assert second.metadata.annotations[CAUSE] == "image 1.37"
        await r.undo(1)
        await r.until(lambda: _at(r, "3"))
        sets = {rs.metadata.name: rs for rs in r.owned_sets()}
        assert set(sets) == {first.metadata.name, second.metadata.name}
        reused = sets[first.metadata.name]
        assert reused.metadata.annotations[REVISION] == "3"
        assert reused.metadata.annotations[HISTORY] == "1"
        assert sorted(r.sizes()) == ["2", "3"]
        assert r.sizes() == {"2": 0, "3": 2}
        assert {p.spec.containers[0].image for p in r.live_pods()} == {"busybox:1.36"}
        assert all(
            p.metadata.labels["pod-template-hash"] == first.metadata.labels["pod-template-hash"]
            for p in r.live_pods()
        )


async def test_dep27_undo_to_the_current_template_changes_nothing() -> None:
    async with running() as r:
        await r.client.create(deployment(replicas=1))
        await r.until(lambda: _at(r, "1"))
        before = r.d()
        await r.undo(1)
        r.clock.advance(5)
        await r.until(lambda: _at(r, "1"))
        assert len(r.owned_sets()) == 1 and r.d().metadata.generation == before.metadata.generation


async def test_restart_annotation_rolls_out_a_new_revision() -> None:
    """`kubectl rollout restart`: the template annotation kubectl.kubernetes.io/restartedAt is a
    template change (DEP-12), so a new RS (revision 2) replaces every pod."""
    async with running() as r:
        await r.client.create(deployment(replicas=2))
        await r.until(lambda: _at(r, "1"))
        old_pods = {p.metadata.name for p in r.live_pods()}
        stamp = "2026-01-01T00:00:00Z"
        await r.patch(
            {
                "spec": {
                    "template": {"metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": stamp}}}
                }
            }
        )
        await r.until(lambda: _at(r, "2"))
        assert r.sizes() == {"1": 0, "2": 2}
        assert not old_pods & {p.metadata.name for p in r.live_pods()}
        assert all(
            p.metadata.annotations["kubectl.kubernetes.io/restartedAt"] == stamp for p in r.live_pods()
        )


def _progressing(r: Running) -> tuple[str, str] | None:
    for c in r.d().status.conditions:
        if c.type == "Progressing":
            return (c.status, c.reason)
    return None


async def test_dep25_dep33_paused_deployments_scale_but_do_not_roll_out_until_resumed() -> None:
    """DEP-11(c)(d), DEP-25: while paused a template change makes no RS, scaling still works; DEP-33: Progressing is
    Unknown DeploymentPaused, then Unknown DeploymentResumed on resume, after which the rollout runs."""
    async with running() as r:
        await r.client.create(deployment(replicas=2))
        await r.until(lambda: _at(r, "1"))
        await r.patch({"spec": {"paused": True}}, PatchType.MERGE)
        await r.until(lambda: _progressing(r) == ("Unknown", "DeploymentPaused"))
        await r.set_image("busybox:1.37")
        await r.scale(3)
        await r.until(lambda: r.d().status.available_replicas == 3 and len(r.live_pods()) == 3)
        r.clock.advance(30)
        await r.until(lambda: r.d().status.observed_generation == r.d().metadata.generation)
        assert len(r.owned_sets()) == 1 and r.sizes() == {"1": 3}
        assert (r.d().status.replicas, r.d().status.updated_replicas) == (
            3,
            0,
        )  # the template is not rolled out
        [c] = [c for c in r.d().status.conditions if c.type == "Progressing"]
        assert c.message == "Deployment is paused"
        await r.patch({"spec": {"paused": None}}, PatchType.MERGE)
        await r.until(lambda: _at(r, "2"))
        assert r.sizes() == {"1": 0, "2": 3}
        assert _progressing(r) == ("True", "NewReplicaSetAvailable")


async def test_dep25_dep33_a_deployment_created_paused_makes_no_rs_until_resumed() -> None:
    """DEP-25, DEP-33: created with paused=true, upstream's sync makes no ReplicaSet (and so no revision)
    but writes status: observedGeneration and Progressing Unknown DeploymentPaused. On resume it rolls
    out revision 1."""
    async with running() as r:
        paused = deployment(replicas=2)
        paused.spec.paused = True
        await r.client.create(paused)
        await r.until(lambda: _progressing(r) == ("Unknown", "DeploymentPaused"))
        assert r.d().status.observed_generation == 1
        assert r.owned_sets() == [] and r.live_pods() == []
        assert REVISION not in r.d().metadata.annotations
        await r.patch({"spec": {"paused": None}}, PatchType.MERGE)
        await r.until(lambda: _at(r, "1"))
        assert r.sizes() == {"1": 2}


async def test_dep28_history_cleanup_keeps_revision_history_limit_old_replica_sets() -> None:
    """DEP-28: once the rollout is complete, scaled-down old RSs beyond revisionHistoryLimit go, lowest
    revision first."""
    async with running() as r:
        await r.client.create(deployment(replicas=1, history=1))
        await r.until(lambda: _at(r, "1"))
        for n, image in enumerate(["busybox:1.37", "busybox:1.38", "busybox:1.39"], start=2):
            r.clock.advance(1)
            await r.set_image(image)
            await r.until(lambda n=n: _at(r, str(n)))  # type: ignore[misc]
        r.clock.advance(1)
        await r.until(lambda: sorted(r.sizes()) == ["3", "4"])
        assert r.sizes() == {"3": 0, "4": 1}


async def test_dep25_dep28_history_cleanup_also_runs_while_paused() -> None:
    """DEP-25/DEP-28: a paused Deployment still cleans history: lowering revisionHistoryLimit to 0
    while paused deletes the scaled-down old RS; the live one stays."""
    async with running() as r:
        await r.client.create(deployment(replicas=1))
        await r.until(lambda: _at(r, "1"))
        await r.set_image("busybox:1.37")
        await r.until(lambda: _at(r, "2"))
        r.clock.advance(1)
        await r.until(lambda: r.sizes() == {"1": 0, "2": 1})
        await r.patch({"spec": {"paused": True}}, PatchType.MERGE)
        await r.until(lambda: _progressing(r) == ("Unknown", "DeploymentPaused"))
        await r.patch({"spec": {"revisionHistoryLimit": 0}}, PatchType.MERGE)
        await r.until(lambda: r.sizes() == {"2": 1})
        assert r.d().spec.paused is True
