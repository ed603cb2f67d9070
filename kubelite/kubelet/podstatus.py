"""The API status of a pod's containers, from what the runtime reports (KUB-4, KUB-14).

Contract: pure. `container_status(...)` maps the latest CRI container (or none yet), the
kubelet's waiting reason for it, the previous termination and the probe flags to a core/v1
`ContainerStatus`: `waiting` (ContainerCreating, PodInitializing, CrashLoopBackOff, image and
config errors), `running{startedAt}` or `terminated{exitCode, reason, startedAt, finishedAt}`,
`lastState` (the previous termination; while a crashed container waits to restart, that crash),
and `restartCount` (the CRI attempt number). `ready` and `started` need a running container (and
the probe flags); `init_succeeded(status)` is whether an init container has exited 0, which is what
makes a regular init container ready. `qos_class(pod)` is Kubernetes' QoS class.
"""

from __future__ import annotations

from kubelite.api.core import (
    Container,
    ContainerState,
    ContainerStateRunning,
    ContainerStateTerminated,
    ContainerStateWaiting,
    ContainerStatus,
    Pod,
)
from kubelite.clock import rfc3339
from kubelite.cri import ContainerState as CRIState
from kubelite.cri import ContainerStatus as CRIStatus


def terminated(status: CRIStatus, container_id: str) -> ContainerState:
    return ContainerState(
        terminated=ContainerStateTerminated(
            exit_code=status.exit_code,
            reason=status.reason or ("Completed" if status.exit_code == 0 else "Error"),
            message=status.message,
            started_at=rfc3339(status.started_at),
            finished_at=rfc3339(status.finished_at),
            container_id=container_id,
        )
    )


def container_status(
    container: Container,
    current: CRIStatus | None,
    *,
    container_id: str,
    waiting: tuple[str, str] | None,
    previous: CRIStatus | None,
    previous_id: str,
    ready: bool,
    started: bool,
    default_waiting: str = "ContainerCreating",
) -> ContainerStatus:
    last = terminated(previous, previous_id) if previous is not None else ContainerState()
    restarts = current.metadata.attempt if current is not None else 0
    if current is None or current.state is CRIState.CREATED:
        reason, message = waiting or (default_waiting, "")
        state = ContainerState(waiting=ContainerStateWaiting(reason=reason, message=message))
    elif current.state is CRIState.RUNNING:
        state = ContainerState(running=ContainerStateRunning(started_at=rfc3339(current.started_at)))
    elif waiting is not None:  # exited, waiting to be restarted
        state = ContainerState(waiting=ContainerStateWaiting(reason=waiting[0], message=waiting[1]))
        last = terminated(current, container_id)
    else:
        state = terminated(current, container_id)
    running = state.running is not None
    return ContainerStatus(
        name=container.name,
        state=state,
        last_state=last,
        ready=running and ready,
        restart_count=restarts,
        image=container.image,
        image_id=current.image_ref if current is not None else "",
        container_id=container_id if current is not None else "",
        started=running and started,
    )


def init_succeeded(status: ContainerStatus) -> bool:
    ended = status.state.terminated
    return ended is not None and ended.exit_code == 0


def qos_class(pod: Pod) -> str:
    containers = [*pod.spec.init_containers, *pod.spec.containers]
    if all(not c.resources.requests and not c.resources.limits for c in containers):
        return "BestEffort"
    for container in containers:
        limits, requests = container.resources.limits, container.resources.requests
        for resource in ("cpu", "memory"):
            if resource not in limits or requests.get(resource, limits[resource]) != limits[resource]:
                return "Burstable"
    return "Guaranteed"
