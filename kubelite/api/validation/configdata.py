"""Validation of ConfigMaps and Secrets.

Both: a DNS-1123 subdomain name; data keys match `[-._a-zA-Z0-9]+` (≤ 253 characters, not `.`,
`..` or `..x`), reported as `data[<key>]`; the payload is at most 1 MiB; once `immutable: true`
is stored, `immutable`, `data` (and `binaryData`) may not change. ConfigMap keys may not appear in
both `data` and `binaryData`. Secrets of the well-known types need their keys
(`kubernetes.io/tls` → `tls.crt` and `tls.key`, …) and their `type` never changes. Secret data
values are base64 text here; sizes are measured decoded. Pure functions.
"""

from __future__ import annotations

from kubelite.api.core.configmap import ConfigMap, Secret
from kubelite.api.errors import FieldError, forbidden, invalid, required, too_long
from kubelite.api.validation import names
from kubelite.api.validation.fields import immutable, messages
from kubelite.api.validation.objectmeta import validate_object_meta

MAX_SIZE = 1024 * 1024
_REQUIRED_KEYS: dict[str, tuple[str, ...]] = {
    "kubernetes.io/dockercfg": (".dockercfg",),
    "kubernetes.io/dockerconfigjson": (".dockerconfigjson",),
    "kubernetes.io/ssh-auth": ("ssh-privatekey",),
    "kubernetes.io/tls": ("tls.crt", "tls.key"),
}
_FROZEN = "field is immutable when `immutable` is set"


def _keys(data: dict[str, str], field: str) -> list[FieldError]:
    errors: list[FieldError] = []
    for key in sorted(data):
        errors += messages(key, f"{field}[{key}]", names.is_config_map_key(key))
    return errors


def validate_config_map(config_map: ConfigMap) -> list[FieldError]:
    errors = validate_object_meta(config_map.metadata, namespaced=True, name_fn=names.subdomain_name)
    errors += _keys(config_map.data, "data")
    for key in sorted(config_map.data.keys() & config_map.binary_data.keys()):
        errors.append(invalid(key, f"data[{key}]", "duplicate of key present in binaryData"))
    errors += _keys(config_map.binary_data, "binaryData")
    size = sum(len(v.encode()) for v in config_map.data.values())
    size += sum(_decoded_size(v) for v in config_map.binary_data.values())
    if size > MAX_SIZE:
        errors.append(too_long("", "", MAX_SIZE))
    return errors


def validate_config_map_update(new: ConfigMap, old: ConfigMap) -> list[FieldError]:
    if not old.immutable:
        return []
    errors: list[FieldError] = []
    if not new.immutable:
        errors.append(forbidden("immutable", _FROZEN))
    if new.data != old.data:
        errors.append(forbidden("data", _FROZEN))
    if new.binary_data != old.binary_data:
        errors.append(forbidden("binaryData", _FROZEN))
    return errors


def validate_secret(secret: Secret) -> list[FieldError]:
    errors = validate_object_meta(secret.metadata, namespaced=True, name_fn=names.subdomain_name)
    errors += _keys(secret.data, "data")
    errors += _keys(secret.string_data, "stringData")
    size = sum(_decoded_size(v) for v in secret.data.values())
    size += sum(len(v.encode()) for v in secret.string_data.values())
    if size > MAX_SIZE:
        errors.append(too_long("", "data", MAX_SIZE))
    return errors + _secret_type(secret)


def _secret_type(secret: Secret) -> list[FieldError]:
    present = secret.data.keys() | secret.string_data.keys()
    if secret.type == "kubernetes.io/service-account-token":
        annotation = "kubernetes.io/service-account.name"
        if secret.metadata.annotations.get(annotation):
            return []
        return [required(f"metadata.annotations[{annotation}]")]
    if secret.type == "kubernetes.io/basic-auth":
        if present & {"username", "password"}:
            return []
        return [required("data[username]"), required("data[password]")]
    needed = _REQUIRED_KEYS.get(secret.type, ())
    return [required(f"data[{key}]") for key in needed if key not in present]


def validate_secret_update(new: Secret, old: Secret) -> list[FieldError]:
    errors = immutable(new.type, old.type, "type")
    if old.immutable:
        if not new.immutable:
            errors.append(forbidden("immutable", _FROZEN))
        if new.data != old.data:
            errors.append(forbidden("data", _FROZEN))
    return errors


def _decoded_size(text: str) -> int:
    """Bytes encoded by a base64 string (without decoding it)."""
    stripped = text.rstrip("=")
    return len(stripped) * 3 // 4
