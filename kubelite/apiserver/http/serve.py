"""`serve`: run an aiohttp application on a host and port until the context exits.

    async with serve(app, "127.0.0.1", 0) as serving:   # port 0 picks a free port
        ... serving.port, serving.url ...

A request line or header may be up to 1 MiB long (long selectors in the URL), as in Kubernetes.
Watches and log streams end when their client leaves (handler cancellation is on). Leaving the
context stops accepting, closes open connections (ending open watches) and cleans up the app.
`serve_forever` is the same for a task group: it reports the `Serving` through `task_status`.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import anyio
from aiohttp import web
from anyio.abc import TaskStatus

MAX_HEADER_BYTES = 1 << 20
"""The longest request line or header taken (Go's default, so Kubernetes' too; aiohttp's is 8 KiB)."""


@dataclass(frozen=True, slots=True)
class Serving:
    host: str
    port: int
    tls: bool

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}"


@asynccontextmanager
async def serve(
    app: web.Application, host: str, port: int, ssl_context: ssl.SSLContext | None = None
) -> AsyncIterator[Serving]:
    runner = web.AppRunner(
        app,
        handle_signals=False,
        handler_cancellation=True,
        access_log=None,
        shutdown_timeout=1.0,
        max_line_size=MAX_HEADER_BYTES,
        max_field_size=MAX_HEADER_BYTES,
    )
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port, ssl_context=ssl_context)
        await site.start()
        bound = runner.addresses[0][1]
        yield Serving(host, int(bound), ssl_context is not None)
    finally:
        with anyio.CancelScope(shield=True):
            await runner.cleanup()


async def serve_forever(
    app: web.Application,
    host: str,
    port: int,
    ssl_context: ssl.SSLContext | None = None,
    *,
    task_status: TaskStatus[Serving] = anyio.TASK_STATUS_IGNORED,
) -> None:
    async with serve(app, host, port, ssl_context) as serving:
        task_status.started(serving)
        await anyio.sleep_forever()
