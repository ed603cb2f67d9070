"""Scripted failures for the fake CRI services (error injection).

Contract: `FaultPlan.fail_next(method, error, times)` queues `error` for the next `times` calls of
`method`; `FaultPlan.check(method)` is called first thing by every public method of a fake service
and raises the oldest queued error, before any state changes. Unknown method names are rejected
when scripted, so a typo in a test fails loudly instead of never firing.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from kubelite.cri.errors import CRIError


class FaultPlan:
    """Per-method queues of errors to raise."""

    __slots__ = ("_methods", "_queued")

    def __init__(self, methods: Iterable[str]) -> None:
        self._methods = frozenset(methods)
        self._queued: dict[str, deque[CRIError]] = {}

    def fail_next(self, method: str, error: CRIError, times: int = 1) -> None:
        if method not in self._methods:
            raise ValueError(f"{method!r} is not a method of this service: {sorted(self._methods)}")
        if times < 1:
            raise ValueError("times must be at least 1")
        self._queued.setdefault(method, deque()).extend([error] * times)

    def pending(self, method: str) -> int:
        """How many scripted failures `method` still has."""
        return len(self._queued.get(method, ()))

    def check(self, method: str) -> None:
        """Raise the next scripted failure of `method`, if any."""
        if not self._queued:
            return
        queue = self._queued.get(method)
        if queue:
            error = queue.popleft()
            if not queue:
                del self._queued[method]
            raise error
