"""The Pod strategy (Kubernetes' `pkg/registry/core/pod/strategy.go`).

- Create: generation 1 and the status reset to `phase: Pending`, so clients cannot create running
  pods.
- Main writes keep the stored status; status writes keep the stored spec and ownerReferences (old
  kubelets corrupt them); generation moves on spec changes.
- Deletion is graceful (KUB-12): the period is the request's `gracePeriodSeconds`, else the pod's
  `terminationGracePeriodSeconds`, else the server default; 0 for a pod that is not scheduled or
  already Succeeded or Failed; a negative request means 1 s, never "at once".
"""

from __future__ import annotations

from kubelite.api.core import Pod, PodStatus
from kubelite.api.meta import Object
from kubelite.apiserver.strategies.base import Strategy

TERMINAL_PHASES = ("Succeeded", "Failed")


class PodStrategy(Strategy):
    graceful_delete = True
    return_deleted_object = True

    def __init__(self) -> None:
        super().__init__(tracks_generation=True, status_subresource=True, reset_status_on_create=True)

    def prepare_for_create(self, obj: Object) -> None:
        super().prepare_for_create(obj)
        assert isinstance(obj, Pod)
        obj.status = PodStatus(phase="Pending")

    def prepare_for_status_update(self, old: Object, new: Object) -> None:
        super().prepare_for_status_update(old, new)
        new.metadata.owner_references = old.metadata.owner_references

    def graceful_period(self, obj: Object, requested: int | None, default: int) -> int:
        assert isinstance(obj, Pod)
        period = requested
        if period is None:
            period = obj.spec.termination_grace_period_seconds
        if period is None:
            period = default
        if not obj.spec.node_name or obj.status.phase in TERMINAL_PHASES:
            period = 0
        return 1 if period < 0 else period
