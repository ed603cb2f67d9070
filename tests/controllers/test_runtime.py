"""The controller runtime: result handling (C1–C4) on a virtual clock, worker supervision,
expectations and slow start (E1–E3, RS-4), and a manager running a controller end to end."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import anyio
import anyio.lowlevel
import pytest
import structlog
import structlog.contextvars
import structlog.testing
from prometheus_client import CollectorRegistry

from kubelite.api.core import Pod
from kubelite.apiserver import APIServer
from kubelite.client import InProcessClient
from kubelite.clock import FakeClock
from kubelite.controllers.runtime import (
    Controller,
    Expectations,
    Manager,
    Request,
    Result,
    TerminalError,
    slow_start_batch,
)
from kubelite.controllers.runtime.metrics import ControllerMetrics
from kubelite.store.memory import MemoryStorage
from kubelite.workqueue import RateLimitingQueue
from tests.apiserver.conftest import pod

pytestmark = pytest.mark.anyio
KEY = Request("default", "web")


@dataclass
class Scripted:
    """A reconciler that answers from a script and records when (on the fake clock) it ran."""

    clock: FakeClock
    script: list[Result | Exception]
    calls: list[float] = field(default_factory=list)

    async def reconcile(self, request: Request) -> Result | None:
        self.calls.append(self.clock.monotonic())
        outcome = self.script.pop(0) if self.script else Result()
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


async def _drive(clock: FakeClock, done: Callable[[], bool]) -> None:
    """Run until `done()`, jumping the fake clock to the next deadline whenever all tasks idle."""
    with anyio.fail_after(10):
        await clock.run_until(done)


async def _run(
    script: list[Result | Exception], expected_calls: int
) -> tuple[list[float], CollectorRegistry]:
    clock = FakeClock()
    registry = CollectorRegistry()
    reconciler = Scripted(clock, script)
    queue: RateLimitingQueue[Request] = RateLimitingQueue(name="test", clock=clock)
    controller = Controller(
        "test", reconciler, queue, clock=clock, metrics=ControllerMetrics.create(registry)
    )
    async with anyio.create_task_group() as tg:
        tg.start_soon(controller.run)
        controller.enqueue(KEY)
        await _drive(clock, lambda: len(reconciler.calls) >= expected_calls)
        for _ in range(50):  # let a stray extra reconcile show up if one were scheduled
            await anyio.lowlevel.checkpoint()
        tg.cancel_scope.cancel()
    start = reconciler.calls[0]
    return [round(t - start, 3) for t in reconciler.calls], registry


async def test_c1_errors_retry_with_exponential_backoff() -> None:
    """R2 through C1: failures wait 5, 10, 20 ms before the next try; success then stops."""
    times, registry = await _run([RuntimeError("a"), RuntimeError("b"), RuntimeError("c"), Result()], 4)
    assert times == [0.0, 0.005, 0.015, 0.035]
    assert registry.get_sample_value("controller_runtime_reconcile_errors_total", {"controller": "test"}) == 3
    assert (
        registry.get_sample_value(
            "controller_runtime_reconcile_total", {"controller": "test", "result": "success"}
        )
        == 1
    )


async def test_c1_terminal_error_is_not_retried() -> None:
    times, registry = await _run([TerminalError("bad spec")], 1)
    assert times == [0.0]
    assert (
        registry.get_sample_value(
            "controller_runtime_terminal_reconcile_errors_total", {"controller": "test"}
        )
        == 1
    )


async def test_c2_requeue_after_fires_on_the_virtual_clock() -> None:
    times, _ = await _run([Result(requeue_after=30.0), Result()], 2)
    assert times == [0.0, 30.0]


async def test_c2_requeue_after_forgets_earlier_failures() -> None:
    times, _ = await _run(
        [RuntimeError("x"), RuntimeError("y"), Result(requeue_after=1.0), RuntimeError("z"), Result()], 5
    )
    assert times == [0.0, 0.005, 0.015, 1.015, 1.02], "after a requeue_after the backoff restarts at 5 ms"


async def test_c3_requeue_uses_the_rate_limiter() -> None:
    times, _ = await _run([Result(requeue=True), Result(requeue=True), Result()], 3)
    assert times == [0.0, 0.005, 0.015]


async def test_worker_loop_crash_is_restarted() -> None:
    """Supervision: a failure outside reconcile (here the queue's get) restarts the worker."""
    clock = FakeClock()
    reconciler = Scripted(clock, [])
    queue: RateLimitingQueue[Request] = RateLimitingQueue(name="flaky", clock=clock)
    real_get = queue.get
    failures = [RuntimeError("transport hiccup")]

    async def flaky_get() -> Request:
        if failures:
            raise failures.pop()
        return await real_get()

    queue.get = flaky_get  # type: ignore[method-assign]  # inject a fault at the queue boundary
    controller = Controller("flaky", reconciler, queue, clock=clock)
    async with anyio.create_task_group() as tg:
        tg.start_soon(controller.run)
        controller.enqueue(KEY)
        await _drive(clock, lambda: len(reconciler.calls) == 1)
        tg.cancel_scope.cancel()
    assert reconciler.calls and reconciler.calls[0] >= 0.8, "restarted after the backoff"


async def test_e1_expectations_block_until_observed_or_expired() -> None:
    clock = FakeClock()
    expectations = Expectations(clock)
    assert expectations.satisfied("rs")
    expectations.expect_creations("rs", 2)
    expectations.creation_observed("rs")
    assert not expectations.satisfied("rs")
    expectations.creation_observed("rs")
    assert expectations.satisfied("rs")
    expectations.expect_deletions("rs", ["default/a", "default/b"])
    expectations.deletion_observed("rs", "default/a")
    expectations.deletion_observed("rs", "default/a")
    assert not expectations.satisfied("rs"), "E2: one pod's deletion counts once"
    clock.advance(300)
    assert expectations.satisfied("rs"), "E1: expectations expire after 5 minutes"


@pytest.mark.parametrize(
    ("count", "fail_at", "batches", "succeeded"),
    [(10, None, [1, 2, 4, 3], 10), (10, 2, [1, 2], 2), (1, None, [1], 1), (0, None, [], 0)],
    ids=["rs4-ten-pods", "e3-stop-after-failing-batch", "one", "none"],
)
async def test_e3_slow_start_batches(
    count: int, fail_at: int | None, batches: list[int], succeeded: int
) -> None:
    calls = 0
    sizes: list[int] = []
    in_flight = 0

    async def call() -> None:
        nonlocal calls, in_flight
        calls += 1
        index = calls
        if in_flight == 0:
            sizes.append(0)
        in_flight += 1
        sizes[-1] += 1
        await anyio.lowlevel.checkpoint()
        in_flight -= 1
        if fail_at is not None and index == fail_at:
            raise RuntimeError("quota exceeded")

    done = await slow_start_batch(count, call)
    assert sizes == batches
    assert done == succeeded


async def test_manager_runs_a_controller_end_to_end() -> None:
    """Informers feed the queue; the reconciler writes through the client; level-based."""
    async with MemoryStorage() as storage:
        server = APIServer(storage, clock=FakeClock())
        await server.bootstrap()
        client = InProcessClient(server)
        seen: list[str] = []

        class Labeler:
            async def reconcile(self, request: Request) -> Result | None:
                current = manager.factory.lister(Pod).get(request.name, request.namespace)
                if current is None:
                    return None
                seen.append(request.name)
                if current.metadata.labels.get("reconciled") != "yes":
                    await client.patch(
                        Pod, request.name, {"metadata": {"labels": {"reconciled": "yes"}}}, request.namespace
                    )
                return None

        manager = Manager(client, clock=FakeClock(), detect_mutation=True)
        manager.controller("labeler", Labeler(), workers=2).for_kind(Pod)
        await server.create(Pod, pod("a"), "default")
        async with anyio.create_task_group() as tg:
            with anyio.fail_after(5):
                await tg.start(manager.run)
            await server.create(Pod, pod("b"), "default")

            async def labelled() -> bool:
                pods = (await client.list(Pod, "default")).items
                return all(p.metadata.labels.get("reconciled") == "yes" for p in pods) and len(pods) == 2

            with anyio.fail_after(5):
                while not await labelled():
                    await anyio.lowlevel.checkpoint()
            tg.cancel_scope.cancel()
        manager.factory.verify_caches()
        assert set(seen) == {"a", "b"}
        adds = manager.registry.get_sample_value(
            "workqueue_adds_total", {"name": "labeler", "controller": "labeler"}
        )
        assert adds is not None and adds >= 2  # one add per pod at least, counted on the manager's registry


async def test_reconcile_logs_carry_controller_key_and_reconcile_id() -> None:
    """STYLE 10: every reconcile runs with structlog context; ids differ between reconciles."""
    with structlog.testing.capture_logs(processors=[structlog.contextvars.merge_contextvars]) as logs:
        await _run([RuntimeError("boom"), RuntimeError("again"), Result()], 3)
    errors = [entry for entry in logs if entry["event"] == "reconcile_error"]
    assert [(e["controller"], e["key"], e["error"]) for e in errors] == [
        ("test", "default/web", "RuntimeError: boom"),
        ("test", "default/web", "RuntimeError: again"),
    ]
    assert errors[0]["reconcile_id"] != errors[1]["reconcile_id"]
