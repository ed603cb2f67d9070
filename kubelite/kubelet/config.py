"""Settings of one kubelet, with Kubernetes' defaults.

Contract: `KubeletConfig` is plain data, validated by `validate()` (the CLI and the fake node pool
call it; a bad value raises `ValueError` naming the field). Durations are seconds. `capacity` uses
Kubernetes quantities (fake nodes: configurable; a node on a real runtime uses `host_capacity()`,
the machine's CPUs and memory); `allocatable` defaults to `capacity`. `node_ip` is the node's
InternalIP (fake nodes get distinct ones from `fake_node_ip`). The defaults are upstream's:
a Lease of 40 s renewed every 10 s (NODE-2), status computed every 10 s and written at least every
5 min (NODE-3), crash-loop back-off 10 s doubling to 300 s (KUB-6), image pull back-off the same
(KUB-3), at least 2 s between SIGTERM and SIGKILL (KUB-12), and pod cleanup against the runtime
every 2 s (upstream's housekeeping period).
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field

from kubelite.api.quantity import parse_quantity

KUBELET_VERSION = "v1.32.0-kubelite"

DEFAULT_CAPACITY = {"cpu": "4", "memory": "16Gi", "pods": "110", "ephemeral-storage": "100Gi"}

FAKE_NODE_NETWORK = ipaddress.IPv4Network("172.18.0.0/16")
"""Where fake nodes' InternalIPs come from (the node network kind gives its Docker nodes)."""


def fake_node_ip(index: int) -> str:
    """The InternalIP of fake node number `index` (1, 2, ...): 172.18.0.2, 172.18.0.3, ...
    Deterministic and distinct for up to 65,533 nodes; ValueError beyond."""
    if not 1 <= index <= FAKE_NODE_NETWORK.num_addresses - 3:
        raise ValueError(f"fake node index must be 1..{FAKE_NODE_NETWORK.num_addresses - 3}, got {index}")
    return str(FAKE_NODE_NETWORK.network_address + 1 + index)


def host_capacity() -> dict[str, str]:
    """This machine's CPUs and memory (from /proc/meminfo when there is one), for real nodes."""
    cpus = os.cpu_count() or 1
    memory = "16Gi"
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemTotal:"):
                    memory = f"{int(line.split()[1])}Ki"
                    break
    except OSError:
        pass
    return {**DEFAULT_CAPACITY, "cpu": str(cpus), "memory": memory}


@dataclass(frozen=True, slots=True)
class KubeletConfig:
    node_name: str
    node_ip: str = "127.0.0.1"
    capacity: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_CAPACITY))
    allocatable: dict[str, str] | None = None
    labels: dict[str, str] = field(default_factory=dict)
    lease_duration_seconds: int = 40
    lease_renew_interval: float = 10.0
    node_status_update_frequency: float = 10.0
    node_status_report_frequency: float = 300.0
    crash_backoff_initial: float = 10.0
    crash_backoff_max: float = 300.0
    image_backoff_initial: float = 10.0
    image_backoff_max: float = 300.0
    minimum_grace_period: float = 2.0
    pod_resync_period: float = 60.0
    housekeeping_period: float = 2.0
    architecture: str = "amd64"
    operating_system: str = "linux"

    @classmethod
    def for_host(cls, node_name: str, **settings: object) -> KubeletConfig:
        """A node backed by this machine (the Docker runtime): capacity from `host_capacity()`."""
        return cls(node_name, capacity=host_capacity(), **settings)  # type: ignore[arg-type]

    def effective_allocatable(self) -> dict[str, str]:
        return dict(self.allocatable if self.allocatable is not None else self.capacity)

    def validate(self) -> None:
        if not self.node_name:
            raise ValueError("node_name: Required value")
        for name, table in (("capacity", self.capacity), ("allocatable", self.allocatable or {})):
            for resource, text in table.items():
                try:
                    parse_quantity(text)
                except ValueError as err:
                    raise ValueError(f"{name}[{resource}]: Invalid value: {text!r}: {err}") from err
        for name in (
            "lease_renew_interval",
            "node_status_update_frequency",
            "node_status_report_frequency",
            "crash_backoff_initial",
            "image_backoff_initial",
            "pod_resync_period",
            "housekeeping_period",
        ):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name}: Invalid value: {getattr(self, name)}: must be positive")
        if self.lease_duration_seconds <= 0:
            raise ValueError("lease_duration_seconds: Invalid value: must be positive")
