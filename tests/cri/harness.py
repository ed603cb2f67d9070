"""The CRI conformance harness: what a backend must provide to run `test_conformance.py`.

`Harness` is the shape every backend's harness has (the Docker one lives in
`tests/docker_support.py`). `FakeHarness` runs the suite on the fake backend: a `FakeClock` that
only `elapse` and `eventually` move. The fake runtime needs no background task (its timers fire
whenever it is called or waited on, see `kubelite.cri.fake.ticker`), so the harness starts none.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

import anyio.lowlevel

from kubelite.clock import FakeClock
from kubelite.cri import ImageService, RuntimeService
from kubelite.cri.fake import FakeImageService, FakeRuntime, PodNetwork

SETTLE_CHECKPOINTS = 20
"""Scheduler passes after each clock move, so tasks woken by it (event and log readers) run."""


class Harness(Protocol):
    runtime: RuntimeService
    images: ImageService
    image: str  # an image present locally whose filesystem has busybox applets (sh, sleep, echo, httpd, wget); tag is not "latest"

    async def elapse(self, seconds: float) -> None: ...  # let `seconds` pass on the runtime's clock

    async def eventually(
        self, check: Callable[[], Awaitable[bool]], within: float = 10.0
    ) -> None: ...  # poll/advance until check() is true, fail after `within` runtime-seconds


class FakeHarness:
    """The fake backend on a FakeClock; `fake_runtime` / `fake_images` expose the scripting hooks."""

    def __init__(self, *, image: str = "busybox:1.36", step: float = 0.1) -> None:
        self.clock = FakeClock()
        self.image = image
        self.step = step
        self.network = PodNetwork()
        self.fake_images = FakeImageService(self.clock, present=[image])
        self.fake_runtime = FakeRuntime(self.clock, images=self.fake_images, network=self.network)
        self.runtime: RuntimeService = self.fake_runtime
        self.images: ImageService = self.fake_images

    async def elapse(self, seconds: float) -> None:
        self.clock.advance(max(0.0, seconds))
        for _ in range(SETTLE_CHECKPOINTS):
            await anyio.lowlevel.checkpoint()

    async def eventually(self, check: Callable[[], Awaitable[bool]], within: float = 10.0) -> None:
        deadline = self.clock.monotonic() + within
        while not await check():
            if self.clock.monotonic() >= deadline:
                raise AssertionError(f"condition still false after {within} s on the fake clock")
            await self.elapse(self.step)
