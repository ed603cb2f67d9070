"""Shared test configuration: async tests run on asyncio through anyio's pytest plugin; the Docker
daemon fixtures (`docker_daemon`, `docker_harness`) come from the `tests.docker_support` plugin."""

from __future__ import annotations

import pytest

pytest_plugins = ["tests.docker_support"]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
