"""The few Engine API calls aiodocker has no public method for (or one that loses information).

Contract: `get_json(docker, path, params)` is a GET whose JSON answer is returned parsed.
`open_stream(docker, path, params)` is an async context manager around a streaming GET (no read
timeout) whose response is closed when the block exits, however it exits, so an abandoned or
cancelled stream never leaves a connection open. Both use aiodocker's internal `_query` helpers
(URL building, API version, error mapping to `DockerError`); this module is the only place that
does. Errors are the caller's to translate.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiodocker
import aiohttp


async def get_json(docker: aiodocker.Docker, path: str, params: dict[str, Any]) -> Any:
    return await docker._query_json(path, params=params)


@asynccontextmanager
async def open_stream(
    docker: aiodocker.Docker, path: str, params: dict[str, Any]
) -> AsyncIterator[aiohttp.ClientResponse]:
    async with docker._query(path, params=params, timeout=aiohttp.ClientTimeout()) as response:
        try:
            yield response
        finally:
            response.close()
