"""Pure facts about pods that the ReplicaSet controller needs (RS-3, RS-8).

- `is_active(pod)`: not Succeeded or Failed and no `deletionTimestamp` (RS-3); terminating pods do
  not count, so a replacement is created at once.
- `is_ready(pod)`: the `Ready` condition is True.
- `ready_since(pod)`: seconds since the epoch of the Ready condition's last transition, or None.
- `is_available(pod, min_ready_seconds, now)`: ready, and `minReadySeconds == 0` or
  `Ready.lastTransitionTime + minReadySeconds < now` (RS-8, upstream's `IsPodAvailable`).
"""

from __future__ import annotations

from kubelite.api.core import Pod
from kubelite.clock import parse_rfc3339

TERMINAL_PHASES = frozenset({"Succeeded", "Failed"})


def is_active(pod: Pod) -> bool:
    return pod.status.phase not in TERMINAL_PHASES and pod.metadata.deletion_timestamp is None


def is_ready(pod: Pod) -> bool:
    return any(c.type == "Ready" and c.status == "True" for c in pod.status.conditions)


def ready_since(pod: Pod) -> float | None:
    for condition in pod.status.conditions:
        if condition.type == "Ready" and condition.last_transition_time:
            return parse_rfc3339(condition.last_transition_time)
    return None


def is_available(pod: Pod, min_ready_seconds: int, now: float) -> bool:
    if not is_ready(pod):
        return False
    if min_ready_seconds == 0:
        return True
    since = ready_since(pod)
    return since is not None and since + min_ready_seconds < now


def pod_key(pod: Pod) -> str:
    return f"{pod.metadata.namespace}/{pod.metadata.name}"
