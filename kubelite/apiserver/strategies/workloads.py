"""Strategies of the workload kinds: Deployment, ReplicaSet, DaemonSet, ReplicationController, Job
and PodDisruptionBudget (Kubernetes' `pkg/registry/{apps,core,batch,policy}/*/strategy.go`).

All of them track generation (API-3), have a status subresource and discard a sent status on
create (API-4). Status writes to the apps kinds also keep the stored `metadata.labels`. A DELETE
without a policy orphans the dependents of core/v1 ReplicationControllers and batch/v1 Jobs and
runs in the background for the others (GC-6); a Job DELETE that names neither `propagationPolicy`
nor `orphanDependents` also earns the warning `JOB_ORPHAN_WARNING` (JOB-16), as upstream's Job
storage adds it. Deployments, ReplicaSets and ReplicationControllers
serve `scale`: `spec.replicas` (unset reads as 0), `status.replicas` and the selector as a string.
"""

from __future__ import annotations

from kubelite.api.apps import Deployment, ReplicaSet
from kubelite.api.core import ReplicationController
from kubelite.api.labels import selector_string
from kubelite.api.meta import DeleteOptions, Object
from kubelite.apiserver.strategies.base import ScaleView, Strategy


class WorkloadStrategy(Strategy):
    def __init__(self, *, default_propagation: str = "Background") -> None:
        super().__init__(
            tracks_generation=True,
            status_subresource=True,
            reset_status_on_create=True,
            default_propagation=default_propagation,
        )


class AppsStatusStrategy(WorkloadStrategy):
    """The apps kinds: a status write cannot change labels."""

    def prepare_for_status_update(self, old: Object, new: Object) -> None:
        super().prepare_for_status_update(old, new)
        new.metadata.labels = old.metadata.labels


class AppsStrategy(AppsStatusStrategy):
    """Deployment and ReplicaSet: scale reads the LabelSelector."""

    def scale_of(self, obj: Object) -> ScaleView:
        assert isinstance(obj, Deployment | ReplicaSet)
        selector = selector_string(obj.spec.selector) if obj.spec.selector is not None else ""
        return ScaleView(obj.spec.replicas or 0, obj.status.replicas, selector)

    def set_replicas(self, obj: Object, replicas: int) -> None:
        assert isinstance(obj, Deployment | ReplicaSet)
        obj.spec.replicas = replicas


class ReplicationControllerStrategy(WorkloadStrategy):
    """Orphans by default; scale reads the map selector."""

    def __init__(self) -> None:
        super().__init__(default_propagation="Orphan")

    def scale_of(self, obj: Object) -> ScaleView:
        assert isinstance(obj, ReplicationController)
        selector = ",".join(f"{k}={v}" for k, v in sorted(obj.spec.selector.items()))
        return ScaleView(obj.spec.replicas or 0, obj.status.replicas, selector)

    def set_replicas(self, obj: Object, replicas: int) -> None:
        assert isinstance(obj, ReplicationController)
        obj.spec.replicas = replicas


JOB_ORPHAN_WARNING = (
    "child pods are preserved by default when jobs are deleted; set propagationPolicy=Background "
    "to remove them or set propagationPolicy=Orphan to suppress this warning"
)


class JobStrategy(WorkloadStrategy):
    """Orphans by default, and says so when the request leaves the policy to that default."""

    def __init__(self) -> None:
        super().__init__(default_propagation="Orphan")

    def delete_warnings(self, options: DeleteOptions) -> list[str]:
        if options.propagation_policy is None and options.orphan_dependents is None:
            return [JOB_ORPHAN_WARNING]
        return []


def workload_strategies() -> dict[tuple[str, str], Strategy]:
    apps = AppsStrategy()
    return {
        ("apps", "Deployment"): apps,
        ("apps", "ReplicaSet"): apps,
        ("apps", "DaemonSet"): AppsStatusStrategy(),
        ("", "ReplicationController"): ReplicationControllerStrategy(),
        ("batch", "Job"): JobStrategy(),
        ("policy", "PodDisruptionBudget"): WorkloadStrategy(),
    }
