"""The progress deadline and minReadySeconds in a local cluster on a virtual clock (DEP-12,
DEP-30, DEP-32)."""

from __future__ import annotations

import pytest

from kubelite.client import PatchType
from tests.controllers.deployment.support import REVISION, Running, deployment, running

pytestmark = pytest.mark.anyio


def _progressing(r: Running) -> tuple[str, str, str] | None:
    d = r.deployments.get("web", "default")
    for c in d.status.conditions if d else []:
        if c.type == "Progressing":
            return (c.status, c.reason, c.message)
    return None


async def test_dep32_progress_deadline_exceeded_then_recovered_by_a_fixed_template() -> None:
    """DEP-32: new pods that never become ready: after progressDeadlineSeconds without progress,
    Progressing is False ProgressDeadlineExceeded 'ReplicaSet "X" has timed out progressing.'; nothing
    is rolled back (the old RS keeps serving, the new RS stays); a fixed template then completes and
    Progressing is True NewReplicaSetAvailable again."""
    async with running() as r:
        await r.client.create(deployment(replicas=2, deadline=30))
        await r.until(lambda: r.complete() and r.d().metadata.annotations.get(REVISION) == "1")
        broken = {
            "spec": {
                "template": {"spec": {"containers": [{"name": "web", "command": ["sh", "-c", "exit 1"]}]}}
            }
        }
        await r.patch(broken)
        await r.until(lambda: len(r.owned_sets()) == 2)
        started = r.clock.now()
        await r.until(lambda: (_progressing(r) or ("",))[0] == "False")
        new = r.owned_sets()[1]
        assert _progressing(r) == (
            "False",
            "ProgressDeadlineExceeded",
            f'ReplicaSet "{new.metadata.name}" has timed out progressing.',
        )
        assert r.clock.now() - started >= 30
        assert r.sizes() == {"1": 2, "2": 1}
        assert r.d().status.available_replicas == 2
        fixed = {
            "spec": {"template": {"spec": {"containers": [{"name": "web", "command": ["sleep", "7200"]}]}}}
        }
        await r.patch(fixed)
        await r.until(lambda: r.complete() and r.d().metadata.annotations.get(REVISION) == "3")
        third = r.owned_sets()[2]
        assert _progressing(r) == (
            "True",
            "NewReplicaSetAvailable",
            f'ReplicaSet "{third.metadata.name}" has successfully progressed.',
        )
        assert r.sizes() == {"1": 0, "2": 0, "3": 2}


async def test_dep12_min_ready_seconds_is_copied_and_honoured_before_pods_count_as_available() -> None:
    """minReadySeconds: copied onto the new RS (DEP-9; DEP-12: a change of it, or of annotations, is
    copied onto the current RS and creates none);
    pods count as available only minReadySeconds after they became ready, so the Deployment's
    availableReplicas and Available condition wait for it (DEP-30)."""
    async with running() as r:
        await r.client.create(deployment(replicas=2, min_ready=10))
        seen: dict[str, float] = {}

        def done() -> bool:
            d = r.deployments.get("web", "default")
            if d is None:
                return False
            if d.status.ready_replicas == 2:
                seen.setdefault("ready", r.clock.now())
                if d.status.available_replicas < 2:
                    available = [c for c in d.status.conditions if c.type == "Available"]
                    seen["unavailable-while-ready"] = float(
                        bool(available) and available[0].status == "False"
                    )
            if d.status.available_replicas == 2:
                seen.setdefault("available", r.clock.now())
            return "available" in seen and r.complete()

        await r.until(done)
        assert seen["available"] - seen["ready"] >= 10
        assert seen["unavailable-while-ready"] == 1.0
        [rs] = r.owned_sets()
        assert rs.spec.min_ready_seconds == 10
        cause = {"kubernetes.io/change-cause": "faster"}
        await r.patch({"spec": {"minReadySeconds": 3}, "metadata": {"annotations": cause}}, PatchType.MERGE)
        await r.until(lambda: r.owned_sets()[0].spec.min_ready_seconds == 3)
        [same] = r.owned_sets()
        assert same.metadata.name == rs.metadata.name
        assert same.metadata.annotations["kubernetes.io/change-cause"] == "faster"
        assert same.metadata.annotations[REVISION] == "1"
