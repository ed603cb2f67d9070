"""Decoded protobuf messages to Kubernetes' JSON shape.

`to_json(message, name)` walks the field specs of `schema` and returns what Kubernetes' JSON
encoding of the same Go object holds: camelCase keys, maps as objects, bytes as base64, Quantity as
its string, IntOrString as an int or a string, Time and MicroTime as RFC 3339 (a zero time is
absent, as `omitempty` leaves it in practice), embedded structs inlined. Empty repeated fields and
maps are absent, as are zero scalars unless the Go field is a pointer or lacks omitempty. A message
that is present is an object even when empty (`"spec": {}`), as Go writes struct fields. Pure.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from google.protobuf.message import Message

from kubelite.apiserver.http.protobuf.errors import ProtobufError
from kubelite.apiserver.http.protobuf.schema import SCHEMA, Field

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def to_json(message: Message, name: str) -> Any:
    """The JSON value of `message`, a `name` message; None means absent."""
    special = _SPECIAL.get(name)
    if special is not None:
        return special(message)
    out: dict[str, Any] = {}
    for field in SCHEMA.fields[name]:
        value = _field(message, field)
        if value is None:
            continue
        if field.inline:
            out.update(value)
        else:
            out[field.json] = value
    return out


def _field(message: Message, field: Field) -> Any:
    value = getattr(message, field.json)
    if field.map:
        items = {key: _item(item, field) for key, item in value.items()}
        return {key: item for key, item in items.items() if item is not None} or None
    if field.repeated:
        return [_item(item, field) for item in value] or None
    if not message.HasField(field.json):
        return None
    if field.scalar and not value and not field.keep_zero:
        return None
    return _item(value, field)


def _item(value: Any, field: Field) -> Any:
    if field.type == "bytes":
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, bytes):
        # protobuf hands over a proto2 string that is not UTF-8 as bytes; Go's JSON encoder
        # writes such bytes as U+FFFD, and so do we.
        return value.decode("utf-8", errors="replace")
    if field.scalar:
        return value
    return to_json(value, field.type)


def _time(message: Any) -> str | None:
    return _format_time(message, "%Y-%m-%dT%H:%M:%SZ")


def _micro_time(message: Any) -> str | None:
    return _format_time(message, "%Y-%m-%dT%H:%M:%S.%fZ")


def _format_time(message: Any, layout: str) -> str | None:
    if not message.seconds and not message.nanos:
        return None
    try:
        when = EPOCH + timedelta(seconds=message.seconds, microseconds=message.nanos // 1000)
    except OverflowError:
        raise ProtobufError(f"time out of range: {message.seconds} seconds") from None
    return when.strftime(layout)


def _int_or_string(message: Any) -> int | str:
    return str(message.strVal) if message.type == 1 else int(message.intVal)


def _raw_json(message: Any) -> Any:
    raw = getattr(message, "raw", None) or getattr(message, "Raw", b"")
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError as err:
        raise ProtobufError(f"embedded raw object is not JSON: {err}") from None


_SPECIAL: dict[str, Callable[[Any], Any]] = {
    "meta.Time": _time,
    "meta.MicroTime": _micro_time,
    "resource.Quantity": lambda message: str(message.string),
    "intstr.IntOrString": _int_or_string,
    "meta.FieldsV1": _raw_json,
    "runtime.RawExtension": _raw_json,
}
