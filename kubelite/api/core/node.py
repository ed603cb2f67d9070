"""core/v1 Node: spec (podCIDRs, providerID, unschedulable, taints) and status.

Capacity and allocatable are quantity strings keyed by resource name. `nodeInfo` is always
encoded with every field, even empty, as Kubernetes prints it (clients require them). Conditions
and addresses merge by `type`; `podCIDRs` merges as a set; taints are atomic. There is no
`daemonEndpoints` (kubelite serves no kubelet port).
"""

from __future__ import annotations

from typing import Annotated

import msgspec

from kubelite.api.meta import Base, Object
from kubelite.api.patchmeta import MergeKey, MergeSet


class Taint(Base):
    key: str
    effect: str
    value: str = ""
    time_added: str | None = None


class NodeSpec(Base):
    pod_cidr: str = msgspec.field(default="", name="podCIDR")
    pod_cidrs: Annotated[list[str], MergeSet()] = msgspec.field(default_factory=list, name="podCIDRs")
    provider_id: str = msgspec.field(default="", name="providerID")
    unschedulable: bool = False
    taints: list[Taint] = []


class NodeCondition(Base):
    type: str
    status: str
    last_heartbeat_time: str | None = None
    last_transition_time: str | None = None
    reason: str = ""
    message: str = ""


class NodeAddress(Base):
    type: str
    address: str


class NodeSystemInfo(Base):
    machine_id: str = msgspec.field(default_factory=str, name="machineID")
    system_uuid: str = msgspec.field(default_factory=str, name="systemUUID")
    boot_id: str = msgspec.field(default_factory=str, name="bootID")
    kernel_version: str = msgspec.field(default_factory=str)
    os_image: str = msgspec.field(default_factory=str)
    container_runtime_version: str = msgspec.field(default_factory=str)
    kubelet_version: str = msgspec.field(default_factory=str)
    kube_proxy_version: str = msgspec.field(default_factory=str)
    operating_system: str = msgspec.field(default_factory=str)
    architecture: str = msgspec.field(default_factory=str)


class ContainerImage(Base):
    names: list[str] = []
    size_bytes: int = 0


class NodeStatus(Base):
    capacity: dict[str, str] = {}
    allocatable: dict[str, str] = {}
    phase: str = ""
    conditions: Annotated[list[NodeCondition], MergeKey("type")] = []
    addresses: Annotated[list[NodeAddress], MergeKey("type")] = []
    node_info: NodeSystemInfo = msgspec.field(default_factory=NodeSystemInfo)
    images: list[ContainerImage] = []
    volumes_in_use: list[str] = []


class Node(Object):
    api_version: str = msgspec.field(default_factory=lambda: "v1")
    spec: NodeSpec = msgspec.field(default_factory=NodeSpec)
    status: NodeStatus = msgspec.field(default_factory=NodeStatus)
