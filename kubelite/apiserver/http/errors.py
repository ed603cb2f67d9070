"""Every failure over HTTP is answered with a meta/v1 Status (kind, apiVersion, reason, code).

`status_response(status)` encodes a Status with its code (and, as Kubernetes does, a
`Retry-After` header when the Status suggests a retry delay). The `errors_middleware` turns what a
handler raises into one: an `APIError` keeps its own Status; aiohttp's HTTP errors (an unmatched
route, a body over the limit, a method the route lacks) get the Status Kubernetes would send for
that code; anything else is logged and answered 500 InternalError, so the server stays up.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import msgspec
import structlog
from aiohttp import web
from aiohttp.typedefs import Middleware

from kubelite.api.errors import (
    APIError,
    InternalError,
    MethodNotAllowed,
    NotFound,
    RequestEntityTooLarge,
)
from kubelite.api.meta import Status, StatusDetails

log = structlog.get_logger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

NOT_FOUND_MESSAGE = "the server could not find the requested resource"


def status_response(status: Status) -> web.Response:
    """The Status as the body; a `Retry-After` header when `details.retryAfterSeconds` > 0."""
    response = web.Response(
        body=msgspec.json.encode(status), status=status.code or 500, content_type="application/json"
    )
    if status.details is not None and status.details.retry_after_seconds > 0:
        response.headers["Retry-After"] = str(status.details.retry_after_seconds)
    return response


def not_found() -> NotFound:
    """The 404 for a path that names no resource (Kubernetes' wording, empty details)."""
    return NotFound(NOT_FOUND_MESSAGE, details=StatusDetails())


def too_large(limit: int) -> RequestEntityTooLarge:
    return RequestEntityTooLarge(f"Request entity too large: limit is {limit}")


def from_http_exception(exc: web.HTTPException, body_limit: int) -> APIError:
    if exc.status == 404:
        return not_found()
    if exc.status == 405:
        return MethodNotAllowed("the server does not allow this method on the requested resource")
    if exc.status == 413:
        return too_large(body_limit)
    err = APIError(exc.reason)
    err.status.code = exc.status
    return err


def errors_middleware(body_limit: int) -> Middleware:
    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            return await handler(request)
        except APIError as err:
            return status_response(err.status)
        except web.HTTPException as exc:
            if exc.status < 400:
                raise
            return status_response(from_http_exception(exc, body_limit).status)
        except Exception as exc:
            log.exception("http_handler_failed", method=request.method, path=request.path)
            return status_response(InternalError(f"an internal error occurred: {exc}").status)

    return middleware
