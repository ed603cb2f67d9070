"""Stale DisruptionTarget conditions: a pod marked for a disruption that did not happen gets the
condition reset to False two minutes later (upstream's disruption controller, with NODE-15's
failed-delete case in mind)."""

from __future__ import annotations

from typing import Any

import pytest

from kubelite.api.core import Pod, PodCondition
from kubelite.api.meta import ObjectMeta
from kubelite.client import PatchType
from kubelite.clock import rfc3339
from kubelite.controllers.disruption.stale import STALE_TIMEOUT, reset, stale_after

from ..replicaset.support import bare_pod
from .support import running

pytestmark = pytest.mark.anyio
NOW = 1_800_000_000.0


def marked(
    age: float,
    *,
    status: str = "True",
    reason: str = "EvictionByEvictionAPI",
    phase: str = "Running",
    deleting: bool = False,
) -> Pod:
    pod = Pod(metadata=ObjectMeta(name="a", namespace="default"))
    pod.status.phase = phase
    pod.status.conditions = [
        PodCondition(type="Ready", status="True"),
        PodCondition(
            type="DisruptionTarget", status=status, reason=reason, last_transition_time=rfc3339(NOW - age)
        ),
    ]
    if deleting:
        pod.metadata.deletion_timestamp = rfc3339(NOW)
    return pod


@pytest.mark.parametrize(
    ("pod", "left"),
    [
        (marked(0), STALE_TIMEOUT),
        (marked(100), 20.0),
        (marked(120), 0.0),
        (marked(500), 0.0),
        (marked(500, status="False"), None),
        (marked(500, reason="TerminationByKubelet"), None),
        (marked(500, phase="Failed"), None),
        (marked(500, phase="Succeeded"), None),
        (marked(500, deleting=True), None),
        (Pod(metadata=ObjectMeta(name="a")), None),
    ],
    ids=[
        "fresh",
        "20s-left",
        "at-2-min",
        "long-stale",
        "false",
        "kubelet",
        "failed",
        "succeeded",
        "terminating",
        "unmarked",
    ],
)
def test_stale_after(pod: Pod, left: float | None) -> None:
    assert stale_after(pod, NOW) == left


def test_reset_sets_false_with_a_new_transition_and_keeps_the_rest() -> None:
    pod = marked(500)
    cleared = reset(pod, NOW)
    assert [(c.type, c.status, c.reason, c.last_transition_time) for c in cleared.status.conditions] == [
        ("Ready", "True", "", None),
        ("DisruptionTarget", "False", "", rfc3339(NOW)),
    ]
    assert pod.status.conditions[1].status == "True"


async def test_a_left_over_disruption_target_is_reset_after_2_minutes() -> None:
    async with running() as r:
        client = r.cluster.client
        await client.create(bare_pod("a"))
        await client.create(bare_pod("k"))
        await r.until(lambda: len(r.ready()) == 2)
        start = r.clock.now()
        for name, reason in (("a", "EvictionByEvictionAPI"), ("k", "TerminationByKubelet")):
            condition: dict[str, Any] = {"type": "DisruptionTarget", "status": "True", "reason": reason}
            condition["lastTransitionTime"] = rfc3339(start)
            body = {"status": {"conditions": [condition]}}
            await client.patch_status(Pod, name, body, "default", patch_type=PatchType.STRATEGIC)

        def target(name: str) -> str:
            pod = r.pods.get(name, "default")
            assert pod is not None
            return next((c.status for c in pod.status.conditions if c.type == "DisruptionTarget"), "")

        await r.until(lambda: target("a") == "True" and target("k") == "True")
        await r.until(lambda: target("a") == "False", seconds=30)
        assert r.clock.now() - start >= STALE_TIMEOUT - 1
        assert target("k") == "True"
