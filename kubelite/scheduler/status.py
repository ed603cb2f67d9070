"""The `PodScheduled=False` condition the scheduler writes for a pod no node can take (SCH-9).

`unschedulable_patch(pod, message, now)` returns a strategic-merge status patch that sets the
condition (reason `Unschedulable`, the fit message), or None when the pod already carries exactly
that condition, so a retry that fails the same way writes nothing. `lastTransitionTime` moves only
when the condition's status changes (upstream `UpdatePodCondition`).
"""

from __future__ import annotations

from typing import Any

from kubelite.api.core import Pod

POD_SCHEDULED = "PodScheduled"
UNSCHEDULABLE = "Unschedulable"


def unschedulable_patch(pod: Pod, message: str, now: str) -> dict[str, Any] | None:
    current = next((c for c in pod.status.conditions if c.type == POD_SCHEDULED), None)
    transition = now
    if current is not None and current.status == "False":
        if current.reason == UNSCHEDULABLE and current.message == message:
            return None
        transition = current.last_transition_time or now
    condition = {
        "type": POD_SCHEDULED,
        "status": "False",
        "reason": UNSCHEDULABLE,
        "message": message,
        "lastTransitionTime": transition,
    }
    return {"status": {"conditions": [condition]}}
