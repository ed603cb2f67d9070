"""Servers with small ranges, so that "range is full" is a few creates away."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from kubelite.apiserver import APIServer
from kubelite.apiserver.settings import APIServerSettings
from kubelite.clock import FakeClock
from kubelite.store.memory import MemoryStorage


async def _server(settings: APIServerSettings) -> AsyncIterator[APIServer]:
    async with MemoryStorage(history=1000) as storage:
        api = APIServer(storage, clock=FakeClock(), settings=settings)
        await api.bootstrap()
        yield api


@pytest.fixture
async def tmp_cidr_server() -> AsyncIterator[APIServer]:
    """Service CIDR 10.0.0.0/29: addresses .1 (reserved for `kubernetes`) to .6."""
    async for api in _server(APIServerSettings(service_cidr="10.0.0.0/29")):
        yield api


@pytest.fixture
async def small_server() -> AsyncIterator[APIServer]:
    """Node ports 30000-30001 only."""
    async for api in _server(APIServerSettings(service_node_port_range="30000-30001")):
        yield api
