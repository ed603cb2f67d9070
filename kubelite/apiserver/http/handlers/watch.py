"""WATCH: the APIServer's `WatchStream` served as chunked JSON lines, one event per line.

Each line is `{"type": ADDED|MODIFIED|DELETED|ERROR, "object": ...}` and is flushed at once; with
the Table Accept each object is a one-row Table (`tables.to_table`). A resourceVersion older than
the watch window yields one ERROR event with the 410 Expired Status and the stream ends, as
Kubernetes does (clients relist). The stream ends after `timeoutSeconds` when given, else stays
open until the client leaves or the application shuts down. Errors found before the stream starts
(bad selectors, a bad resourceVersion) are ordinary Status replies.
"""

from __future__ import annotations

import anyio
import msgspec
from aiohttp import web

from kubelite.api.meta import Object
from kubelite.api.registry import ResourceInfo
from kubelite.api.results import WatchEvent
from kubelite.apiserver.http import tables
from kubelite.apiserver.http.metrics import label_request
from kubelite.apiserver.http.query import ReadQuery, read_query
from kubelite.apiserver.http.responses import JSON, table_content_type, wants_table
from kubelite.apiserver.http.routes.paths import Target
from kubelite.apiserver.http.state import AppState
from kubelite.apiserver.watch import WatchStream


async def watch(state: AppState, request: web.Request, target: Target) -> web.StreamResponse:
    info = target.info
    label_request(request, "WATCH", info.plural)
    query = read_query(request.query)
    fields: str | None = query.field_selector
    if target.name:
        selector = f"metadata.name={target.name}"
        fields = f"{query.field_selector},{selector}" if query.field_selector else selector
    stream = state.server.watch(
        info,
        target.namespace,
        resource_version=query.resource_version,
        label_selector=query.label_selector,
        field_selector=fields,
    )
    version = wants_table(request.headers.get("Accept", ""))
    response = web.StreamResponse(headers={"Content-Type": table_content_type(version) if version else JSON})
    response.enable_chunked_encoding()
    state.watches.add(stream)
    try:
        await _stream(state, request, response, stream, info, query, table=bool(version))
    finally:
        state.watches.discard(stream)
        stream.close()
    return response


async def _stream(
    state: AppState,
    request: web.Request,
    response: web.StreamResponse,
    stream: WatchStream,
    info: ResourceInfo,
    query: ReadQuery,
    *,
    table: bool,
) -> None:
    async with stream:
        await response.prepare(request)
        with anyio.move_on_after(query.timeout_seconds):
            async for event in stream:
                await response.write(_line(state, info, event, query, table=table))
                if event.type == "ERROR":
                    break
    await response.write_eof()


def _line(
    state: AppState, info: ResourceInfo, event: WatchEvent[Object], query: ReadQuery, *, table: bool
) -> bytes:
    if event.object is None:
        body = msgspec.json.encode(event.status)
    elif table:
        now = state.server.clock.now()
        body = msgspec.json.encode(
            tables.to_table(info, [event.object], now=now, include_object=query.include_object)
        )
    else:
        body = msgspec.json.encode(event.object)
    return b'{"type":"' + event.type.encode() + b'","object":' + body + b"}\n"
