"""The `harness` fixture: every conformance test runs once per CRI backend ("fake", "docker").

The Docker harness comes from the `docker_harness` fixture of `tests/docker_support.py` (a pytest
plugin); without it the Docker runs are skipped.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import anyio
import pytest

from tests.cri.harness import FakeHarness, Harness


@pytest.fixture(params=["fake", "docker"], ids=["fake", "docker"])
def harness(request: pytest.FixtureRequest) -> Harness:
    if request.param == "fake":
        return FakeHarness()
    try:
        found: Harness = request.getfixturevalue("docker_harness")
    except pytest.FixtureLookupError:
        pytest.skip("Docker harness not installed (tests/docker_support.py)")
    return found


@pytest.fixture(params=["lazy", "loop"], ids=["lazy", "loop"])
async def fake(request: pytest.FixtureRequest) -> AsyncIterator[FakeHarness]:
    """The fake backend alone, for fake-only behaviour: with timers fired lazily by the runtime's
    callers and waiters ("lazy"), and with its optional `run()` loop started ("loop")."""
    harness = FakeHarness()
    if request.param == "lazy":
        yield harness
        return
    async with anyio.create_task_group() as group:
        await group.start(harness.fake_runtime.run)
        yield harness
        group.cancel_scope.cancel()
