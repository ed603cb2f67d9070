"""Validation of a pod's containers and init containers.

Every container needs a DNS-1123-label name unique across containers and init containers, and an
image; ports are 1–65535 with protocol TCP, UDP or SCTP and unique names; host ports may not clash
(`protocol/hostIP/port`); env, mounts, resources, probes (KUB-9) and pull policy are checked by
their modules. Regular containers may not set `restartPolicy`; init containers may only set it to
`Always` (sidecars), and only sidecars may have probes or lifecycle hooks. Empty enum-like fields
that defaulting fills in (`protocol`, `imagePullPolicy`, `terminationMessagePolicy`) are accepted.
Paths and messages follow Kubernetes. Pure functions.
"""

from __future__ import annotations

from kubelite.api.core.container import Container, ContainerPort
from kubelite.api.errors import FieldError, duplicate, forbidden, invalid, not_supported, required
from kubelite.api.validation import names
from kubelite.api.validation.env import validate_env, validate_env_from
from kubelite.api.validation.fields import messages
from kubelite.api.validation.probes import (
    validate_lifecycle,
    validate_liveness_probe,
    validate_readiness_probe,
    validate_startup_probe,
)
from kubelite.api.validation.resources import validate_resources
from kubelite.api.validation.volumes import validate_volume_mounts

PROTOCOLS = ("SCTP", "TCP", "UDP")
PULL_POLICIES = ("Always", "IfNotPresent", "Never")
MESSAGE_POLICIES = ("File", "FallbackToLogsOnError")
_INIT_ONLY_SIDECAR = "may not be set for init containers without restartPolicy=Always"


def validate_containers(containers: list[Container], volumes: set[str], path: str) -> list[FieldError]:
    if not containers:
        return [required(path)]
    errors: list[FieldError] = []
    seen: set[str] = set()
    for index, container in enumerate(containers):
        item = f"{path}[{index}]"
        errors += _common(container, volumes, item)
        if container.name in seen:
            errors.append(duplicate(container.name, f"{item}.name"))
        seen.add(container.name)
        errors += _probes_and_hooks(container, item)
        if container.restart_policy is not None:
            errors.append(forbidden(f"{item}.restartPolicy", "may not be set for non-init containers"))
    return errors + _host_port_conflicts(containers, path)


def validate_init_containers(
    containers: list[Container], regular: list[Container], volumes: set[str], path: str
) -> list[FieldError]:
    errors: list[FieldError] = []
    seen = {container.name for container in regular}
    for index, container in enumerate(containers):
        item = f"{path}[{index}]"
        errors += _common(container, volumes, item)
        sidecar = container.restart_policy == "Always"
        if container.restart_policy is not None and not sidecar:
            errors.append(not_supported(container.restart_policy, f"{item}.restartPolicy", ("Always",)))
        if container.name in seen:
            errors.append(duplicate(container.name, f"{item}.name"))
        elif container.name:
            seen.add(container.name)
        errors += _host_port_conflicts([container], path)
        errors += _probes_and_hooks(container, item) if sidecar else _no_probes(container, item)
    return errors


def _common(container: Container, volumes: set[str], path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    if not container.name:
        errors.append(required(f"{path}.name"))
    else:
        errors += messages(container.name, f"{path}.name", names.is_dns1123_label(container.name))
    if not container.image:
        errors.append(required(f"{path}.image"))
    policy = container.termination_message_policy
    if policy and policy not in MESSAGE_POLICIES:
        errors.append(not_supported(policy, f"{path}.terminationMessagePolicy", MESSAGE_POLICIES))
    errors += validate_ports(container.ports, f"{path}.ports")
    errors += validate_env(container.env, f"{path}.env")
    errors += validate_env_from(container.env_from, f"{path}.envFrom")
    errors += validate_volume_mounts(container.volume_mounts, volumes, f"{path}.volumeMounts")
    pull = container.image_pull_policy
    if pull and pull not in PULL_POLICIES:
        errors.append(not_supported(pull, f"{path}.imagePullPolicy", PULL_POLICIES))
    return errors + validate_resources(container.resources, f"{path}.resources")


def validate_ports(ports: list[ContainerPort], path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    port_names: set[str] = set()
    for index, port in enumerate(ports):
        item = f"{path}[{index}]"
        if port.name:
            problems = names.is_valid_port_name(port.name)
            if problems:
                errors += messages(port.name, f"{item}.name", problems)
            elif port.name in port_names:
                errors.append(duplicate(port.name, f"{item}.name"))
            port_names.add(port.name)
        if port.container_port == 0:
            errors.append(required(f"{item}.containerPort"))
        else:
            errors += messages(
                port.container_port, f"{item}.containerPort", names.is_valid_port_num(port.container_port)
            )
        if port.host_port != 0:
            errors += messages(port.host_port, f"{item}.hostPort", names.is_valid_port_num(port.host_port))
        if port.protocol and port.protocol not in PROTOCOLS:
            errors.append(not_supported(port.protocol, f"{item}.protocol", PROTOCOLS))
    return errors


def _probes_and_hooks(container: Container, path: str) -> list[FieldError]:
    errors = validate_lifecycle(container.lifecycle, f"{path}.lifecycle")
    errors += validate_liveness_probe(container.liveness_probe, f"{path}.livenessProbe")
    errors += validate_readiness_probe(container.readiness_probe, f"{path}.readinessProbe")
    return errors + validate_startup_probe(container.startup_probe, f"{path}.startupProbe")


def _no_probes(container: Container, path: str) -> list[FieldError]:
    fields = (
        ("lifecycle", container.lifecycle),
        ("livenessProbe", container.liveness_probe),
        ("readinessProbe", container.readiness_probe),
        ("startupProbe", container.startup_probe),
    )
    return [forbidden(f"{path}.{name}", _INIT_ONLY_SIDECAR) for name, value in fields if value is not None]


def _host_port_conflicts(containers: list[Container], path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    taken: set[str] = set()
    for index, container in enumerate(containers):
        for port_index, port in enumerate(container.ports):
            if port.host_port == 0:
                continue
            key = f"{port.protocol or 'TCP'}/{port.host_ip}/{port.host_port}"
            if key in taken:
                errors.append(duplicate(key, f"{path}[{index}].ports[{port_index}].hostPort"))
            taken.add(key)
    return errors


def image_whitespace_errors(containers: list[Container], path: str) -> list[FieldError]:
    """Pod-only (not template) rule: an image may not have leading or trailing whitespace."""
    detail = "must not have leading or trailing whitespace"
    return [
        invalid(c.image, f"{path}[{i}].image", detail)
        for i, c in enumerate(containers)
        if c.image != c.image.strip()
    ]
