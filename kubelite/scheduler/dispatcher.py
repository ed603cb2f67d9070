"""`Dispatcher`: runs the scheduler's API writes (binds, status patches) off the scheduling loop.

Contract: `submit(job)` queues a coroutine function for one of `workers` worker tasks. It returns
without yielding to the event loop while fewer than `capacity` jobs wait (so the scheduling loop
can hand over a batch of binds that the store then commits together), and waits for room
otherwise (backpressure). A job that raises is logged and dropped; it never stops a worker.
`run()` starts the workers and runs until cancelled; jobs still queued then are dropped (the
informers tell the scheduler what happened to its pods). `idle()` is true when nothing is queued
or running. Single event loop; not thread-safe.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable

import anyio
import anyio.abc
import structlog

log = structlog.get_logger("kubelite.scheduler")

Job = Callable[[], Awaitable[None]]


class Dispatcher:
    def __init__(self, workers: int, *, capacity: int | None = None) -> None:
        self._workers = workers
        self._capacity = capacity if capacity is not None else workers
        self._jobs: deque[Job] = deque()
        self._idle_workers: list[anyio.Event] = []
        self._room = anyio.Event()
        self._running = 0

    def idle(self) -> bool:
        return not self._jobs and self._running == 0

    async def submit(self, job: Job) -> None:
        while len(self._jobs) >= self._capacity:
            if self._room.is_set():
                self._room = anyio.Event()
            await self._room.wait()
        self._jobs.append(job)
        if self._idle_workers:
            self._idle_workers.pop().set()

    async def run(self, *, task_status: anyio.abc.TaskStatus[None] = anyio.TASK_STATUS_IGNORED) -> None:
        try:
            async with anyio.create_task_group() as tg:
                for index in range(self._workers):
                    tg.start_soon(self._worker, name=f"scheduler-dispatch-{index}")
                task_status.started()
        finally:
            self._jobs.clear()
            self._idle_workers.clear()

    async def _worker(self) -> None:
        while True:
            if not self._jobs:
                wake = anyio.Event()
                self._idle_workers.append(wake)
                await wake.wait()
                continue
            job = self._jobs.popleft()
            self._room.set()
            self._running += 1
            try:
                await job()
            except Exception:
                log.exception("scheduler_job_failed")
            finally:
                self._running -= 1
