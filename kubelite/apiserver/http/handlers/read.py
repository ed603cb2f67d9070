"""GET of one object (or its status / scale subresource) and LIST of a collection.

A list answers a Table when the Accept header asks for one (`tables.to_table`, with the request's
`includeObject`), else a `<Kind>List`. Both carry the list's resourceVersion, where a watch may
start. Selectors are the APIServer's (400 for malformed ones).
"""

from __future__ import annotations

from aiohttp import web

from kubelite.apiserver.http import tables
from kubelite.apiserver.http.metrics import label_request
from kubelite.apiserver.http.query import read_query
from kubelite.apiserver.http.responses import (
    encode,
    encode_list,
    json_response,
    table_content_type,
    wants_table,
)
from kubelite.apiserver.http.routes.paths import Target
from kubelite.apiserver.http.state import AppState


async def get(state: AppState, request: web.Request, target: Target) -> web.StreamResponse:
    info, server = target.info, state.server
    label_request(request, "GET", info.plural, target.subresource)
    namespace = target.namespace or ""
    if target.subresource == "scale":
        return json_response(encode(await server.get_scale(info, target.name, namespace)))
    obj = await server.get(info, target.name, namespace)
    version = wants_table(request.headers.get("Accept", ""))
    if version and not target.subresource:
        query = read_query(request.query)
        table = tables.to_table(info, [obj], now=server.clock.now(), include_object=query.include_object)
        return json_response(encode(table), content_type=table_content_type(version))
    return json_response(encode(obj))


async def list_collection(state: AppState, request: web.Request, target: Target) -> web.StreamResponse:
    info, server = target.info, state.server
    label_request(request, "LIST", info.plural)
    query = read_query(request.query)
    found = await server.list(
        info,
        target.namespace,
        label_selector=query.label_selector,
        field_selector=query.field_selector,
    )
    version = wants_table(request.headers.get("Accept", ""))
    if version:
        table = tables.to_table(
            info,
            found.items,
            now=server.clock.now(),
            include_object=query.include_object,
            resource_version=found.resource_version,
        )
        return json_response(encode(table), content_type=table_content_type(version))
    return json_response(encode_list(info, found.items, found.resource_version))
