"""JSON-shaped objects to Kubernetes protobuf bodies: the inverse of `decode`.

`encode(obj)` writes `k8s\\x00` + runtime.Unknown around the object's message, for the kinds
`kinds` knows. Keys the schema does not know are dropped; values must have the JSON types Kubernetes
uses (a wrong type raises `ProtobufError`). Scalars are written whenever present, so a zero a
pointer field holds survives. Tests build golden and random bodies with it; responses stay JSON.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from google.protobuf.message import Message

from kubelite.apiserver.http.protobuf.errors import ProtobufError
from kubelite.apiserver.http.protobuf.kinds import message_for
from kubelite.apiserver.http.protobuf.schema import SCHEMA, Field
from kubelite.apiserver.http.protobuf.tojson import EPOCH

MAGIC = b"k8s\x00"


def encode(obj: Mapping[str, Any]) -> bytes:
    """The protobuf request body kubectl would send for `obj` (which names apiVersion and kind)."""
    api_version, kind = str(obj.get("apiVersion", "")), str(obj.get("kind", ""))
    name = message_for(api_version, kind)
    envelope = SCHEMA.new("runtime.Unknown")
    meta = envelope.typeMeta
    meta.apiVersion, meta.kind = api_version, kind
    envelope.raw = to_message(obj, name).SerializeToString()
    raw: bytes = envelope.SerializeToString()
    return MAGIC + raw


def to_message(value: Any, name: str) -> Message:
    """A `name` message holding the JSON `value`."""
    message: Message = SCHEMA.new(name)
    fill(message, value, name)
    return message


def fill(message: Message, value: Any, name: str) -> None:
    special = _SPECIAL.get(name)
    if special is not None:
        special(message, value)
        return
    if not isinstance(value, Mapping):
        raise ProtobufError(f"{name} must be an object, got {type(value).__name__}")
    message.SetInParent()
    for field in SCHEMA.fields[name]:
        if field.inline:
            fill(getattr(message, field.json), value, field.type)
        elif value.get(field.json) is not None:
            _set(message, field, value[field.json])


def _set(message: Message, field: Field, value: Any) -> None:
    target = getattr(message, field.json)
    try:
        if field.map:
            _set_map(target, field, value)
        elif field.repeated and field.scalar:
            target.extend(_scalar(field, item) for item in value)
        elif field.repeated:
            for item in value:
                fill(target.add(), item, field.type)
        elif field.scalar:
            setattr(message, field.json, _scalar(field, value))
        else:
            fill(target, value, field.type)
    except (TypeError, ValueError) as err:
        raise ProtobufError(f"{field.json}: {err}") from None


def _set_map(target: Any, field: Field, value: Mapping[str, Any]) -> None:
    for key, item in value.items():
        if field.scalar:
            target[key] = _scalar(field, item)
        else:
            fill(target[key], item, field.type)


def _scalar(field: Field, value: Any) -> Any:
    if field.type == "bytes":
        return base64.b64decode(value, validate=True)
    return value


def _time(message: Any, value: Any) -> None:
    when = datetime.fromisoformat(str(value).replace("Z", "+00:00")) - EPOCH
    message.seconds = when.days * 86400 + when.seconds
    message.nanos = when.microseconds * 1000


def _int_or_string(message: Any, value: Any) -> None:
    if isinstance(value, str):
        message.type, message.strVal = 1, value
    else:
        message.type, message.intVal = 0, value


def _raw(attribute: str) -> Callable[[Any, Any], None]:
    def write(message: Any, value: Any) -> None:
        setattr(message, attribute, json.dumps(value, separators=(",", ":")).encode())

    return write


def _quantity(message: Any, value: Any) -> None:
    message.string = str(value)


_SPECIAL: dict[str, Callable[[Any, Any], None]] = {
    "meta.Time": _time,
    "meta.MicroTime": _time,
    "resource.Quantity": _quantity,
    "intstr.IntOrString": _int_or_string,
    "meta.FieldsV1": _raw("Raw"),
    "runtime.RawExtension": _raw("raw"),
}
