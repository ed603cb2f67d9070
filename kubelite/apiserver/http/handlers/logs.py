"""GET `pods/{name}/log`: the container's log through `PodStreams`, as `text/plain`.

The pod must exist (404 otherwise). Without a `PodStreams` (an API server with no nodes behind it)
the answer is 400, as Kubernetes answers for a pod it cannot reach. Errors before the first byte
are Status replies; the body streams chunk by chunk (with `follow`, until the container stops or
the client leaves). `sinceSeconds`/`sinceTime` and `limitBytes` are applied here (`logfilter`).
"""

from __future__ import annotations

from aiohttp import web

from kubelite.api.errors import BadRequest
from kubelite.apiserver.http.handlers.logfilter import filtered
from kubelite.apiserver.http.metrics import label_request
from kubelite.apiserver.http.query import LogQuery, log_query
from kubelite.apiserver.http.routes.paths import Target
from kubelite.apiserver.http.state import AppState


async def logs(state: AppState, request: web.Request, target: Target) -> web.StreamResponse:
    label_request(request, "GET", target.info.plural, "log")
    query = log_query(request.query)
    namespace = target.namespace or ""
    await state.server.get(target.info, target.name, namespace)
    if state.pod_streams is None:
        raise BadRequest(f'pod "{target.name}" has no node to read logs from')
    since = _since(state, query)
    source = state.pod_streams.logs(
        namespace,
        target.name,
        query.container,
        tail_lines=query.tail_lines,
        timestamps=query.timestamps or since is not None,
        follow=query.follow,
        previous=query.previous,
    )
    chunks = filtered(source, since=since, timestamps=query.timestamps, limit=query.limit_bytes)
    first = await anext(chunks, b"")
    response = web.StreamResponse(headers={"Content-Type": "text/plain"})
    response.enable_chunked_encoding()
    await response.prepare(request)
    if first:
        await response.write(first)
    async for chunk in chunks:
        await response.write(chunk)
    await response.write_eof()
    return response


def _since(state: AppState, query: LogQuery) -> float | None:
    if query.since_seconds is not None:
        return state.server.clock.now() - query.since_seconds
    return query.since_time
