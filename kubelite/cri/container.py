"""Container requests and statuses, shaped after the CRI's container messages.

State machine (CRI): CREATED after `create_container`, RUNNING after `start_container`, EXITED
when the process ends or `stop_container` finishes; `remove_container` deletes it. `exit_code`,
`started_at` and `finished_at` are meaningful once the state says so (0.0 means "not yet").
A container killed by SIGTERM reports exit code 143, by SIGKILL 137 (128 + signal); one the kernel
killed for exceeding its memory limit reports 137 with reason "OOMKilled".

Resources (CRI `LinuxContainerResources`): `ContainerConfig.resources` is what the runtime must
enforce (a runtime that cannot enforce a field still records it), and `ContainerStatus.resources`
reports what the container was created with, so the kubelet's view is the same on every backend.
"""

from __future__ import annotations

import enum

import msgspec


class ContainerState(enum.Enum):
    CREATED = "CONTAINER_CREATED"
    RUNNING = "CONTAINER_RUNNING"
    EXITED = "CONTAINER_EXITED"
    UNKNOWN = "CONTAINER_UNKNOWN"


class ContainerMetadata(msgspec.Struct, kw_only=True, frozen=True):
    """The container's name in its pod, and how many times it has been (re)created (`attempt`)."""

    name: str
    attempt: int = 0


class KeyValue(msgspec.Struct, kw_only=True, frozen=True):
    key: str
    value: str


class Mount(msgspec.Struct, kw_only=True, frozen=True):
    """A host path bound into the container at `container_path`."""

    container_path: str
    host_path: str
    readonly: bool = False


class LinuxContainerResources(msgspec.Struct, kw_only=True, frozen=True):
    """Cgroup settings of one container; 0 means "not set" (the runtime's default).

    `cpu_shares` is the relative CPU weight (from the CPU request), `cpu_quota` the CPU time in
    microseconds the container may use per `cpu_period` microseconds (from the CPU limit), and
    `memory_limit_in_bytes` the memory the kernel lets it use before OOM-killing it;
    `memory_swap_limit_in_bytes` (memory plus swap) equal to it means no swap."""

    cpu_period: int = 0
    cpu_quota: int = 0
    cpu_shares: int = 0
    memory_limit_in_bytes: int = 0
    memory_swap_limit_in_bytes: int = 0


class ContainerConfig(msgspec.Struct, kw_only=True, frozen=True):
    """What `create_container` needs. `command` replaces the image's entrypoint, `args` its cmd;
    an empty `command` keeps the image's entrypoint (as Kubernetes does)."""

    metadata: ContainerMetadata
    image: str
    command: tuple[str, ...] = ()
    args: tuple[str, ...] = ()
    working_dir: str = ""
    envs: tuple[KeyValue, ...] = ()
    mounts: tuple[Mount, ...] = ()
    labels: dict[str, str] = msgspec.field(default_factory=dict)
    annotations: dict[str, str] = msgspec.field(default_factory=dict)
    stdin: bool = False
    tty: bool = False
    resources: LinuxContainerResources | None = None


class ContainerStatus(msgspec.Struct, kw_only=True, frozen=True):
    """The runtime's view of one container. `reason` is e.g. "Completed", "Error", "OOMKilled"."""

    id: str
    pod_sandbox_id: str
    metadata: ContainerMetadata
    state: ContainerState
    image: str
    image_ref: str = ""
    created_at: float = 0.0
    started_at: float = 0.0
    finished_at: float = 0.0
    exit_code: int = 0
    reason: str = ""
    message: str = ""
    labels: dict[str, str] = msgspec.field(default_factory=dict)
    annotations: dict[str, str] = msgspec.field(default_factory=dict)
    resources: LinuxContainerResources | None = None


class ContainerInfo(msgspec.Struct, kw_only=True, frozen=True):
    """One row of `list_containers`."""

    id: str
    pod_sandbox_id: str
    metadata: ContainerMetadata
    state: ContainerState
    image: str
    image_ref: str = ""
    created_at: float = 0.0
    labels: dict[str, str] = msgspec.field(default_factory=dict)
    annotations: dict[str, str] = msgspec.field(default_factory=dict)


class ContainerFilter(msgspec.Struct, kw_only=True, frozen=True):
    """All set fields must match; `label_selector` entries must all be equal."""

    id: str = ""
    state: ContainerState | None = None
    pod_sandbox_id: str = ""
    label_selector: dict[str, str] = msgspec.field(default_factory=dict)


class ContainerEventType(enum.Enum):
    CREATED = "CONTAINER_CREATED_EVENT"
    STARTED = "CONTAINER_STARTED_EVENT"
    STOPPED = "CONTAINER_STOPPED_EVENT"
    DELETED = "CONTAINER_DELETED_EVENT"


class ContainerEvent(msgspec.Struct, kw_only=True, frozen=True):
    """A container lifecycle change, as the CRI's GetContainerEvents stream reports it."""

    container_id: str
    pod_sandbox_id: str
    type: ContainerEventType
    created_at: float


class ExecResult(msgspec.Struct, kw_only=True, frozen=True):
    stdout: bytes = b""
    stderr: bytes = b""
    exit_code: int = 0


class LogOptions(msgspec.Struct, kw_only=True, frozen=True):
    """`tail_lines` keeps only the last N lines (None: all); `follow` keeps the stream open until the
    container exits; `timestamps` is informational (every `LogLine` carries its time anyway)."""

    tail_lines: int | None = None
    follow: bool = False
    since_time: float | None = None


class LogLine(msgspec.Struct, kw_only=True, frozen=True):
    """One line of output, without its trailing newline."""

    time: float
    stream: str  # "stdout" or "stderr"
    text: str
