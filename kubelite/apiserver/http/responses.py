"""Response bodies: objects, lists and Tables as JSON, with the request's warnings as headers.

`wants_table(accept)` reads kubectl's Table Accept (`application/json;as=Table;v=v1;g=meta.k8s.io`,
v1 or v1beta1) in the order given; a Table reply carries that media type as its Content-Type.
Lists are `{kind: <Kind>List, apiVersion, metadata: {resourceVersion}, items}` with each item's
own `kind` and `apiVersion`. Warnings go out as `Warning: 299 - "<text>"` headers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec
from aiohttp import web

from kubelite.api.meta import Object
from kubelite.api.registry import ResourceInfo

JSON = "application/json"
TABLE_GROUP = "meta.k8s.io"


def media_ranges(accept: str) -> list[tuple[str, dict[str, str]]]:
    """(media type, parameters) for each entry of an Accept header, in order."""
    ranges = []
    for entry in accept.split(","):
        bare, *params = (part.strip() for part in entry.split(";"))
        values = dict(p.split("=", 1) for p in params if "=" in p)
        ranges.append((bare.lower(), {k.strip(): v.strip() for k, v in values.items()}))
    return ranges


def wants_table(accept: str) -> str:
    """The Table version ("v1"/"v1beta1") the Accept header asks for first, or "" for plain JSON."""
    for bare, params in media_ranges(accept):
        if bare == JSON and params.get("as") == "Table" and params.get("g") == TABLE_GROUP:
            if params.get("v") in ("v1", "v1beta1"):
                return params["v"]
        elif bare in (JSON, "*/*", "application/*"):
            return ""
    return ""


def table_content_type(version: str) -> str:
    return f"{JSON};as=Table;v={version};g={TABLE_GROUP}"


def with_warnings(response: web.StreamResponse, warnings: Sequence[str]) -> web.StreamResponse:
    for text in warnings:
        escaped = text.replace("\\", "\\\\").replace('"', '\\"')
        response.headers.add("Warning", f'299 - "{escaped}"')
    return response


def json_response(
    body: bytes, status: int = 200, warnings: Sequence[str] = (), content_type: str = JSON
) -> web.StreamResponse:
    response = web.Response(body=body, status=status, headers={"Content-Type": content_type})
    return with_warnings(response, warnings)


def encode(value: msgspec.Struct | dict[str, Any]) -> bytes:
    return msgspec.json.encode(value)


def encode_list(info: ResourceInfo, items: Sequence[Object], resource_version: str) -> bytes:
    head = {
        "kind": f"{info.kind}List",
        "apiVersion": info.group_version,
        "metadata": {"resourceVersion": resource_version},
    }
    prefix = msgspec.json.encode(head)[:-1]
    return prefix + b',"items":[' + b",".join(msgspec.json.encode(item) for item in items) + b"]}"
