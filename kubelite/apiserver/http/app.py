"""`build_app`: the aiohttp application serving the Kubernetes API over an `APIServer`.

Routes: `/version`, `/healthz`, `/livez`, `/readyz`, `/metrics`, discovery (`/api`, `/apis`,
`/api/v1`, `/apis/{group}/{version}`), `/openapi/v3[/...]`, `selfsubjectaccessreviews` (see
`reviews`), and every resource path below
`/api/v1/` and `/apis/{group}/{version}/` (see `routes`). Middlewares run in this order: the
caller's (e.g. bearer-token auth), metrics, then the error middleware that turns every failure into
a Status. Request bodies over `settings.max_body_bytes` are refused with 413.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Middleware

from kubelite.apiserver.http import discovery, health, openapi, reviews
from kubelite.apiserver.http.errors import errors_middleware, not_found
from kubelite.apiserver.http.metrics import Metrics, metrics_middleware
from kubelite.apiserver.http.responses import encode, json_response
from kubelite.apiserver.http.routes.dispatch import dispatch
from kubelite.apiserver.http.settings import HTTPSettings
from kubelite.apiserver.http.state import STATE, AppState, state_of
from kubelite.apiserver.http.streams import PodStreams
from kubelite.apiserver.http.version import version_info
from kubelite.apiserver.server import APIServer


def build_app(
    server: APIServer,
    *,
    settings: HTTPSettings | None = None,
    middlewares: Sequence[Middleware] = (),
    ready: Callable[[], bool] | None = None,
    pod_streams: PodStreams | None = None,
    metrics: Metrics | None = None,
) -> web.Application:
    settings = settings if settings is not None else HTTPSettings()
    metrics = metrics if metrics is not None else Metrics()
    app = web.Application(
        middlewares=[*middlewares, metrics_middleware(metrics), errors_middleware(settings.max_body_bytes)],
        client_max_size=settings.max_body_bytes,
    )
    state = AppState(server, settings, metrics, ready, pod_streams)
    app[STATE] = state

    async def close_watches(_: web.Application) -> None:
        state.close_watches()

    app.on_shutdown.append(close_watches)
    _add_routes(app)
    return app


def _add_routes(app: web.Application) -> None:
    router = app.router
    for path in ("/version", "/version/"):  # the kubernetes client's VersionApi asks `/version/`
        router.add_get(path, _version)
    for path in ("/healthz", "/livez"):
        router.add_get(path, health.liveness)
    router.add_get("/readyz", _readyz)
    router.add_get("/metrics", _metrics)
    router.add_get("/api", _api)
    router.add_get("/apis", _apis)
    router.add_get("/api/v1", _group_version)
    router.add_get("/apis/{group}/{version}", _group_version)
    router.add_get("/openapi/v3", _openapi_index)
    router.add_get("/openapi/v3/{gv:.+}", _openapi_document)
    router.add_post(reviews.PATH, reviews.self_subject_access_review)
    router.add_route("*", "/api/v1/{rest:.+}", dispatch)
    router.add_route("*", "/apis/{group}/{version}/{rest:.+}", dispatch)


async def _version(request: web.Request) -> web.StreamResponse:
    return json_response(encode(version_info(state_of(request).settings)))


async def _readyz(request: web.Request) -> web.StreamResponse:
    return health.readiness(request, state_of(request).ready)


async def _metrics(request: web.Request) -> web.StreamResponse:
    return state_of(request).metrics.exposition()


def _discovery_reply(request: web.Request, body: dict[str, Any], *, core: bool) -> web.StreamResponse:
    version = discovery.aggregated_version(request.headers.get("Accept", ""))
    if not version:
        return json_response(encode(body))
    registry = state_of(request).server.registry
    document = discovery.aggregated(registry, core=core, version=version)
    return json_response(encode(document), content_type=discovery.aggregated_content_type(version))


async def _api(request: web.Request) -> web.StreamResponse:
    return _discovery_reply(request, discovery.api_versions(request.host), core=True)


async def _apis(request: web.Request) -> web.StreamResponse:
    registry = state_of(request).server.registry
    return _discovery_reply(request, discovery.api_group_list(registry), core=False)


async def _group_version(request: web.Request) -> web.StreamResponse:
    group = request.match_info.get("group", "")
    version = request.match_info.get("version", "v1")
    infos = discovery.group_version_infos(state_of(request).server.registry, group, version)
    if not infos:
        raise not_found()
    group_version = f"{group}/{version}" if group else version
    return json_response(encode(discovery.resource_list(infos, group_version)))


def _openapi_documents(request: web.Request) -> dict[str, bytes]:
    state = state_of(request)
    return openapi.documents(state.server.registry, state.settings)


async def _openapi_index(request: web.Request) -> web.StreamResponse:
    return json_response(openapi.index(_openapi_documents(request)))


async def _openapi_document(request: web.Request) -> web.StreamResponse:
    document = _openapi_documents(request).get(request.match_info["gv"])
    if document is None:
        raise not_found()
    return json_response(document)
