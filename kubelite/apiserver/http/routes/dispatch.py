"""One handler per (method, target shape): the table Kubernetes' REST installer builds.

GET collection → LIST, or WATCH with `watch=true`; GET object → GET (`?watch=true` watches just
it); GET `pods/{name}/log` → logs; GET/POST `pods/{name}/exec` →
exec (a WebSocket). POST collection or binding/eviction → create; PUT → update;
PATCH → patch; DELETE object or collection → delete. Any other pairing is 405 MethodNotAllowed.
"""

from __future__ import annotations

from aiohttp import web

from kubelite.api.errors import MethodNotAllowed
from kubelite.apiserver.http.handlers import logs, podexec, read, watch, write
from kubelite.apiserver.http.query import flag
from kubelite.apiserver.http.routes.paths import STREAM_SUBRESOURCES, Target, resolve
from kubelite.apiserver.http.state import state_of


def _method_not_allowed() -> MethodNotAllowed:
    return MethodNotAllowed("the server does not allow this method on the requested resource")


async def dispatch(request: web.Request) -> web.StreamResponse:
    state = state_of(request)
    group = request.match_info.get("group", "")
    version = request.match_info.get("version", "v1")
    target = resolve(state.server.registry, group, version, request.match_info["rest"])
    return await _route(request, target)


async def _route(request: web.Request, target: Target) -> web.StreamResponse:
    state = state_of(request)
    method = request.method
    stream_subs = STREAM_SUBRESOURCES.get((target.info.group, target.info.plural), ())
    if target.subresource == "exec" and method in ("GET", "POST"):
        return await podexec.exec_(state, request, target)
    if target.subresource in stream_subs:
        if method != "GET":
            raise _method_not_allowed()
        return await logs.logs(state, request, target)
    if method == "GET":
        if flag(request.query, "watch") and not target.subresource:
            return await watch.watch(state, request, target)
        if target.is_collection:
            return await read.list_collection(state, request, target)
        return await read.get(state, request, target)
    if method == "POST":
        return await write.create(state, request, target)
    if method == "DELETE":
        return await write.delete(state, request, target)
    if target.is_collection:
        raise _method_not_allowed()
    if method == "PUT":
        return await write.update(state, request, target)
    if method == "PATCH":
        return await write.patch(state, request, target)
    raise _method_not_allowed()
