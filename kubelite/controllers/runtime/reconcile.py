"""The reconcile contract (controller-runtime's, C1–C4 of client-go-semantics.md).

A reconciler receives a `Request` (a namespace and name, never an object), reads current state
from listers, and makes the world match the spec. What it returns decides what happens next:

- returns `Result()` or None → success: the key's failure count is forgotten;
- returns `Result(requeue_after=d)` with d > 0 → forget, then run again after d seconds;
- returns `Result(requeue=True)` → run again after the rate limiter's delay (deprecated style);
- raises `TerminalError` → logged and counted (as an error and a terminal error), never retried
  for this event;
- raises any other `Exception` → retried after the rate limiter's delay (5 ms doubling to 1000 s by
  default); the Result is ignored;
- raises a `BaseException` that is not an `Exception` (other than cancellation, KeyboardInterrupt,
  SystemExit, GeneratorExit, which propagate), or returns anything but a `Result` or None → a
  recovered panic: logged, counted as a panic and an error, retried like an error.

Reconcile is level-based: it must give the same outcome whether it runs once or many times for the
same state, and it must not rely on the event that triggered it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True, order=True)
class Request:
    """The key of the object to reconcile; namespace is "" for cluster-scoped kinds."""

    namespace: str
    name: str

    def __str__(self) -> str:
        return f"{self.namespace}/{self.name}" if self.namespace else self.name


@dataclass(frozen=True, slots=True)
class Result:
    requeue_after: float = 0.0
    requeue: bool = False


class TerminalError(Exception):
    """A failure that retrying cannot fix (bad spec, permanent refusal): do not requeue."""


class Reconciler(Protocol):
    async def reconcile(self, request: Request) -> Result | None: ...
