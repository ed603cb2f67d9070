"""Pod conditions the kubelet owns (KUB-11).

Contract: pure. `pod_conditions(pod, sandbox_ready, init, app, phase, now)` returns the five
conditions the kubelet reports — PodReadyToStartContainers, Initialized, ContainersReady, Ready
and PodScheduled — merged into the pod's existing conditions (others, such as DisruptionTarget,
are kept). A condition keeps its `lastTransitionTime` unless its status changes. Readiness gates
must be True conditions on the pod for Ready to be True.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from kubelite.api.core import ContainerStatus, Pod, PodCondition
from kubelite.clock import rfc3339
from kubelite.kubelet.phase import SUCCEEDED

READY_TO_START = "PodReadyToStartContainers"
INITIALIZED = "Initialized"
CONTAINERS_READY = "ContainersReady"
READY = "Ready"
SCHEDULED = "PodScheduled"
OWNED = (READY_TO_START, INITIALIZED, READY, CONTAINERS_READY, SCHEDULED)


def _names(statuses: Sequence[ContainerStatus]) -> str:
    return "[" + " ".join(status.name for status in statuses) + "]"


def _initialized(init: Sequence[ContainerStatus]) -> tuple[str, str, str]:
    pending = [s for s in init if not (s.state.terminated and s.state.terminated.exit_code == 0)]
    if not pending:
        return "True", "", ""
    return "False", "ContainersNotInitialized", f"containers with incomplete status: {_names(pending)}"


def _containers_ready(app: Sequence[ContainerStatus], phase: str) -> tuple[str, str, str]:
    if phase == SUCCEEDED:
        return "False", "PodCompleted", ""
    unready = [s for s in app if not s.ready]
    if not unready:
        return "True", "", ""
    return "False", "ContainersNotReady", f"containers with unready status: {_names(unready)}"


def _ready(pod: Pod, containers: tuple[str, str, str]) -> tuple[str, str, str]:
    if containers[0] != "True":
        return containers
    present = {c.type: c.status for c in pod.status.conditions}
    for gate in pod.spec.readiness_gates:
        kind = gate.condition_type
        if kind not in present:
            message = f'corresponding condition of pod readiness gate "{kind}" does not exist.'
            return "False", "ReadinessGatesNotReady", message
        if present[kind] != "True":
            message = f'the status of pod readiness gate "{kind}" is not "True", but {present[kind]}'
            return "False", "ReadinessGatesNotReady", message
    return containers


def pod_conditions(
    pod: Pod,
    *,
    sandbox_ready: bool,
    init: Sequence[ContainerStatus],
    app: Sequence[ContainerStatus],
    phase: str,
    now: float,
) -> list[PodCondition]:
    containers = _containers_ready(app, phase)
    wanted = {
        READY_TO_START: ("True" if sandbox_ready else "False", "", ""),
        INITIALIZED: _initialized(init),
        CONTAINERS_READY: containers,
        READY: _ready(pod, containers),
        SCHEDULED: ("True", "", ""),
    }
    existing = {condition.type: condition for condition in pod.status.conditions}
    stamp = rfc3339(now)
    merged = [c for c in pod.status.conditions if c.type not in wanted]
    for kind in OWNED:
        status, reason, message = wanted[kind]
        old = existing.get(kind)
        if kind == SCHEDULED and old is not None and old.status == "True":
            merged.append(old)  # the scheduler's own record of the binding
            continue
        transition = old.last_transition_time if old is not None and old.status == status else stamp
        fresh = PodCondition(
            type=kind, status=status, reason=reason, message=message, last_transition_time=transition
        )
        same = old is not None and msgspec.structs.replace(old, last_probe_time=None) == fresh
        merged.append(old if same and old is not None else fresh)
    return merged
