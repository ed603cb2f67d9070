"""Reconcile outcomes and metrics as controller-runtime's reconcileHandler counts them (issue 9
item 11): terminal errors, recovered panics (a non-`Exception` raised, an invalid return value),
and a worker that survives them and keeps serving other keys. Runs on a fake clock."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import anyio
import anyio.lowlevel
import pytest
import structlog.testing
from prometheus_client import CollectorRegistry

from kubelite.clock import FakeClock
from kubelite.controllers.runtime import Controller, Request, Result, TerminalError
from kubelite.controllers.runtime.metrics import ControllerMetrics
from kubelite.workqueue import RateLimitingQueue

pytestmark = pytest.mark.anyio
A, B = Request("default", "a"), Request("default", "b")


class Crash(BaseException):
    """What a reconciler might raise that is not an `Exception` (Python's closest to a Go panic)."""


@dataclass
class Scripted:
    """Answers each key from its own script: raises what is a BaseException, returns anything else."""

    clock: FakeClock
    scripts: dict[Request, list[object]]
    calls: list[tuple[str, float]] = field(default_factory=list)

    async def reconcile(self, request: Request) -> Result | None:
        self.calls.append((request.name, round(self.clock.monotonic(), 3)))
        script = self.scripts.get(request, [])
        answer = script.pop(0) if script else Result()
        if isinstance(answer, BaseException):
            raise answer
        return answer  # type: ignore[return-value]  # deliberately anything, to test validation


@dataclass
class Rig:
    clock: FakeClock
    reconciler: Scripted
    controller: Controller
    registry: CollectorRegistry

    def sample(self, metric: str, **labels: str) -> float | None:
        return self.registry.get_sample_value(metric, {"controller": "test", **labels})

    def counts(self) -> dict[str, float | None]:
        names = ("reconcile_errors_total", "terminal_reconcile_errors_total", "reconcile_panics_total")
        totals = {
            f"result={r}": self.sample("controller_runtime_reconcile_total", result=r)
            for r in ("success", "error")
        }
        return {**{n: self.sample(f"controller_runtime_{n}") for n in names}, **totals}


def rig(scripts: dict[Request, list[object]]) -> Rig:
    clock, registry = FakeClock(), CollectorRegistry()
    reconciler = Scripted(clock, scripts)
    queue: RateLimitingQueue[Request] = RateLimitingQueue(name="test", clock=clock)
    controller = Controller(
        "test", reconciler, queue, clock=clock, metrics=ControllerMetrics.create(registry)
    )
    return Rig(clock, reconciler, controller, registry)


async def drive(rig: Rig, plan: list[tuple[list[Request], int]]) -> None:
    """Run the controller through `plan`: for each step, enqueue its keys, then let the fake clock
    move until the reconciler has been called that many times in all. Then stop."""
    async with anyio.create_task_group() as tg:
        tg.start_soon(rig.controller.run)
        with anyio.fail_after(10):
            for keys, calls in plan:
                for key in keys:
                    rig.controller.enqueue(key)
                await rig.clock.run_until(lambda: len(rig.reconciler.calls) >= calls)  # noqa: B023  # awaited here
            for _ in range(50):  # let a stray extra reconcile show up if one were scheduled
                await anyio.lowlevel.checkpoint()
        tg.cancel_scope.cancel()


async def test_c1_terminal_error_counts_as_an_error_and_a_terminal_error_and_is_not_retried() -> None:
    r = rig({A: [TerminalError("spec.replicas is negative")]})
    with structlog.testing.capture_logs() as logs:
        await drive(r, [([A], 1)])
    assert r.reconciler.calls == [("a", 0.0)]
    assert r.counts() == {
        "reconcile_errors_total": 1,
        "terminal_reconcile_errors_total": 1,
        "reconcile_panics_total": 0,
        "result=success": 0,
        "result=error": 1,
    }
    assert [(e["event"], e["error"]) for e in logs if e["log_level"] == "error"] == [
        ("reconcile_terminal_error", "spec.replicas is negative")
    ]


async def test_c1_terminal_error_does_not_forget_the_key_as_in_controller_runtime() -> None:
    """controller-runtime's reconcileHandler neither requeues nor `Forget`s on a terminal error, so
    the key's failure count carries on: the next failure waits 10 ms, not 5 ms."""
    r = rig({A: [RuntimeError("transient"), TerminalError("bad"), RuntimeError("again"), Result()]})
    await drive(r, [([A], 2), ([A], 4)])
    assert r.reconciler.calls == [("a", 0.0), ("a", 0.005), ("a", 0.005), ("a", 0.015)]


async def test_c5_a_reconciler_raising_a_non_exception_is_a_recovered_panic_and_requeued() -> None:
    """C5: controller-runtime recovers panics by default (RecoverPanic true), counts them in
    reconcile_panics_total and returns them as an error, so C1 applies: rate-limited retry."""
    r = rig({A: [Crash("nil pointer"), Result()]})
    with structlog.testing.capture_logs() as logs:
        await drive(r, [([A], 2)])
    assert r.reconciler.calls == [("a", 0.0), ("a", 0.005)], "retried after the rate limiter's 5 ms"
    assert r.counts() == {
        "reconcile_errors_total": 1,
        "terminal_reconcile_errors_total": 0,
        "reconcile_panics_total": 1,
        "result=success": 1,
        "result=error": 1,
    }
    panics = [e for e in logs if e["event"] == "reconcile_panic"]
    assert [e["error"] for e in panics] == ["panic: Crash: nil pointer [recovered]"]
    assert not [e for e in logs if e["event"] == "controller_worker_crashed"]


@pytest.mark.parametrize(
    ("returned", "shown"),
    [
        ("done", "'done'"),
        (0, "0"),
        ({"requeue": True}, "{'requeue': True}"),
        (Result(requeue_after="5"), "Result(requeue_after='5', requeue=False)"),  # type: ignore[arg-type]
        (Result(requeue_after=float("nan")), "Result(requeue_after=nan, requeue=False)"),
    ],
    ids=["string", "falsy-int", "dict", "delay-as-string", "delay-nan"],
)
async def test_c5_an_invalid_return_value_is_a_recovered_panic_and_requeued_with_backoff(
    returned: object, shown: str
) -> None:
    r = rig({A: [returned, returned, Result()]})
    with structlog.testing.capture_logs() as logs:
        await drive(r, [([A], 3)])
    assert r.reconciler.calls == [("a", 0.0), ("a", 0.005), ("a", 0.015)]
    assert r.counts()["reconcile_panics_total"] == 2 and r.counts()["reconcile_errors_total"] == 2
    assert [e["error"] for e in logs if e["event"] == "reconcile_panic"] == [
        f"invalid reconcile result {shown}: want a Result or None [recovered]"
    ] * 2


async def test_the_worker_survives_a_panic_and_serves_other_keys_at_once() -> None:
    """One worker (the default): `a` panics and `b` is reconciled right after, with no worker restart backoff
    (a crashed worker would be restarted only after 0.8 s and `a` would be lost)."""
    r = rig({A: [Crash("boom"), "not a result", Result()]})
    await drive(r, [([A, B], 4)])
    assert r.reconciler.calls == [("a", 0.0), ("b", 0.0), ("a", 0.005), ("a", 0.015)]
    assert r.counts()["reconcile_panics_total"] == 2 and r.counts()["result=success"] == 2


async def test_cancellation_inside_a_reconcile_propagates_and_is_not_a_panic() -> None:
    started = anyio.Event()

    class Blocks:
        async def reconcile(self, request: Request) -> Result | None:
            started.set()
            await anyio.sleep_forever()
            return None

    r = rig({})
    r.controller.reconciler = Blocks()
    async with anyio.create_task_group() as tg:
        tg.start_soon(r.controller.process, A)
        with anyio.fail_after(5):
            await started.wait()
        tg.cancel_scope.cancel()
    assert r.counts()["reconcile_panics_total"] == 0 and r.counts()["reconcile_errors_total"] == 0


@pytest.mark.parametrize(
    "signal", [KeyboardInterrupt(), SystemExit(3)], ids=["keyboard-interrupt", "system-exit"]
)
async def test_process_signals_propagate_out_of_a_reconcile(signal: BaseException) -> None:
    r = rig({A: [signal]})
    with pytest.raises(type(signal)):
        await r.controller.process(A)
    assert r.counts()["reconcile_panics_total"] == 0


async def test_c5_a_stray_cancelled_error_is_a_recovered_panic_not_a_dead_worker() -> None:
    """A reconciler awaiting a future someone else cancelled gets `CancelledError` although nobody
    cancelled the worker. That is a failure of the reconcile (a panic, requeued with backoff), not
    a cancellation: before, it ended the worker silently and `b` was never reconciled."""
    r = rig({})

    class AwaitsACancelledFuture(Scripted):
        async def reconcile(self, request: Request) -> Result | None:
            self.calls.append((request.name, round(self.clock.monotonic(), 3)))
            if len(self.calls) == 1:
                future = asyncio.get_running_loop().create_future()
                future.cancel()
                await future
            return None

    r.reconciler = r.controller.reconciler = AwaitsACancelledFuture(r.clock, {})
    await drive(r, [([A, B], 3)])
    assert r.reconciler.calls == [("a", 0.0), ("b", 0.0), ("a", 0.005)]
    assert r.counts()["reconcile_panics_total"] == 1 and r.counts()["result=success"] == 2
