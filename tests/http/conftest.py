"""A real HTTP API server on 127.0.0.1 (free port) over the in-memory store, with an aiohttp client.

`api` yields an `HTTPAPI`: the `APIServer` (to check state behind the transport), the base URL and
an aiohttp `ClientSession`. The clock is a `FakeClock` so ages and grace periods are exact.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest

from kubelite.apiserver import APIServer
from kubelite.apiserver.http import HTTPSettings, build_app, serve
from kubelite.apiserver.http.streams import PodStreams
from kubelite.clock import FakeClock
from kubelite.store.memory import MemoryStorage


@dataclass
class HTTPAPI:
    server: APIServer
    clock: FakeClock
    url: str
    session: aiohttp.ClientSession

    async def call(
        self, method: str, path: str, body: Any = None, *, headers: dict[str, str] | None = None, **kw: Any
    ) -> tuple[int, Any]:
        """(status, decoded JSON body) of one request; `body` is sent as JSON unless it is bytes."""
        if isinstance(body, bytes | str):
            kw["data"] = body
        elif body is not None:
            kw["json"] = body
        async with self.session.request(method, self.url + path, headers=headers, **kw) as response:
            text = await response.read()
            try:
                return response.status, (await response.json(content_type=None)) if text else None
            except ValueError:
                return response.status, text.decode()


@pytest.fixture
async def api() -> AsyncIterator[HTTPAPI]:
    async with make_api() as made:
        yield made


class make_api:
    """Async context manager: a served API with optional `ready` and `pod_streams`."""

    def __init__(self, *, ready: Any = None, pod_streams: PodStreams | None = None, history: int = 1000):
        self.ready, self.pod_streams, self.history = ready, pod_streams, history

    async def __aenter__(self) -> HTTPAPI:
        self._stack = AsyncExitStack()
        storage = await self._stack.enter_async_context(MemoryStorage(history=self.history))
        clock = FakeClock(start=1_800_000_000.0)
        server = APIServer(storage, clock=clock)
        await server.bootstrap()
        app = build_app(server, settings=HTTPSettings(), ready=self.ready, pod_streams=self.pod_streams)
        serving = await self._stack.enter_async_context(serve(app, "127.0.0.1", 0))
        session = await self._stack.enter_async_context(aiohttp.ClientSession())
        return HTTPAPI(server, clock, serving.url, session)

    async def __aexit__(self, *exc: object) -> None:
        await self._stack.aclose()
