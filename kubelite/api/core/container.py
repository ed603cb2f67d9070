"""Containers: image, command, ports, environment, resources, mounts, probes, lifecycle, security.

`Container` is used for `containers` and `initContainers`; `EphemeralContainer` adds
`targetContainerName`. Resource requests and limits are quantity strings keyed by resource name
(`{"cpu": "250m", "memory": "64Mi"}`). `resources` is always encoded (`resources: {}`), as
Kubernetes prints it. List fields carry the strategic-merge keys Kubernetes declares: ports by
`containerPort`, env by `name`, volumeMounts by `mountPath`, volumeDevices by `devicePath`;
`command`, `args` and `envFrom` are atomic.
"""

from __future__ import annotations

from typing import Annotated

import msgspec

from kubelite.api.core.env import EnvFromSource, EnvVar
from kubelite.api.core.probe import Lifecycle, Probe
from kubelite.api.core.security import SecurityContext
from kubelite.api.core.volume import VolumeDevice, VolumeMount
from kubelite.api.meta import Base
from kubelite.api.patchmeta import MergeKey


class ContainerPort(Base):
    container_port: int
    name: str = ""
    host_port: int = 0
    protocol: str = ""
    host_ip: str = msgspec.field(default="", name="hostIP")


class ResourceRequirements(Base):
    limits: dict[str, str] = {}
    requests: dict[str, str] = {}


class Container(Base):
    name: str
    image: str = ""
    command: list[str] = []
    args: list[str] = []
    working_dir: str = ""
    ports: Annotated[list[ContainerPort], MergeKey("containerPort")] = []
    env_from: list[EnvFromSource] = []
    env: Annotated[list[EnvVar], MergeKey("name")] = []
    resources: ResourceRequirements = msgspec.field(default_factory=ResourceRequirements)
    restart_policy: str | None = None
    volume_mounts: Annotated[list[VolumeMount], MergeKey("mountPath")] = []
    volume_devices: Annotated[list[VolumeDevice], MergeKey("devicePath")] = []
    liveness_probe: Probe | None = None
    readiness_probe: Probe | None = None
    startup_probe: Probe | None = None
    lifecycle: Lifecycle | None = None
    termination_message_path: str = ""
    termination_message_policy: str = ""
    image_pull_policy: str = ""
    security_context: SecurityContext | None = None
    stdin: bool = False
    stdin_once: bool = False
    tty: bool = False


class EphemeralContainer(Container):
    """A debugging container added to a running pod (`kubectl debug`)."""

    target_container_name: str = ""
