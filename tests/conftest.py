"""Shared test configuration: async tests run on asyncio through anyio's pytest plugin; the Docker
daemon fixtures (`docker_daemon`, `docker_harness`) come from the `tests.docker_support` plugin.

Hypothesis explores new random examples on every local run. CI sets
`KUBELITE_HYPOTHESIS_PROFILE=ci`, which derandomizes it, so a landing is judged on the same examples
each time; a failure found locally is still reproduced from the seed Hypothesis prints.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None)
settings.load_profile(os.environ.get("KUBELITE_HYPOTHESIS_PROFILE", "default"))

pytest_plugins = ["tests.docker_support"]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
