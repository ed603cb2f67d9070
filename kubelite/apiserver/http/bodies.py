"""Request bodies: JSON, YAML and Kubernetes protobuf, decoded into JSON-shaped values.

`decode_object(body, content_type)` returns the mapping a create, update, subresource POST or
DeleteOptions body holds. No Content-Type means JSON (kubectl's `PUT .../scale` sends none).
Malformed JSON or YAML, or a body that is not an object, is a 400 BadRequest; a media type the
server does not take is a 415 UnsupportedMediaType; protobuf bodies go through
`kubelite.apiserver.http.protobuf.decode` (its `ProtobufError` is a 400, or a 415 for a kind it does
not know). YAML is read with the safe loader minus its timestamp rule, so times stay RFC 3339
strings as in JSON.
"""

from __future__ import annotations

import importlib
from typing import Any

import msgspec
import yaml

from kubelite.api.errors import BadRequest, UnsupportedMediaType

JSON = "application/json"
YAML = "application/yaml"
PROTOBUF = "application/vnd.kubernetes.protobuf"
APPLY_PATCH = "application/apply-patch+yaml"
MEDIA_TYPES = (JSON, YAML, PROTOBUF)


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps timestamps as strings."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def media_type(content_type: str | None) -> str:
    """The bare, lower-case media type; JSON when none was sent."""
    bare = (content_type or "").split(";", 1)[0].strip().lower()
    return bare or JSON


def unsupported(bare: str) -> UnsupportedMediaType:
    accepted = ", ".join(MEDIA_TYPES)
    return UnsupportedMediaType(
        f'the body of the request was in an unknown format "{bare}" - accepted media types include: '
        f"{accepted}"
    )


def decode_value(body: bytes, content_type: str | None) -> Any:
    bare = media_type(content_type)
    if bare == JSON:
        return _json(body)
    if bare in (YAML, APPLY_PATCH):
        return _yaml(body)
    if bare == PROTOBUF:
        return _protobuf(body)
    raise unsupported(bare)


def decode_object(body: bytes, content_type: str | None) -> dict[str, Any]:
    value = decode_value(body, content_type)
    if not isinstance(value, dict):
        raise BadRequest(f"the request body must be an object, got {_json_type(value)}")
    return value


def _json(body: bytes) -> Any:
    try:
        return msgspec.json.decode(body)
    except msgspec.DecodeError as err:
        raise BadRequest(f"couldn't get version/kind; json parse error: {err}") from None


def _yaml(body: bytes) -> Any:
    try:
        return yaml.load(body, Loader=_Loader)
    except yaml.YAMLError as err:
        raise BadRequest(f"error converting YAML to JSON: {err}") from None


def _protobuf(body: bytes) -> Any:
    try:
        module = importlib.import_module("kubelite.apiserver.http.protobuf")
    except ModuleNotFoundError:
        raise unsupported(PROTOBUF) from None
    try:
        return module.decode(body)
    except module.ProtobufError as err:
        if err.unknown_kind:
            raise UnsupportedMediaType(f"unable to decode protobuf body: {err}") from None
        raise BadRequest(f"unable to decode protobuf body: {err}") from None


def _json_type(value: Any) -> str:
    if isinstance(value, list):
        return "an array"
    if value is None:
        return "null"
    return type(value).__name__
