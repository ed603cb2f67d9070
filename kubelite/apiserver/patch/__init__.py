"""The three patch formats of the Kubernetes API, applied to JSON-shaped objects.

`apply_patch(doc, patch, content_type, schema)` is what the apiserver calls for PATCH: `doc` is the
stored object as builtins (dict / list / str / int / float / bool / None), `patch` the request
body — bytes (or str) of JSON, or an already decoded value (a dict, a list, or a Struct, which is
converted to builtins first) — and `schema` the msgspec Struct class of the object, which strategic
merge patch needs for its merge rules. The result is a new document; `doc` and `patch` are never
mutated, and the result may share untouched subtrees with `doc`.

| content type (parameters such as `; charset=utf-8` are ignored) | module |
|---|---|
| `application/merge-patch+json` (RFC 7386) | `kubelite.apiserver.patch.merge` |
| `application/json-patch+json` (RFC 6902) | `kubelite.apiserver.patch.jsonpatch` |
| `application/strategic-merge-patch+json` | `kubelite.apiserver.patch.strategic` |

Errors:
- a body that is not JSON, or of the wrong shape (a merge or strategic patch that is not an object,
  a JSON patch that is not a list of well-formed operations, malformed directives) → BadRequest 400;
- a JSON patch that does not apply (missing path, failed `test`) → Invalid 422;
- any other content type (server-side apply's `application/apply-patch+yaml` included), or a
  strategic merge patch without a schema → UnsupportedMediaType 415.
"""

from __future__ import annotations

from typing import Any

import msgspec

from kubelite.api.errors import BadRequest, UnsupportedMediaType
from kubelite.apiserver.patch.jsonpatch import apply_json_patch, parse_json_patch
from kubelite.apiserver.patch.merge import create_merge_patch, merge_patch
from kubelite.apiserver.patch.strategic import strategic_merge

JSON_PATCH = "application/json-patch+json"
MERGE_PATCH = "application/merge-patch+json"
APPLY_PATCH = "application/apply-patch+yaml"
STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json"

ACCEPTED_MEDIA_TYPES = (JSON_PATCH, MERGE_PATCH, APPLY_PATCH, STRATEGIC_MERGE_PATCH)
"""The media types Kubernetes lists as accepted for PATCH (apply is served elsewhere, if at all)."""

__all__ = [
    "ACCEPTED_MEDIA_TYPES",
    "APPLY_PATCH",
    "JSON_PATCH",
    "MERGE_PATCH",
    "STRATEGIC_MERGE_PATCH",
    "apply_json_patch",
    "apply_patch",
    "create_merge_patch",
    "merge_patch",
    "parse_json_patch",
    "strategic_merge",
    "unsupported_media_type",
]


def apply_patch(
    doc: dict[str, Any], patch: bytes | Any, content_type: str, schema: type | None
) -> dict[str, Any]:
    """The document after applying a PATCH body of the given content type."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type not in (JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH):
        raise unsupported_media_type()
    body = decode_body(patch)
    if media_type == JSON_PATCH:
        return _as_object(apply_json_patch(doc, parse_json_patch(body)))
    if not isinstance(body, dict):
        raise BadRequest(f"a {media_type} body must be a JSON object")
    if media_type == MERGE_PATCH:
        return _as_object(merge_patch(doc, body))
    if not (isinstance(schema, type) and issubclass(schema, msgspec.Struct)):
        raise UnsupportedMediaType("strategic merge patch is not supported for this resource")
    return strategic_merge(doc, body, schema)


def unsupported_media_type() -> UnsupportedMediaType:
    """The 415 Kubernetes answers for a PATCH body in a format it does not take."""
    accepted = ", ".join(ACCEPTED_MEDIA_TYPES)
    return UnsupportedMediaType(
        f"the body of the request was in an unknown format - accepted media types include: {accepted}"
    )


def decode_body(patch: bytes | Any) -> Any:
    """A private builtins copy of a patch body (JSON text is parsed; BadRequest if it is not JSON)."""
    if isinstance(patch, bytes | bytearray | memoryview | str):
        try:
            return msgspec.json.decode(patch)
        except msgspec.DecodeError as err:
            raise BadRequest(f"the patch body is not valid JSON: {err}") from err
    try:
        return msgspec.to_builtins(patch)
    except TypeError as err:
        raise BadRequest(f"the patch body is not JSON-shaped: {err}") from err


def _as_object(result: Any) -> dict[str, Any]:
    if not isinstance(result, dict):
        raise BadRequest("the patched document is not a JSON object")
    return result
