"""Container environment: `env` entries with their `valueFrom` sources, and `envFrom` sources.

Selector references (`fieldRef`, `resourceFieldRef`, `configMapKeyRef`, `secretKeyRef`) are also
used by downward API volumes (`kubelite.api.core.volume`). Quantities (`divisor`) are strings.
"""

from __future__ import annotations

from kubelite.api.meta import Base


class ObjectFieldSelector(Base):
    """A field of the pod, e.g. `metadata.name` or `status.podIP` (apiVersion defaults to v1)."""

    field_path: str
    api_version: str = ""


class ResourceFieldSelector(Base):
    """A container's resource request or limit, e.g. `limits.memory`, scaled by `divisor`."""

    resource: str
    container_name: str = ""
    divisor: str = ""


class ConfigMapKeySelector(Base):
    key: str
    name: str = ""
    optional: bool | None = None


class SecretKeySelector(Base):
    key: str
    name: str = ""
    optional: bool | None = None


class EnvVarSource(Base):
    """Exactly one of the references is set (validation checks that)."""

    field_ref: ObjectFieldSelector | None = None
    resource_field_ref: ResourceFieldSelector | None = None
    config_map_key_ref: ConfigMapKeySelector | None = None
    secret_key_ref: SecretKeySelector | None = None


class EnvVar(Base):
    name: str
    value: str = ""
    value_from: EnvVarSource | None = None


class ConfigMapEnvSource(Base):
    name: str = ""
    optional: bool | None = None


class SecretEnvSource(Base):
    name: str = ""
    optional: bool | None = None


class EnvFromSource(Base):
    """Every key of a ConfigMap or Secret as an environment variable, optionally prefixed."""

    prefix: str = ""
    config_map_ref: ConfigMapEnvSource | None = None
    secret_ref: SecretEnvSource | None = None
