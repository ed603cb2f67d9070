"""CRI statuses built from what the daemon reports (pure functions, no I/O).

Contract:
- Container states: Docker's `created` is CREATED; `running`, `paused` and `restarting` are RUNNING;
  `exited`, `dead` and `removing` are EXITED; anything else is UNKNOWN. A sandbox is READY while its
  container runs, NOTREADY otherwise.
- Exit reasons (KUB-4): "OOMKilled" when the daemon says the kernel OOM-killed the container, else
  "Completed" for exit code 0 and "Error" for any other; empty until the container has exited.
  `message` is the daemon's error for the container (e.g. a failed start), if any.
- Resources: a container's status reports the cgroup settings it was created with (the daemon's
  `HostConfig`), or none when it has none (0 means not set, as in the CRI).
- Times are epoch floats from the daemon's clock; list rows carry whole seconds (the list API's
  resolution), statuses the daemon's full resolution. The daemon stamps `StartedAt` when its start
  call completes, which for a process that exits at once can be after `FinishedAt`; the start time
  reported is then the finish time (the process cannot have started later than it ended).
- Sandbox IP: "" for a host-network sandbox and for a stopped one. A running sandbox reports its
  address on a Docker network when it has one; a sandbox in network mode "none" (the default: the
  test daemon runs with `--bridge=none`, so there is no pod network) reports "127.0.0.1", the only
  address it has, where its containers reach one another. That address is not unique across pods:
  without a pod network no pod is reachable from outside, so Kubernetes' "pod IP unique in the
  cluster" (KUB-14) cannot hold and the loopback address is the honest answer.
"""

from __future__ import annotations

from kubelite.cri.container import ContainerInfo, ContainerState, ContainerStatus, LinuxContainerResources
from kubelite.cri.docker import labels as kl
from kubelite.cri.docker.times import epoch
from kubelite.cri.docker.wire import HostConfig, Inspect, Row, State
from kubelite.cri.sandbox import PodSandboxInfo, PodSandboxState, PodSandboxStatus

LOOPBACK = "127.0.0.1"

_STATES = {
    "created": ContainerState.CREATED,
    "running": ContainerState.RUNNING,
    "paused": ContainerState.RUNNING,
    "restarting": ContainerState.RUNNING,
    "exited": ContainerState.EXITED,
    "dead": ContainerState.EXITED,
    "removing": ContainerState.EXITED,
}


def container_state(status: str) -> ContainerState:
    return _STATES.get(status, ContainerState.UNKNOWN)


def sandbox_state(status: str) -> PodSandboxState:
    return PodSandboxState.READY if status == "running" else PodSandboxState.NOTREADY


def exit_reason(state: State) -> str:
    if container_state(state.status) is not ContainerState.EXITED:
        return ""
    if state.oom_killed:
        return "OOMKilled"
    return "Completed" if state.exit_code == 0 else "Error"


def container_status(found: Inspect) -> ContainerStatus:
    labels = found.labels
    state = container_state(found.state.status)
    exited = state is ContainerState.EXITED
    started_at = epoch(found.state.started_at)
    finished_at = epoch(found.state.finished_at) if exited else 0.0
    return ContainerStatus(
        id=found.id,
        pod_sandbox_id=labels.get(kl.SANDBOX_ID, ""),
        metadata=kl.container_metadata(labels),
        state=state,
        image=labels.get(kl.IMAGE) or found.config.image,
        image_ref=found.image,
        created_at=epoch(found.created),
        started_at=min(started_at, finished_at) if finished_at else started_at,
        finished_at=finished_at,
        exit_code=found.state.exit_code if exited else 0,
        reason=exit_reason(found.state),
        message=found.state.error,
        labels=kl.user_labels(labels),
        annotations=kl.user_annotations(labels),
        resources=resources(found.host_config),
    )


def resources(host: HostConfig) -> LinuxContainerResources | None:
    found = LinuxContainerResources(
        cpu_period=host.cpu_period,
        cpu_quota=host.cpu_quota,
        cpu_shares=host.cpu_shares,
        memory_limit_in_bytes=host.memory,
        memory_swap_limit_in_bytes=host.memory_swap,
    )
    return None if found == LinuxContainerResources() else found


def container_info(row: Row) -> ContainerInfo:
    labels = row.labels or {}
    return ContainerInfo(
        id=row.id,
        pod_sandbox_id=labels.get(kl.SANDBOX_ID, ""),
        metadata=kl.container_metadata(labels),
        state=container_state(row.state),
        image=labels.get(kl.IMAGE, ""),
        image_ref=row.image_id,
        created_at=float(row.created),
        labels=kl.user_labels(labels),
        annotations=kl.user_annotations(labels),
    )


def sandbox_ip(found: Inspect) -> str:
    if found.labels.get(kl.HOST_NETWORK) == "true" or not found.state.running:
        return ""
    networks = found.network_settings.networks or {}
    return next((net.ip_address for net in networks.values() if net.ip_address), LOOPBACK)


def sandbox_status(found: Inspect) -> PodSandboxStatus:
    labels = found.labels
    return PodSandboxStatus(
        id=found.id,
        metadata=kl.sandbox_metadata(labels),
        state=sandbox_state(found.state.status),
        created_at=epoch(found.created),
        ip=sandbox_ip(found),
        host_network=labels.get(kl.HOST_NETWORK) == "true",
        labels=kl.user_labels(labels),
        annotations=kl.user_annotations(labels),
    )


def sandbox_info(row: Row) -> PodSandboxInfo:
    labels = row.labels or {}
    return PodSandboxInfo(
        id=row.id,
        metadata=kl.sandbox_metadata(labels),
        state=sandbox_state(row.state),
        created_at=float(row.created),
        labels=kl.user_labels(labels),
        annotations=kl.user_annotations(labels),
    )
