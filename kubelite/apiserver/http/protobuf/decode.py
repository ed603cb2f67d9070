"""Whole protobuf request bodies to JSON-shaped objects.

A Kubernetes protobuf body is the 4-byte magic `k8s\\x00` followed by a runtime.Unknown: its
typeMeta (apiVersion, kind), the object's own message bytes in `raw`, and empty contentEncoding and
contentType. `decode(body)` returns the object as Kubernetes' JSON would have it, with `apiVersion`
and `kind` set from the envelope; any other input raises `ProtobufError` saying what is wrong.
"""

from __future__ import annotations

from typing import Any

from google.protobuf.message import DecodeError

from kubelite.apiserver.http.protobuf.errors import ProtobufError
from kubelite.apiserver.http.protobuf.kinds import message_for
from kubelite.apiserver.http.protobuf.schema import SCHEMA
from kubelite.apiserver.http.protobuf.tojson import to_json

MAGIC = b"k8s\x00"


def decode(body: bytes) -> dict[str, Any]:
    """The object a `k8s\\x00` + runtime.Unknown body holds, in Kubernetes' JSON shape."""
    if not body.startswith(MAGIC):
        raise ProtobufError("the body does not start with the Kubernetes protobuf prefix k8s\\x00")
    envelope = _parse("runtime.Unknown", body[len(MAGIC) :], "the runtime.Unknown envelope")
    api_version, kind = _type_meta(envelope)
    name = message_for(api_version, kind)
    obj = _parse(name, bytes(envelope.raw), f"the {kind} object")
    try:
        fields = to_json(obj, name)
    except UnicodeDecodeError as err:
        raise ProtobufError(f"the {kind} object holds a string that is not UTF-8: {err}") from None
    return {"apiVersion": api_version, "kind": kind, **fields}


def _type_meta(envelope: Any) -> tuple[str, str]:
    encoding = envelope.contentEncoding
    content_type = envelope.contentType
    if encoding:
        raise ProtobufError(f'unsupported content encoding "{encoding}" in the envelope')
    if content_type not in ("", "application/vnd.kubernetes.protobuf"):
        raise ProtobufError(f'unsupported content type "{content_type}" in the envelope')
    meta = envelope.typeMeta
    if not meta.kind:
        raise ProtobufError("the envelope names no kind (typeMeta.kind is empty)")
    return str(meta.apiVersion), str(meta.kind)


def _parse(name: str, data: bytes, what: str) -> Any:
    message = SCHEMA.new(name)
    try:
        message.ParseFromString(data)
    except (DecodeError, RuntimeError) as err:
        raise ProtobufError(f"malformed protobuf in {what}: {err}") from None
    return message
