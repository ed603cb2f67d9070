"""core/v1 Pod: PodSpec, PodStatus and PodTemplateSpec (containers, volumes and scheduling types
live in sibling modules and are re-exported from `kubelite.api.core`).

This module is the worked example of `kubelite.api.meta`'s conventions:
- `Pod` subclasses `Object` (tag `kind: Pod`) and redeclares `api_version`; `spec` and `status`
  use `default_factory` so they are always encoded (`"status": {}`), as Kubernetes prints them.
- Go pointers are `X | None = None` (`terminationGracePeriodSeconds`, `enableServiceLinks`, …);
  plain Go values default to their empty value and are omitted when empty.
- Fields the Kubernetes schema requires in a nested value have no default (`Container.name`,
  `PodCondition.type`), so constructing one without them is a type error.
- Status fields that Kubernetes always prints even when zero (`ready: false`, `restartCount: 0`,
  `imageID: ""`) use `msgspec.field(default_factory=int)` (or `bool`, `str`): msgspec omits only
  empty collections for factory defaults, so these are always encoded yet may be absent on input.
  Clients such as the official Python client reject such statuses when the field is missing.
- JSON names that camelCase renaming would get wrong are spelled out (`podIP`, `hostIPs`).
- Lists Kubernetes patches by merge carry `MergeKey` (containers, volumes and imagePullSecrets by
  `name`, conditions by `type`, podIPs/hostIPs and hostAliases by `ip`, topology spread
  constraints by `topologyKey`); tolerations and readinessGates are atomic.
"""

from __future__ import annotations

from typing import Annotated

import msgspec

from kubelite.api.core.container import Container, EphemeralContainer
from kubelite.api.core.reference import LocalObjectReference
from kubelite.api.core.scheduling import Affinity, Toleration, TopologySpreadConstraint
from kubelite.api.core.security import PodSecurityContext
from kubelite.api.core.volume import Volume
from kubelite.api.meta import Base, Object, ObjectMeta
from kubelite.api.patchmeta import MergeKey


class HostAlias(Base):
    ip: str
    hostnames: list[str] = []


class PodDNSConfigOption(Base):
    name: str = ""
    value: str | None = None


class PodDNSConfig(Base):
    nameservers: list[str] = []
    searches: list[str] = []
    options: list[PodDNSConfigOption] = []


class PodReadinessGate(Base):
    condition_type: str


class PodOS(Base):
    name: str


class PodSchedulingGate(Base):
    name: str


class PodSpec(Base):
    volumes: Annotated[list[Volume], MergeKey("name")] = []
    init_containers: Annotated[list[Container], MergeKey("name")] = []
    containers: Annotated[list[Container], MergeKey("name")] = []
    ephemeral_containers: Annotated[list[EphemeralContainer], MergeKey("name")] = []
    restart_policy: str = ""
    termination_grace_period_seconds: int | None = None
    active_deadline_seconds: int | None = None
    dns_policy: str = ""
    node_selector: dict[str, str] = {}
    service_account_name: str = ""
    service_account: str = ""
    automount_service_account_token: bool | None = None
    node_name: str = ""
    host_network: bool = False
    host_pid: bool = msgspec.field(default=False, name="hostPID")
    host_ipc: bool = msgspec.field(default=False, name="hostIPC")
    share_process_namespace: bool | None = None
    security_context: PodSecurityContext | None = None
    image_pull_secrets: Annotated[list[LocalObjectReference], MergeKey("name")] = []
    hostname: str = ""
    subdomain: str = ""
    affinity: Affinity | None = None
    scheduler_name: str = ""
    tolerations: list[Toleration] = []
    host_aliases: Annotated[list[HostAlias], MergeKey("ip")] = []
    priority_class_name: str = ""
    priority: int | None = None
    dns_config: PodDNSConfig | None = None
    readiness_gates: list[PodReadinessGate] = []
    runtime_class_name: str | None = None
    enable_service_links: bool | None = None
    preemption_policy: str | None = None
    overhead: dict[str, str] = {}
    topology_spread_constraints: Annotated[list[TopologySpreadConstraint], MergeKey("topologyKey")] = []
    set_hostname_as_fqdn: bool | None = msgspec.field(default=None, name="setHostnameAsFQDN")
    os: PodOS | None = None
    host_users: bool | None = None
    scheduling_gates: Annotated[list[PodSchedulingGate], MergeKey("name")] = []


class PodCondition(Base):
    type: str
    status: str
    last_probe_time: str | None = None
    last_transition_time: str | None = None
    reason: str = ""
    message: str = ""


class ContainerStateWaiting(Base):
    reason: str = ""
    message: str = ""


class ContainerStateRunning(Base):
    started_at: str | None = None


class ContainerStateTerminated(Base):
    exit_code: int = msgspec.field(default_factory=int)
    signal: int = 0
    reason: str = ""
    message: str = ""
    started_at: str | None = None
    finished_at: str | None = None
    container_id: str = msgspec.field(default="", name="containerID")


class ContainerState(Base):
    """At most one of the three is set; all absent means the state is not known yet."""

    waiting: ContainerStateWaiting | None = None
    running: ContainerStateRunning | None = None
    terminated: ContainerStateTerminated | None = None


class ContainerStatus(Base):
    name: str
    state: ContainerState = msgspec.field(default_factory=ContainerState)
    last_state: ContainerState = msgspec.field(default_factory=ContainerState)
    ready: bool = msgspec.field(default_factory=bool)
    restart_count: int = msgspec.field(default_factory=int)
    image: str = msgspec.field(default_factory=str)
    image_id: str = msgspec.field(default_factory=str, name="imageID")
    container_id: str = msgspec.field(default="", name="containerID")
    started: bool | None = None


class PodIP(Base):
    ip: str


class HostIP(Base):
    ip: str


class PodStatus(Base):
    phase: str = ""
    conditions: Annotated[list[PodCondition], MergeKey("type")] = []
    message: str = ""
    reason: str = ""
    nominated_node_name: str = ""
    host_ip: str = msgspec.field(default="", name="hostIP")
    host_ips: Annotated[list[HostIP], MergeKey("ip")] = msgspec.field(default_factory=list, name="hostIPs")
    pod_ip: str = msgspec.field(default="", name="podIP")
    pod_ips: Annotated[list[PodIP], MergeKey("ip")] = msgspec.field(default_factory=list, name="podIPs")
    start_time: str | None = None
    init_container_statuses: list[ContainerStatus] = []
    container_statuses: list[ContainerStatus] = []
    qos_class: str = ""
    ephemeral_container_statuses: list[ContainerStatus] = []


class Pod(Object):
    api_version: str = msgspec.field(default_factory=lambda: "v1")
    spec: PodSpec = msgspec.field(default_factory=PodSpec)
    status: PodStatus = msgspec.field(default_factory=PodStatus)


class PodTemplateSpec(Base):
    """The pod a controller creates: labels and annotations in `metadata`, and the `spec`."""

    metadata: ObjectMeta = msgspec.field(default_factory=ObjectMeta)
    spec: PodSpec = msgspec.field(default_factory=PodSpec)
