"""Pod sandbox requests and statuses, shaped after the CRI's PodSandbox messages.

A sandbox is the per-pod environment (network namespace, IP) that a pod's containers join.
States follow the CRI: READY after `run_pod_sandbox`, NOTREADY after `stop_pod_sandbox`.
Timestamps are wall-clock seconds (float) from the runtime's clock.
"""

from __future__ import annotations

import enum

import msgspec


class PodSandboxState(enum.Enum):
    READY = "SANDBOX_READY"
    NOTREADY = "SANDBOX_NOTREADY"


class PodSandboxMetadata(msgspec.Struct, kw_only=True, frozen=True):
    """Identifies the pod a sandbox belongs to; `attempt` counts sandbox re-creations."""

    name: str
    uid: str
    namespace: str
    attempt: int = 0


class PortMapping(msgspec.Struct, kw_only=True, frozen=True):
    protocol: str = "TCP"
    container_port: int = 0
    host_port: int = 0
    host_ip: str = ""


class PodSandboxConfig(msgspec.Struct, kw_only=True, frozen=True):
    """What `run_pod_sandbox` needs. `host_network` puts the pod in the host's network namespace."""

    metadata: PodSandboxMetadata
    hostname: str = ""
    host_network: bool = False
    port_mappings: tuple[PortMapping, ...] = ()
    labels: dict[str, str] = msgspec.field(default_factory=dict)
    annotations: dict[str, str] = msgspec.field(default_factory=dict)
    dns_servers: tuple[str, ...] = ()
    dns_searches: tuple[str, ...] = ()


class PodSandboxStatus(msgspec.Struct, kw_only=True, frozen=True):
    """The runtime's view of one sandbox. `ip` is empty for a host-network sandbox."""

    id: str
    metadata: PodSandboxMetadata
    state: PodSandboxState
    created_at: float
    ip: str = ""
    host_network: bool = False
    labels: dict[str, str] = msgspec.field(default_factory=dict)
    annotations: dict[str, str] = msgspec.field(default_factory=dict)


class PodSandboxInfo(msgspec.Struct, kw_only=True, frozen=True):
    """One row of `list_pod_sandbox`."""

    id: str
    metadata: PodSandboxMetadata
    state: PodSandboxState
    created_at: float
    labels: dict[str, str] = msgspec.field(default_factory=dict)
    annotations: dict[str, str] = msgspec.field(default_factory=dict)


class PodSandboxFilter(msgspec.Struct, kw_only=True, frozen=True):
    """All set fields must match; `label_selector` entries must all be equal."""

    id: str = ""
    state: PodSandboxState | None = None
    label_selector: dict[str, str] = msgspec.field(default_factory=dict)
