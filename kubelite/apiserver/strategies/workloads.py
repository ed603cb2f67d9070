"""Strategies of the workload kinds: Deployment, ReplicaSet, ReplicationController, Job and
PodDisruptionBudget (Kubernetes' `pkg/registry/{apps,core,batch,policy}/*/strategy.go`).

All of them track generation (API-3), have a status subresource and discard a sent status on
create (API-4). Status writes to the apps kinds also keep the stored `metadata.labels`. A DELETE
without a policy orphans the dependents of core/v1 ReplicationControllers and batch/v1 Jobs and
runs in the background for the others (GC-6).
"""

from __future__ import annotations

from kubelite.api.meta import Object
from kubelite.apiserver.strategies.base import Strategy


class WorkloadStrategy(Strategy):
    def __init__(self, *, default_propagation: str = "Background") -> None:
        super().__init__(
            tracks_generation=True,
            status_subresource=True,
            reset_status_on_create=True,
            default_propagation=default_propagation,
        )


class AppsStrategy(WorkloadStrategy):
    """Deployment and ReplicaSet: a status write cannot change labels."""

    def prepare_for_status_update(self, old: Object, new: Object) -> None:
        super().prepare_for_status_update(old, new)
        new.metadata.labels = old.metadata.labels


def workload_strategies() -> dict[tuple[str, str], Strategy]:
    apps = AppsStrategy()
    return {
        ("apps", "Deployment"): apps,
        ("apps", "ReplicaSet"): apps,
        ("", "ReplicationController"): WorkloadStrategy(default_propagation="Orphan"),
        ("batch", "Job"): WorkloadStrategy(default_propagation="Orphan"),
        ("policy", "PodDisruptionBudget"): WorkloadStrategy(),
    }
