"""Validation of container environment: `env` entries and `envFrom` sources.

Names use Kubernetes' relaxed rule (printable ASCII other than '='). A `valueFrom` names exactly one
source and excludes `value`; field references are limited to the fields the downward API exposes
to environment variables (plus subscripted labels and annotations); resource references to the
container's cpu, memory and ephemeral-storage requests and limits (and huge pages). ConfigMap and
Secret references need a valid name and key. Messages and paths follow Kubernetes. Pure functions.
"""

from __future__ import annotations

import re

from kubelite.api.core.env import (
    ConfigMapKeySelector,
    EnvFromSource,
    EnvVar,
    EnvVarSource,
    ObjectFieldSelector,
    ResourceFieldSelector,
    SecretKeySelector,
)
from kubelite.api.errors import FieldError, invalid, not_supported, required
from kubelite.api.validation import names
from kubelite.api.validation.fields import messages

ENV_FIELD_PATHS = (
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
)
RESOURCE_FIELD_PATHS = (
    "limits.cpu",
    "limits.ephemeral-storage",
    "limits.memory",
    "requests.cpu",
    "requests.ephemeral-storage",
    "requests.memory",
)
_SUBSCRIPTED = re.compile(r"(metadata\.(?:labels|annotations))\['(.*)'\]")
_AT_MOST_ONE = "may not have more than one field specified at a time"
_ONE_OF = "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"


def validate_env(variables: list[EnvVar], path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    for index, variable in enumerate(variables):
        item = f"{path}[{index}]"
        if not variable.name:
            errors.append(required(f"{item}.name"))
        else:
            errors += messages(variable.name, f"{item}.name", names.is_env_var_name(variable.name))
        if variable.value_from is not None:
            errors += _value_from(variable.value_from, bool(variable.value), f"{item}.valueFrom")
    return errors


def _value_from(source: EnvVarSource, has_value: bool, path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    if source.field_ref is not None:
        errors += validate_field_ref(source.field_ref, ENV_FIELD_PATHS, f"{path}.fieldRef")
    if source.resource_field_ref is not None:
        errors += validate_resource_ref(source.resource_field_ref, f"{path}.resourceFieldRef")
    if source.config_map_key_ref is not None:
        errors += _key_ref(source.config_map_key_ref, f"{path}.configMapKeyRef")
    if source.secret_key_ref is not None:
        errors += _key_ref(source.secret_key_ref, f"{path}.secretKeyRef")
    count = sum(
        ref is not None
        for ref in (
            source.field_ref,
            source.resource_field_ref,
            source.config_map_key_ref,
            source.secret_key_ref,
        )
    )
    if count == 0:
        return [*errors, invalid("", path, _ONE_OF)]
    if has_value or count > 1:
        detail = "may not be specified when `value` is not empty" if has_value else _AT_MOST_ONE
        errors.append(invalid("", path, detail))
    return errors


def validate_field_ref(
    selector: ObjectFieldSelector, allowed: tuple[str, ...], path: str
) -> list[FieldError]:
    if not selector.field_path:
        return [required(f"{path}.fieldPath")]
    subscripted = _SUBSCRIPTED.fullmatch(selector.field_path)
    if subscripted:
        key = subscripted.group(2)
        key = key.lower() if subscripted.group(1).endswith("annotations") else key
        return messages(key, path, names.is_qualified_name(key))
    if selector.field_path not in allowed:
        return [not_supported(selector.field_path, f"{path}.fieldPath", allowed)]
    return []


def validate_resource_ref(selector: ResourceFieldSelector, path: str) -> list[FieldError]:
    resource = selector.resource
    if not resource:
        return [required(f"{path}.resource")]
    if resource in RESOURCE_FIELD_PATHS or resource.startswith(("requests.hugepages-", "limits.hugepages-")):
        return []
    return [not_supported(resource, f"{path}.resource", RESOURCE_FIELD_PATHS)]


def _key_ref(selector: ConfigMapKeySelector | SecretKeySelector, path: str) -> list[FieldError]:
    errors = messages(selector.name, f"{path}.name", names.subdomain_name(selector.name, False))
    if not selector.key:
        return [*errors, required(f"{path}.key")]
    return errors + messages(selector.key, f"{path}.key", names.is_config_map_key(selector.key))


def validate_env_from(sources: list[EnvFromSource], path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    for index, source in enumerate(sources):
        item = f"{path}[{index}]"
        if source.prefix:
            errors += messages(source.prefix, f"{item}.prefix", names.is_env_var_name(source.prefix))
        refs = [("configMapRef", source.config_map_ref), ("secretRef", source.secret_ref)]
        for name, ref in refs:
            if ref is None:
                continue
            if not ref.name:
                errors.append(required(f"{item}.{name}.name"))
            else:
                errors += messages(ref.name, f"{item}.{name}.name", names.subdomain_name(ref.name, True))
        count = sum(ref is not None for _, ref in refs)
        if count == 0:
            errors.append(invalid("", path, "must specify one of: `configMapRef` or `secretRef`"))
        elif count > 1:
            errors.append(invalid("", path, _AT_MOST_ONE))
    return errors
