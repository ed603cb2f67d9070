"""The fake runtime's state: one mutable record per sandbox and per container, and their views.

Contract: records are owned by one `FakeRuntime` and never handed out. `sandbox_status`,
`sandbox_info`, `container_status` and `container_info` build fresh frozen structs (with copied
label and annotation dicts), so callers may keep or change what they get. Records hold ids, never
references to each other or to the runtime, so they stay out of the cycle collector (`gc=False`).
The `*_matches` functions apply CRI list filters.
"""

from __future__ import annotations

import msgspec

from kubelite.cri.container import (
    ContainerConfig,
    ContainerFilter,
    ContainerInfo,
    ContainerState,
    ContainerStatus,
    LogLine,
)
from kubelite.cri.fake.shell import Shell
from kubelite.cri.sandbox import (
    PodSandboxConfig,
    PodSandboxFilter,
    PodSandboxInfo,
    PodSandboxState,
    PodSandboxStatus,
)

NO_TIMER = -1.0


class SandboxRecord(msgspec.Struct, gc=False):
    id: str
    config: PodSandboxConfig
    labels: dict[str, str]
    annotations: dict[str, str]
    created_at: float
    state: PodSandboxState = PodSandboxState.READY
    ip: str = ""
    containers: dict[str, None] = {}  # the sandbox's container ids, in creation order


class ContainerRecord(msgspec.Struct, gc=False):
    """`wake_at` / `kill_at`: monotonic deadlines of the pending sleep and SIGKILL (NO_TIMER: none)."""

    id: str
    sandbox_id: str
    config: ContainerConfig
    labels: dict[str, str]
    annotations: dict[str, str]
    image_ref: str
    created_at: float
    state: ContainerState = ContainerState.CREATED
    started_at: float = 0.0
    finished_at: float = 0.0
    exit_code: int = 0
    reason: str = ""
    message: str = ""
    shell: Shell | None = None
    wake_at: float = NO_TIMER
    kill_at: float = NO_TIMER
    logs: list[LogLine] | None = None
    files: dict[str, str] | None = None


def sandbox_status(record: SandboxRecord) -> PodSandboxStatus:
    return PodSandboxStatus(
        id=record.id,
        metadata=record.config.metadata,
        state=record.state,
        created_at=record.created_at,
        ip=record.ip,
        host_network=record.config.host_network,
        labels=dict(record.labels),
        annotations=dict(record.annotations),
    )


def sandbox_info(record: SandboxRecord) -> PodSandboxInfo:
    return PodSandboxInfo(
        id=record.id,
        metadata=record.config.metadata,
        state=record.state,
        created_at=record.created_at,
        labels=dict(record.labels),
        annotations=dict(record.annotations),
    )


def container_status(record: ContainerRecord) -> ContainerStatus:
    return ContainerStatus(
        id=record.id,
        pod_sandbox_id=record.sandbox_id,
        metadata=record.config.metadata,
        state=record.state,
        image=record.config.image,
        image_ref=record.image_ref,
        created_at=record.created_at,
        started_at=record.started_at,
        finished_at=record.finished_at,
        exit_code=record.exit_code,
        reason=record.reason,
        message=record.message,
        labels=dict(record.labels),
        annotations=dict(record.annotations),
        resources=record.config.resources,
    )


def container_info(record: ContainerRecord) -> ContainerInfo:
    return ContainerInfo(
        id=record.id,
        pod_sandbox_id=record.sandbox_id,
        metadata=record.config.metadata,
        state=record.state,
        image=record.config.image,
        image_ref=record.image_ref,
        created_at=record.created_at,
        labels=dict(record.labels),
        annotations=dict(record.annotations),
    )


def _labels_match(labels: dict[str, str], selector: dict[str, str]) -> bool:
    return all(labels.get(key) == value for key, value in selector.items())


def sandbox_matches(record: SandboxRecord, filter: PodSandboxFilter) -> bool:
    return (
        (not filter.id or record.id == filter.id)
        and (filter.state is None or record.state is filter.state)
        and _labels_match(record.labels, filter.label_selector)
    )


def container_matches(record: ContainerRecord, filter: ContainerFilter) -> bool:
    return (
        (not filter.id or record.id == filter.id)
        and (filter.state is None or record.state is filter.state)
        and (not filter.pod_sandbox_id or record.sandbox_id == filter.pod_sandbox_id)
        and _labels_match(record.labels, filter.label_selector)
    )
