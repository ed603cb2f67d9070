"""Finalizer-removal expectations: which pods' tracking finalizers a Job sync removed but the
informer has not yet shown removed (upstream's `uidTrackingExpectations`).

Why: after step 3 of the counting protocol (`tracking`) a pod's UID leaves
`uncountedTerminatedPods`; if the cache still shows the pod with the finalizer, the next sync
would count it again. `expect(key, uids)` records the removals a sync made; the Pod handler
reports `observed(key, uid)` when a pod shows up without the finalizer or is deleted; `pending(key)`
is what a sync must skip. State lives in memory only: after a restart the informer's fresh list
already shows the removals, so nothing is lost. `forget(key)` drops a deleted Job's record.
"""

from __future__ import annotations

from collections.abc import Iterable


class FinalizerExpectations:
    def __init__(self) -> None:
        self._pending: dict[str, set[str]] = {}

    def expect(self, key: str, uids: Iterable[str]) -> None:
        added = set(uids)
        if added:
            self._pending.setdefault(key, set()).update(added)

    def observed(self, key: str, uid: str) -> None:
        pending = self._pending.get(key)
        if pending is None:
            return
        pending.discard(uid)
        if not pending:
            del self._pending[key]

    def pending(self, key: str) -> frozenset[str]:
        return frozenset(self._pending.get(key, ()))

    def forget(self, key: str) -> None:
        self._pending.pop(key, None)
