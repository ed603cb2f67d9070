"""A container's environment: `env` and `envFrom`, resolved against ConfigMaps, Secrets and the pod.

Contract: `resolve_env(container, pod, sources)` returns the `KEY=value` pairs in Kubernetes'
order (`envFrom` first, then `env`, later entries overriding earlier ones; `$(VAR)` references to
earlier variables expanded, `$$` escaping). A missing ConfigMap, Secret or key that is not
`optional` raises `ConfigError` with the kubelet's message (`configmap "x" not found`), which the
pod worker reports as `CreateContainerConfigError`. Secret values are base64 in the API and are
decoded here. Supported `fieldRef`s: metadata.name, metadata.namespace, metadata.uid,
metadata.labels['k'], metadata.annotations['k'], spec.nodeName, spec.serviceAccountName,
status.podIP, status.hostIP.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Awaitable, Callable

from kubelite.api.core import ConfigMap, Container, EnvVar, Pod, Secret

Fetch = Callable[[str, str], Awaitable[ConfigMap | Secret | None]]
"""`fetch(kind, name)` with kind "configmap" or "secret": the object in the pod's namespace or None."""

_REFERENCE = re.compile(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")


class ConfigError(Exception):
    """A container cannot be configured (missing ConfigMap, Secret or key)."""


def data_of(obj: ConfigMap | Secret) -> dict[str, str]:
    if isinstance(obj, Secret):
        decoded = {key: base64.b64decode(value).decode("utf-8", "replace") for key, value in obj.data.items()}
        decoded.update(obj.string_data)
        return decoded
    return dict(obj.data)


def expand(text: str, env: dict[str, str]) -> str:
    """`$(VAR)` → its value when defined earlier (left as written otherwise); `$$` → `$`."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return "$"
        return env.get(name, match.group(0))

    return _REFERENCE.sub(replace, text)


def field_value(pod: Pod, path: str) -> str:
    meta = pod.metadata
    simple = {
        "metadata.name": meta.name,
        "metadata.namespace": meta.namespace,
        "metadata.uid": meta.uid,
        "spec.nodeName": pod.spec.node_name,
        "spec.serviceAccountName": pod.spec.service_account_name,
        "status.podIP": pod.status.pod_ip,
        "status.hostIP": pod.status.host_ip,
    }
    if path in simple:
        return simple[path]
    match = re.fullmatch(r"metadata\.(labels|annotations)\['([^']+)'\]", path)
    if match:
        table = meta.labels if match.group(1) == "labels" else meta.annotations
        return table.get(match.group(2), "")
    raise ConfigError(f"unsupported fieldRef path {path!r}")


async def _lookup(fetch: Fetch, kind: str, name: str, optional: bool) -> dict[str, str] | None:
    found = await fetch(kind, name)
    if found is None:
        if optional:
            return None
        raise ConfigError(f'{kind} "{name}" not found')
    return data_of(found)


async def _value_of(var: EnvVar, pod: Pod, fetch: Fetch, env: dict[str, str]) -> str | None:
    source = var.value_from
    if source is None:
        return expand(var.value, env)
    if source.field_ref is not None:
        return field_value(pod, source.field_ref.field_path)
    for kind, ref in (("configmap", source.config_map_key_ref), ("secret", source.secret_key_ref)):
        if ref is None:
            continue
        data = await _lookup(fetch, kind, ref.name, bool(ref.optional))
        if data is None:
            return None
        if ref.key not in data:
            if ref.optional:
                return None
            where = f"{_title(kind)} {pod.metadata.namespace}/{ref.name}"
            raise ConfigError(f"couldn't find key {ref.key} in {where}")
        return data[ref.key]
    return ""  # resourceFieldRef: not modelled; an empty value


def _title(kind: str) -> str:
    return "ConfigMap" if kind == "configmap" else "Secret"


async def resolve_env(container: Container, pod: Pod, fetch: Fetch) -> list[tuple[str, str]]:
    env: dict[str, str] = {}
    for source in container.env_from:
        for kind, ref in (("configmap", source.config_map_ref), ("secret", source.secret_ref)):
            if ref is None:
                continue
            data = await _lookup(fetch, kind, ref.name, bool(ref.optional))
            for key, value in (data or {}).items():
                env[source.prefix + key] = value
    for var in container.env:
        resolved = await _value_of(var, pod, fetch, env)
        if resolved is not None:
            env[var.name] = resolved
    return list(env.items())
