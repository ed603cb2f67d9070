"""Turning request input into private typed objects, and objects into stored bytes.

Contract:
- `to_typed(info, obj, warnings, strict)` accepts a Struct of the resource's type or a JSON-shaped
  mapping and returns a new Struct that nobody else references (the caller may mutate it). Wrong
  types → 400 BadRequest in Kubernetes' wording. A JSON `null` is an unset field, as in Kubernetes
  (`"ownerReferences": null`, `"labels": null`); input without such nulls pays nothing for this.
  Unknown fields in a mapping are dropped with a warning `unknown field "spec.foo"`, or rejected
  with 400 under strict field validation.
- `encode(obj)` is deterministic (map keys sorted, struct fields in declaration order), so two
  equal objects always encode to equal bytes; the apiserver relies on that to detect no-op writes.
- `decode(cls, data)` builds a fresh object from stored bytes.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any, TypeVar, cast

import msgspec
import msgspec.inspect as mi

from kubelite.api.errors import BadRequest
from kubelite.api.meta import Object

T = TypeVar("T", bound=msgspec.Struct)

_ENCODER = msgspec.json.Encoder(order="deterministic")


def encode(obj: msgspec.Struct) -> bytes:
    return _ENCODER.encode(obj)


@functools.cache
def _decoder(cls: type[T]) -> msgspec.json.Decoder[T]:
    return msgspec.json.Decoder(cls)


def decode(cls: type[T], data: bytes) -> T:
    return cast(T, _decoder(cls).decode(data))


def to_builtins(obj: msgspec.Struct) -> dict[str, Any]:
    """The JSON-shaped form of an object (what a patch operates on)."""
    result = msgspec.to_builtins(obj)
    assert isinstance(result, dict)
    return result


def undecodable(kind: str, version: str, why: str) -> BadRequest:
    return BadRequest(f'{kind} in version "{version}" cannot be handled as a {kind}: {why}')


def to_typed(cls: type[T], kind: str, version: str, obj: object, warnings: list[str], strict: bool) -> T:
    """A private typed copy of `obj` (a `cls` instance or a JSON-shaped mapping)."""
    if isinstance(obj, cls):
        try:
            return decode(cls, encode(obj))
        except (msgspec.ValidationError, msgspec.DecodeError, TypeError) as err:
            raise undecodable(kind, version, str(err)) from err
    if isinstance(obj, msgspec.Struct):
        raise BadRequest(f"expected a {kind} object, got {type(obj).__name__}")
    if not isinstance(obj, Mapping):
        raise BadRequest(f"expected a JSON object for {kind}, got {type(obj).__name__}")
    unknown = unknown_fields(obj, cls)
    if unknown and strict:
        listed = ", ".join(f'unknown field "{path}"' for path in unknown)
        raise BadRequest(f"strict decoding error: {listed}")
    warnings.extend(f'unknown field "{path}"' for path in unknown)
    try:
        return msgspec.convert(obj, cls, strict=True)
    except msgspec.ValidationError as err:
        first = err
    try:  # JSON null means "unset" to Kubernetes' decoder, for lists and maps as for anything else
        return msgspec.convert(without_nulls(obj), cls, strict=True)
    except msgspec.ValidationError:
        raise undecodable(kind, version, str(first)) from first


def without_nulls(data: Any) -> Any:
    """`data` with every mapping entry whose value is None left out, at any depth."""
    if isinstance(data, Mapping):
        return {key: without_nulls(value) for key, value in data.items() if value is not None}
    if isinstance(data, list):
        return [without_nulls(item) for item in data]
    return data


def unknown_fields(data: Mapping[str, Any], cls: type[msgspec.Struct]) -> list[str]:
    """Sorted dotted paths of keys in `data` that `cls` has no field for (Kubernetes' warnings)."""
    found: list[str] = []
    _walk(data, _type_info(cls), "", found)
    return sorted(found)


@functools.cache
def _type_info(cls: type[msgspec.Struct]) -> mi.Type:
    """`msgspec.inspect.type_info` is slow (tens of ms for a Pod); a type's info never changes."""
    return mi.type_info(cls)


def _walk(data: Any, info: mi.Type, path: str, found: list[str]) -> None:
    if isinstance(info, mi.StructType) and isinstance(data, Mapping):
        _walk_struct(data, info, path, found)
    elif isinstance(info, mi.ListType) and isinstance(data, list):
        for index, item in enumerate(data):
            _walk(item, info.item_type, f"{path}[{index}]", found)
    elif isinstance(info, mi.DictType) and isinstance(data, Mapping):
        for key, value in data.items():
            _walk(value, info.value_type, f"{path}.{key}" if path else str(key), found)
    elif isinstance(info, mi.UnionType):
        for member in info.types:
            if isinstance(member, mi.StructType | mi.ListType | mi.DictType):
                _walk(data, member, path, found)
                return
    elif isinstance(info, mi.Metadata):
        _walk(data, info.type, path, found)


def _walk_struct(data: Mapping[str, Any], info: mi.StructType, path: str, found: list[str]) -> None:
    fields = _field_map(info)
    for key, value in data.items():
        child = f"{path}.{key}" if path else str(key)
        if key in fields:
            _walk(value, fields[key], child, found)
        elif key != info.tag_field:
            found.append(child)


_FIELD_MAPS: dict[int, tuple[mi.StructType, dict[str, mi.Type]]] = {}


def _field_map(info: mi.StructType) -> dict[str, mi.Type]:
    """Encoded name → type of each field; cached per (cached, hence long-lived) StructType."""
    cached = _FIELD_MAPS.get(id(info))
    if cached is None or cached[0] is not info:
        cached = (info, {field.encode_name: field.type for field in info.fields})
        _FIELD_MAPS[id(info)] = cached
    return cached[1]


def is_object_type(cls: type) -> bool:
    return isinstance(cls, type) and issubclass(cls, Object)
