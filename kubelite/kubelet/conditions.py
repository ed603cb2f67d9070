"""Pod conditions the kubelet owns (KUB-11, upstream's kubelet `status/generate.go`).

Contract: pure. `pod_conditions(pod, sandbox_ready, init, app, phase, now)` returns the five
conditions the kubelet reports, merged into the pod's existing conditions (others, such as
DisruptionTarget or readiness gates, are kept):

- PodReadyToStartContainers: True while the pod's sandbox is ready (False before it exists and
  once it is stopped).
- Initialized: True once every regular init container has exited 0 (it is then `ready`) and every
  sidecar has started, or once an app container has run; True with reason PodCompleted when the
  pod Succeeded; else False, ContainersNotInitialized, "containers with incomplete status: [a b]".
- ContainersReady: True when every sidecar and app container is ready; else False,
  ContainersNotReady, "containers with unready status: [a b]" (sidecars first); False with reason
  PodCompleted or PodFailed once the pod is terminal.
- Ready: ContainersReady, and then every readiness gate must be a True condition on the pod.
- PodScheduled: True (the scheduler's own True record is kept as it is).

A condition that is True carries no reason or message (unless upstream sets one), and keeps its
`lastTransitionTime` unless its status changes.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from kubelite.api.core import ContainerStatus, Pod, PodCondition
from kubelite.clock import rfc3339
from kubelite.kubelet.phase import FAILED, SUCCEEDED, has_run

READY_TO_START = "PodReadyToStartContainers"
INITIALIZED = "Initialized"
CONTAINERS_READY = "ContainersReady"
READY = "Ready"
SCHEDULED = "PodScheduled"
OWNED = (READY_TO_START, INITIALIZED, READY, CONTAINERS_READY, SCHEDULED)
TRUE = ("True", "", "")

Wanted = tuple[str, str, str]
"""(status, reason, message) of one condition."""


def _names(statuses: Sequence[ContainerStatus]) -> str:
    return "[" + " ".join(status.name for status in statuses) + "]"


def _sidecars(pod: Pod) -> set[str]:
    return {c.name for c in pod.spec.init_containers if c.restart_policy == "Always"}


def _initialized(
    pod: Pod, init: Sequence[ContainerStatus], app: Sequence[ContainerStatus], phase: str
) -> Wanted:
    if phase == SUCCEEDED:
        return "True", "PodCompleted", ""
    sidecars = _sidecars(pod)
    pending = [s for s in init if not (s.started if s.name in sidecars else s.ready)]
    if not pending or any(has_run(s) for s in app):
        return TRUE
    return "False", "ContainersNotInitialized", f"containers with incomplete status: {_names(pending)}"


def _containers_ready(
    pod: Pod, init: Sequence[ContainerStatus], app: Sequence[ContainerStatus], phase: str
) -> Wanted:
    if phase in (SUCCEEDED, FAILED):
        return "False", "PodCompleted" if phase == SUCCEEDED else "PodFailed", ""
    sidecars = _sidecars(pod)
    unready = [s for s in init if s.name in sidecars and not s.ready] + [s for s in app if not s.ready]
    if not unready:
        return TRUE
    return "False", "ContainersNotReady", f"containers with unready status: {_names(unready)}"


def _ready(pod: Pod, containers: Wanted) -> Wanted:
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
    containers = _containers_ready(pod, init, app, phase)
    wanted = {
        READY_TO_START: TRUE if sandbox_ready else ("False", "", ""),
        INITIALIZED: _initialized(pod, init, app, phase),
        CONTAINERS_READY: containers,
        READY: _ready(pod, containers),
        SCHEDULED: TRUE,
    }
    return _merge(pod, wanted, rfc3339(now))


def _merge(pod: Pod, wanted: dict[str, Wanted], stamp: str) -> list[PodCondition]:
    existing = {condition.type: condition for condition in pod.status.conditions}
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
