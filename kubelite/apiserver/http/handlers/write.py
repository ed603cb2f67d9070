"""POST, PUT, PATCH and DELETE on objects and their subresources.

- POST collection: create (201). POST `{name}/binding`, `{name}/eviction`: the APIServer's bind and
  evict (201 with a Success Status).
- PUT: update (status and finalize through their subresources; scale through the Scale API).
- PATCH: JSON, merge and strategic merge patches through the APIServer; server-side apply
  (`application/apply-patch+yaml`) is approximated by a merge patch of the applied configuration,
  and creates a missing object (201), as Kubernetes does.
- DELETE one object: DeleteOptions from the query and the body (the body wins); 200 with the object
  when something keeps it alive, else a Success Status. DELETE a collection deletes each object
  the selectors match and answers a Success Status.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from kubelite.api.errors import MethodNotAllowed, NotFound
from kubelite.api.meta import Status
from kubelite.apiserver.context import RequestContext
from kubelite.apiserver.http import bodies
from kubelite.apiserver.http.metrics import label_request
from kubelite.apiserver.http.query import delete_options_from_query, read_query, write_context
from kubelite.apiserver.http.responses import encode, json_response
from kubelite.apiserver.http.routes.paths import Target
from kubelite.apiserver.http.state import AppState, read_body
from kubelite.apiserver.patch import MERGE_PATCH


async def _object_body(state: AppState, request: web.Request) -> dict[str, Any]:
    body = await read_body(request, state.settings.max_body_bytes)
    return bodies.decode_object(body, request.headers.get("Content-Type"))


def _reply(result: Any, ctx: RequestContext, status: int = 200) -> web.StreamResponse:
    return json_response(encode(result), status=status, warnings=ctx.warnings)


async def create(state: AppState, request: web.Request, target: Target) -> web.StreamResponse:
    label_request(request, "POST", target.info.plural, target.subresource)
    ctx = write_context(request.query)
    body = await _object_body(state, request)
    server, namespace = state.server, target.namespace or ""
    if target.subresource == "binding":
        return _reply(await server.bind(target.name, body, namespace, ctx), ctx, 201)
    if target.subresource == "eviction":
        return _reply(await server.evict(target.name, body, namespace, ctx), ctx, 201)
    if target.subresource or target.name:
        raise MethodNotAllowed("the server does not allow this method on the requested resource")
    return _reply(await server.create(target.info, body, namespace, ctx), ctx, 201)


async def update(state: AppState, request: web.Request, target: Target) -> web.StreamResponse:
    label_request(request, "PUT", target.info.plural, target.subresource)
    ctx = write_context(request.query)
    body = await _object_body(state, request)
    server, info, name, namespace = state.server, target.info, target.name, target.namespace or ""
    if target.subresource == "scale":
        return _reply(await server.update_scale(info, name, body, namespace, ctx), ctx)
    if target.subresource == "finalize":
        return _reply(await server.finalize_namespace(name, body, ctx), ctx)
    result = await server.update(info, body, name, namespace, ctx, subresource=target.subresource)
    return _reply(result, ctx)


async def patch(state: AppState, request: web.Request, target: Target) -> web.StreamResponse:
    label_request(request, "PATCH", target.info.plural, target.subresource)
    ctx = write_context(request.query)
    body = await read_body(request, state.settings.max_body_bytes)
    content_type = request.headers.get("Content-Type", "")
    if bodies.media_type(content_type) == bodies.APPLY_PATCH:
        return await _apply(state, target, bodies.decode_object(body, content_type), ctx)
    server, info, name, namespace = state.server, target.info, target.name, target.namespace or ""
    if target.subresource == "scale":
        return _reply(await server.patch_scale(info, name, body, content_type, namespace, ctx), ctx)
    result = await server.patch(
        info, name, body, content_type, namespace, ctx, subresource=target.subresource
    )
    return _reply(result, ctx)


async def _apply(
    state: AppState, target: Target, applied: dict[str, Any], ctx: RequestContext
) -> web.StreamResponse:
    server, info, name, namespace = state.server, target.info, target.name, target.namespace or ""
    if target.subresource == "scale":
        return _reply(await server.patch_scale(info, name, applied, MERGE_PATCH, namespace, ctx), ctx)
    try:
        result = await server.patch(
            info, name, applied, MERGE_PATCH, namespace, ctx, subresource=target.subresource
        )
    except NotFound:
        if target.subresource:
            raise
        applied.setdefault("metadata", {}).setdefault("name", name)
        return _reply(await server.create(info, applied, namespace, ctx), ctx, 201)
    return _reply(result, ctx)


async def delete(state: AppState, request: web.Request, target: Target) -> web.StreamResponse:
    label_request(request, "DELETE", target.info.plural, target.subresource)
    if target.subresource:
        raise MethodNotAllowed("the server does not allow this method on the requested resource")
    options = await _delete_options(state, request)
    ctx = write_context(request.query)
    if target.is_collection:
        return await _delete_collection(state, request, target, options, ctx)
    ctx.return_deleted_object = True
    result = await state.server.delete(target.info, target.name, target.namespace or "", options, ctx)
    return _reply(result, ctx)


async def _delete_options(state: AppState, request: web.Request) -> dict[str, Any]:
    options: dict[str, Any] = delete_options_from_query(request.query)
    body = await read_body(request, state.settings.max_body_bytes)
    if body.strip():
        options.update(bodies.decode_object(body, request.headers.get("Content-Type")))
    options.pop("kind", None)
    options.pop("apiVersion", None)
    return options


async def _delete_collection(
    state: AppState, request: web.Request, target: Target, options: dict[str, Any], ctx: RequestContext
) -> web.StreamResponse:
    query = read_query(request.query)
    found = await state.server.list(
        target.info,
        target.namespace,
        label_selector=query.label_selector,
        field_selector=query.field_selector,
    )
    for obj in found.items:
        try:
            await state.server.delete(target.info, obj.metadata.name, obj.metadata.namespace, options, ctx)
        except NotFound:
            continue
    return _reply(Status(status="Success"), ctx)
