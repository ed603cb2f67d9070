"""Bearer-token authentication for the HTTP transport.

`bearer_token_middleware(token)` is an aiohttp middleware: a request whose `Authorization` header
is not exactly `Bearer <token>` is answered 401 with a Status (reason `Unauthorized`, message
`Unauthorized`, as kube-apiserver answers); the comparison is constant-time. `/healthz`, `/livez`
and `/readyz` (and their sub-paths) are open, as Kubernetes serves them to anonymous clients.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable

import msgspec
from aiohttp import web
from aiohttp.typedefs import Middleware

from kubelite.api.errors import Unauthorized

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

OPEN_PATHS = ("/healthz", "/livez", "/readyz")


def _is_open(path: str) -> bool:
    return any(path == open_path or path.startswith(open_path + "/") for open_path in OPEN_PATHS)


def _authorized(header: str, expected: bytes) -> bool:
    scheme, _, credential = header.partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(credential.strip().encode(), expected)


def unauthorized_response() -> web.Response:
    status = Unauthorized("Unauthorized").status
    return web.Response(body=msgspec.json.encode(status), status=401, content_type="application/json")


def bearer_token_middleware(token: str) -> Middleware:
    if not token:
        raise ValueError("the bearer token must not be empty")
    expected = token.encode()

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if _is_open(request.path) or _authorized(request.headers.get("Authorization", ""), expected):
            return await handler(request)
        return unauthorized_response()

    return middleware
