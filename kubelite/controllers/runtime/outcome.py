"""What one reconcile came to, and what follows from it: queue action, metrics, log line.

This is controller-runtime's `reconcileHandler` and its panic recovery (`Controller.Reconcile`),
kept apart from the worker loop as pure functions of the outcome. An outcome is a `Result` (the
reconciler returned one, or None) or an `Exception`:

| outcome | queue | `result` label | also counted in `controller_runtime_…` |
|---|---|---|---|
| `Result()` | forget | success | |
| `Result(requeue_after=d)`, d > 0 | forget, add_after(d) | requeue_after | |
| `Result(requeue=True)` | add_rate_limited | requeue | |
| an `Exception` | add_rate_limited | error | `reconcile_errors_total` |
| a `TerminalError` | nothing | error | `reconcile_errors_total`, `terminal_reconcile_errors_total` |
| a `RecoveredPanic` | add_rate_limited | error | `reconcile_errors_total`, `reconcile_panics_total` |

A `RecoveredPanic` is Python's counterpart of a recovered Go panic: the reconciler raised a
`BaseException` that is not an `Exception` (cancellation of the worker, `KeyboardInterrupt`,
`SystemExit` and `GeneratorExit` are not recovered: they propagate; a `CancelledError` while no
scope around the worker was cancelled is a panic), or returned something that is not a `Result`
or None (or a `Result` whose fields have the wrong types). As in controller-runtime (RecoverPanic
defaults to true), it is counted as a panic and then handled as an ordinary error: the key is
retried with the rate limiter's backoff and the worker lives on. Like controller-runtime, a
terminal error does not `forget` the key, so its failure count carries over to the next failure.
"""

from __future__ import annotations

import asyncio
import math
from typing import Protocol

import anyio
import structlog

from kubelite.controllers.runtime.metrics import ControllerMetrics
from kubelite.controllers.runtime.reconcile import Request, Result, TerminalError

log = structlog.get_logger("kubelite.controllers")

Outcome = Result | Exception
_SIGNALS: tuple[type[BaseException], ...] = (KeyboardInterrupt, SystemExit, GeneratorExit)


class RetryQueue(Protocol):
    """The queue operations an outcome maps to (a subset of the controller's `RequestQueue`)."""

    def add_after(self, item: Request, delay: float) -> None: ...

    def add_rate_limited(self, item: Request) -> None: ...

    def forget(self, item: Request) -> None: ...


class RecoveredPanic(Exception):
    """A reconcile that raised a non-`Exception` or returned an invalid value, recovered."""


def recover(err: BaseException) -> RecoveredPanic:
    """Turn what a reconciler raised outside `Exception` into a panic outcome; re-raises
    cancellation and process signals (also inside an exception group), which must propagate."""
    if _must_propagate(err):
        raise err
    panic = RecoveredPanic(f"panic: {type(err).__name__}: {err} [recovered]")
    panic.__cause__ = err
    return panic


def _must_propagate(err: BaseException) -> bool:
    signals = (anyio.get_cancelled_exc_class(), *_SIGNALS) if _being_cancelled() else _SIGNALS
    if isinstance(err, BaseExceptionGroup):
        return err.subgroup(lambda e: isinstance(e, signals)) is not None
    return isinstance(err, signals)


def _being_cancelled() -> bool:
    """Whether a cancel scope around the running task was cancelled: only then is a cancellation
    exception a cancellation. A stray one (awaiting a future someone else cancelled) is a panic.
    A plain asyncio `Task.cancel()` of the worker (e.g. `asyncio.run` ending) counts too."""
    if anyio.current_effective_deadline() == -math.inf:
        return True
    try:
        task = asyncio.current_task()
    except RuntimeError:  # not running on asyncio
        return False
    return task is not None and task.cancelling() > 0


def checked(returned: object) -> Outcome:
    """The outcome of a reconcile that returned `returned` (None means success)."""
    if returned is None:
        return Result()
    if isinstance(returned, Result) and _well_typed(returned):
        return returned
    return RecoveredPanic(f"invalid reconcile result {returned!r}: want a Result or None [recovered]")


def _well_typed(result: Result) -> bool:
    delay: object = result.requeue_after
    if isinstance(delay, bool) or not isinstance(delay, int | float):
        return False
    return math.isfinite(delay) and isinstance(result.requeue, bool)


def settle(queue: RetryQueue, request: Request, outcome: Outcome) -> None:
    """Feed the outcome back to the queue (the table in the module docstring)."""
    if isinstance(outcome, Exception):
        if not isinstance(outcome, TerminalError):
            queue.add_rate_limited(request)
    elif outcome.requeue_after > 0:
        queue.forget(request)
        queue.add_after(request, outcome.requeue_after)
    elif outcome.requeue:
        queue.add_rate_limited(request)
    else:
        queue.forget(request)


def label(outcome: Outcome) -> str:
    """The `result` label of `controller_runtime_reconcile_total`."""
    if isinstance(outcome, Exception):
        return "error"
    if outcome.requeue_after > 0:
        return "requeue_after"
    return "requeue" if outcome.requeue else "success"


def record(metrics: ControllerMetrics, controller: str, outcome: Outcome, seconds: float) -> None:
    metrics.reconcile_time.labels(controller).observe(seconds)
    metrics.reconcile_total.labels(controller, label(outcome)).inc()
    if not isinstance(outcome, Exception):
        return
    metrics.reconcile_errors.labels(controller).inc()
    if isinstance(outcome, TerminalError):
        metrics.terminal_errors.labels(controller).inc()
    elif isinstance(outcome, RecoveredPanic):
        metrics.panics.labels(controller).inc()


def log_outcome(outcome: Outcome) -> None:
    """Log a failed reconcile (call it inside the reconcile's bound structlog context)."""
    if isinstance(outcome, TerminalError):
        log.error("reconcile_terminal_error", error=str(outcome))
    elif isinstance(outcome, RecoveredPanic):
        log.error("reconcile_panic", error=str(outcome), exc_info=outcome.__cause__ or outcome)
    elif isinstance(outcome, Exception):
        log.warning("reconcile_error", error=f"{type(outcome).__name__}: {outcome}")
