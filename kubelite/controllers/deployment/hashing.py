"""The `pod-template-hash` of a Deployment's pod template (DEP-8), pure and deterministic.

`template_hash(template, collision_count)`: 32-bit FNV-1a over the template's JSON with sorted keys
(upstream hashes a Go spew dump, so values differ from upstream's but are stable and change with
the template); a non-nil `collision_count` also feeds its little-endian uint32 and four zero bytes.
The decimal result is spelled in the safe alphabet, so the label matches `^[4-9bcdf]{1,10}$`.
`equal_ignoring_hash(a, b)`: templates equal once the `pod-template-hash` label is dropped (DEP-7).
"""

from __future__ import annotations

import msgspec

from kubelite.api.core import PodTemplateSpec
from kubelite.controllers.deployment.model import HASH_LABEL

_FNV_OFFSET = 0x811C9DC5
_FNV_PRIME = 0x01000193
_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


def fnv1a32(data: bytes, value: int = _FNV_OFFSET) -> int:
    for byte in data:
        value = ((value ^ byte) * _FNV_PRIME) & 0xFFFFFFFF
    return value


def safe_encode(text: str) -> str:
    return "".join(_ALPHABET[ord(c) % len(_ALPHABET)] for c in text)


def template_hash(template: PodTemplateSpec, collision_count: int | None = None) -> str:
    value = fnv1a32(msgspec.json.encode(template, order="sorted"))
    if collision_count is not None:
        value = fnv1a32((collision_count & 0xFFFFFFFF).to_bytes(4, "little") + bytes(4), value)
    return safe_encode(str(value))


def without_hash(template: PodTemplateSpec) -> PodTemplateSpec:
    labels = template.metadata.labels
    if HASH_LABEL not in labels:
        return template
    kept = {k: v for k, v in labels.items() if k != HASH_LABEL}
    return msgspec.structs.replace(template, metadata=msgspec.structs.replace(template.metadata, labels=kept))


def equal_ignoring_hash(a: PodTemplateSpec, b: PodTemplateSpec) -> bool:
    return without_hash(a) == without_hash(b)
