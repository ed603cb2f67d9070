"""Pod rows as `kubectl get pods` shows them (upstream's pod printer, reproduced).

Columns: Name, Ready (`ready/total`, restartable init containers — sidecars — counted), Status,
Restarts (`3 (5m ago)` when a restart time is known), Age, and the wide IP, Node, Nominated Node,
Readiness Gates (`true/total`). Status is the pod's phase, overridden in this order: the pod's
`status.reason`; `SchedulingGated`; the first unfinished init container (`Init:<reason>`,
`Init:ExitCode:N`, `Init:Signal:N`, `Init:i/n`); then the app containers from last to first
(waiting or terminated reason, `ExitCode:N`, `Signal:N`), `Completed` turning back into
`Running` (or `NotReady`) while a container still runs; finally `Unknown` for a deleted pod on a
lost node (`NodeLost`) and `Terminating` for any other deleted pod not yet in a terminal phase.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kubelite.api.core import Container, ContainerStatus, Pod
from kubelite.clock import parse_rfc3339

from .columns import AGE, NAME, NONE, Printer, column
from .humanduration import human_duration, since

COLUMNS = (
    NAME,
    column("Ready", "The aggregate readiness state of this pod for accepting traffic."),
    column("Status", "The aggregate status of the containers in this pod."),
    column("Restarts", "How many times the pod's containers restarted, and when the last did."),
    AGE,
    column("IP", "The pod's primary IP address.", priority=1),
    column("Node", "The node the pod is bound to.", priority=1),
    column("Nominated Node", "The node preemption nominated for the pod.", priority=1),
    column("Readiness Gates", "Readiness gates whose condition is True, of all.", priority=1),
)


@dataclass(slots=True)
class _Tally:
    """What the walk over container statuses found."""

    reason: str
    restarts: int = 0
    last_restart: float = 0.0
    ready: int = 0

    def restarted(self, status: ContainerStatus) -> None:
        self.restarts += status.restart_count
        finished = status.last_state.terminated.finished_at if status.last_state.terminated else None
        if finished:
            self.last_restart = max(self.last_restart, parse_rfc3339(finished))


def is_sidecar(container: Container | None) -> bool:
    """A restartable init container (`restartPolicy: Always`)."""
    return container is not None and container.restart_policy == "Always"


def base_reason(pod: Pod) -> str:
    reason = pod.status.reason or pod.status.phase
    for condition in pod.status.conditions:
        if condition.type == "PodScheduled" and condition.reason == "SchedulingGated":
            reason = "SchedulingGated"
    return reason


def _init_reason(status: ContainerStatus, index: int, total: int) -> str:
    terminated, waiting = status.state.terminated, status.state.waiting
    if terminated is not None:
        if terminated.reason:
            return f"Init:{terminated.reason}"
        if terminated.signal:
            return f"Init:Signal:{terminated.signal}"
        return f"Init:ExitCode:{terminated.exit_code}"
    if waiting is not None and waiting.reason and waiting.reason != "PodInitializing":
        return f"Init:{waiting.reason}"
    return f"Init:{index}/{total}"


def walk_init(pod: Pod, all_: _Tally, sidecars: _Tally) -> bool:
    """Tally init containers; True while the pod is still initializing (sets `all_.reason`)."""
    specs = {container.name: container for container in pod.spec.init_containers}
    for index, status in enumerate(pod.status.init_container_statuses):
        all_.restarted(status)
        sidecar = is_sidecar(specs.get(status.name))
        if sidecar:
            sidecars.restarted(status)
        terminated = status.state.terminated
        if terminated is not None and terminated.exit_code == 0:
            continue
        if sidecar and status.started:
            sidecars.ready += int(status.ready)
            continue
        all_.reason = _init_reason(status, index, len(pod.spec.init_containers))
        return True
    return False


def _app_reason(status: ContainerStatus) -> str | None:
    waiting, terminated = status.state.waiting, status.state.terminated
    if waiting is not None and waiting.reason:
        return waiting.reason
    if terminated is not None:
        if terminated.reason:
            return terminated.reason
        if terminated.signal:
            return f"Signal:{terminated.signal}"
        return f"ExitCode:{terminated.exit_code}"
    return None


def walk_app(pod: Pod, tally: _Tally) -> None:
    """Tally app containers from last to first; the first one's reason wins."""
    running = False
    for status in reversed(pod.status.container_statuses):
        tally.restarted(status)
        reason = _app_reason(status)
        if reason is not None:
            tally.reason = reason
        elif status.ready and status.state.running is not None:
            running = True
            tally.ready += 1
    if tally.reason == "Completed" and running:
        ready = any(c.type == "Ready" and c.status == "True" for c in pod.status.conditions)
        tally.reason = "Running" if ready else "NotReady"


def _initialized(pod: Pod) -> bool:
    return any(c.type == "Initialized" and c.status == "True" for c in pod.status.conditions)


def tally(pod: Pod) -> _Tally:
    """Walk the pod's container statuses: reason, restarts, last restart, ready containers."""
    reason = base_reason(pod)
    everything, sidecars = _Tally(reason), _Tally(reason)
    initializing = walk_init(pod, everything, sidecars)
    if initializing and not _initialized(pod):
        everything.ready = sidecars.ready
        return everything
    sidecars.reason = everything.reason
    walk_app(pod, sidecars)
    return sidecars


def status_reason(pod: Pod, found: _Tally) -> str:
    if pod.metadata.deletion_timestamp and pod.status.reason == "NodeLost":
        return "Unknown"
    if pod.metadata.deletion_timestamp and pod.status.phase not in ("Succeeded", "Failed"):
        return "Terminating"
    return found.reason


def _restarts(found: _Tally, now: float) -> str:
    if found.restarts and found.last_restart:
        return f"{found.restarts} ({human_duration(now - found.last_restart)} ago)"
    return str(found.restarts)


def _readiness_gates(pod: Pod) -> str:
    gates = pod.spec.readiness_gates
    if not gates:
        return NONE
    status = {c.type: c.status for c in reversed(pod.status.conditions)}
    true = sum(1 for gate in gates if status.get(gate.condition_type) == "True")
    return f"{true}/{len(gates)}"


def cells(pod: Pod, now: float) -> list[Any]:
    found = tally(pod)
    total = len(pod.spec.containers) + sum(1 for c in pod.spec.init_containers if is_sidecar(c))
    return [
        pod.metadata.name,
        f"{found.ready}/{total}",
        status_reason(pod, found),
        _restarts(found, now),
        since(pod.metadata.creation_timestamp, now),
        pod.status.pod_ips[0].ip if pod.status.pod_ips else NONE,
        pod.spec.node_name or NONE,
        pod.status.nominated_node_name or NONE,
        _readiness_gates(pod),
    ]


def conditions(pod: Pod) -> list[dict[str, Any]]:
    """Finished pods carry a `Completed` row condition, as upstream marks them."""
    if pod.status.phase == "Succeeded":
        return [_completed("Succeeded", "The pod has completed successfully.")]
    if pod.status.phase == "Failed":
        return [_completed("Failed", "The pod failed.")]
    return []


def _completed(reason: str, message: str) -> dict[str, Any]:
    return {"type": "Completed", "status": "True", "reason": reason, "message": message}


PRINTER: Printer[Pod] = Printer(COLUMNS, cells, conditions)
