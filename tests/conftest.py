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

from kubelite.api.fields import parse_field_selector
from kubelite.api.labels import parse_selector
from kubelite.api.quantity import parse_quantity

settings.register_profile("ci", derandomize=True, database=None)
settings.load_profile(os.environ.get("KUBELITE_HYPOTHESIS_PROFILE", "default"))

pytest_plugins = ["tests.docker_support"]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def fresh_parse_caches() -> None:
    """Selector and quantity parsing is memoized: each test starts with empty caches, so it runs the
    parsers itself and never depends on what an earlier test parsed. (Mutation testing needs this:
    mutmut forks each mutant's test run from a process whose caches are already warm.)"""
    parse_selector.cache_clear()
    parse_field_selector.cache_clear()
    parse_quantity.cache_clear()
