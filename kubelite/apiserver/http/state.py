"""What every handler of one application shares: the APIServer, settings, optional hooks and the
open watches (closed when the application shuts down, so shutdown never waits for a watcher)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import web

from kubelite.apiserver.http.metrics import Metrics
from kubelite.apiserver.http.settings import HTTPSettings
from kubelite.apiserver.http.streams import PodStreams
from kubelite.apiserver.server import APIServer
from kubelite.apiserver.watch import WatchStream


@dataclass(frozen=True, slots=True)
class AppState:
    server: APIServer
    settings: HTTPSettings
    metrics: Metrics
    ready: Callable[[], bool] | None = None
    pod_streams: PodStreams | None = None
    watches: set[WatchStream] = field(default_factory=set)
    """Open watch streams; closed on shutdown so their responses end at once."""

    def close_watches(self) -> None:
        for stream in list(self.watches):
            stream.close()


STATE = web.AppKey("kubelite_http_state", AppState)


def state_of(request: web.Request) -> AppState:
    return request.app[STATE]


async def read_body(request: web.Request, limit: int) -> bytes:
    """The whole body; a body over `limit` bytes is a 413 (declared or streamed)."""
    if request.content_length is not None and request.content_length > limit:
        raise web.HTTPRequestEntityTooLarge(max_size=limit, actual_size=request.content_length)
    return await request.read()
