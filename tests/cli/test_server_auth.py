"""Bearer-token middleware: 401 with an `Unauthorized` Status unless the token matches; health open."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from aiohttp import ClientSession, web

from kubelite.apiserver.http.auth import bearer_token_middleware

pytestmark = pytest.mark.anyio

TOKEN = "s3cret-token"


async def _ok(request: web.Request) -> web.Response:
    return web.Response(text="ok")


@pytest.fixture
async def base_url() -> AsyncIterator[str]:
    app = web.Application(middlewares=[bearer_token_middleware(TOKEN)])
    for path in ("/api/v1/pods", "/readyz", "/livez", "/healthz", "/healthz/ping", "/readyzz"):
        app.router.add_get(path, _ok)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


UNAUTHORIZED = {
    "kind": "Status",
    "apiVersion": "v1",
    "metadata": {},
    "status": "Failure",
    "message": "Unauthorized",
    "reason": "Unauthorized",
    "code": 401,
}


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}, {"Authorization": TOKEN}],
    ids=["missing", "wrong", "basic-scheme", "no-scheme"],
)
async def test_requests_without_the_token_get_401_with_a_status(
    base_url: str, headers: dict[str, str]
) -> None:
    async with ClientSession() as session, session.get(f"{base_url}/api/v1/pods", headers=headers) as reply:
        assert reply.status == 401
        assert reply.content_type == "application/json"
        assert json.loads(await reply.read()) == UNAUTHORIZED


async def test_the_token_is_accepted(base_url: str) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    async with ClientSession() as session, session.get(f"{base_url}/api/v1/pods", headers=headers) as reply:
        assert (reply.status, await reply.text()) == (200, "ok")


@pytest.mark.parametrize("path", ["/readyz", "/livez", "/healthz", "/healthz/ping"])
async def test_health_endpoints_are_open_as_in_kubernetes(base_url: str, path: str) -> None:
    async with ClientSession() as session, session.get(f"{base_url}{path}") as reply:
        assert reply.status == 200


async def test_a_path_that_only_starts_like_a_health_endpoint_is_not_open(base_url: str) -> None:
    async with ClientSession() as session, session.get(f"{base_url}/readyzz") as reply:
        assert reply.status == 401


def test_an_empty_token_is_refused() -> None:
    with pytest.raises(ValueError, match="must not be empty"):
        bearer_token_middleware("")
