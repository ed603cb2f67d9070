"""Which controller a pod counts towards, and its scale (NODE-16; upstream's controller finders).

`find_workload(ref, namespace, workloads)` follows a pod's controllerRef through the listers, in
upstream's order, and returns `(uid, replicas)` of the first finder that answers:
1. a ReplicationController (core group);
2. a ReplicaSet (group apps or extensions) controlled by a Deployment: the Deployment's replicas;
3. a ReplicaSet not controlled by a Deployment: its own replicas.
Each step requires the found object's uid to equal the reference's. None means "ask the scale
subresource" (the controller does that: any kind that serves `scale`). An unset `replicas` counts
as 1, the API default.

`unmanaged_pods_message(selector)` is the warning upstream gives for pods without a controller
under a percentage budget, with the selector printed as Go's `%v` prints a `*LabelSelector`.
"""

from __future__ import annotations

from dataclasses import dataclass

from kubelite.api.apps import Deployment, ReplicaSet
from kubelite.api.core import ReplicationController
from kubelite.api.meta import LabelSelector, OwnerReference
from kubelite.informers import Lister

APPS_GROUPS = ("apps", "extensions")


@dataclass(frozen=True, slots=True)
class Workloads:
    replication_controllers: Lister[ReplicationController]
    replica_sets: Lister[ReplicaSet]
    deployments: Lister[Deployment]


def group_of(api_version: str) -> str:
    return api_version.rpartition("/")[0]


def _is(ref: OwnerReference, kind: str, groups: tuple[str, ...]) -> bool:
    return ref.kind == kind and group_of(ref.api_version) in groups


def _replicas(value: int | None) -> int:
    return 1 if value is None else value


def find_workload(ref: OwnerReference, namespace: str, workloads: Workloads) -> tuple[str, int] | None:
    if _is(ref, "ReplicationController", ("",)):
        rc = workloads.replication_controllers.get(ref.name, namespace)
        if rc is not None and rc.metadata.uid == ref.uid:
            return rc.metadata.uid, _replicas(rc.spec.replicas)
        return None
    if not _is(ref, "ReplicaSet", APPS_GROUPS):
        return None
    rs = workloads.replica_sets.get(ref.name, namespace)
    if rs is None or rs.metadata.uid != ref.uid:
        return None
    parent = next((r for r in rs.metadata.owner_references if r.controller), None)
    if parent is None or parent.kind != "Deployment":
        return rs.metadata.uid, _replicas(rs.spec.replicas)
    if not _is(parent, "Deployment", APPS_GROUPS):
        return None
    deployment = workloads.deployments.get(parent.name, namespace)
    if deployment is None or deployment.metadata.uid != parent.uid:
        return None
    return deployment.metadata.uid, _replicas(deployment.spec.replicas)


def go_selector(selector: LabelSelector | None) -> str:
    """`%v` of a Go `*LabelSelector` (its generated String method)."""
    if selector is None:
        return "nil"
    labels = "".join(f"{k}: {v}," for k, v in sorted(selector.match_labels.items()))
    expressions = "".join(
        f"LabelSelectorRequirement{{Key:{e.key},Operator:{e.operator},Values:[{' '.join(e.values)}],}},"
        for e in selector.match_expressions
    )
    return (
        f"&LabelSelector{{MatchLabels:map[string]string{{{labels}}},"
        f"MatchExpressions:[]LabelSelectorRequirement{{{expressions}}},}}"
    )


def unmanaged_pods_message(selector: LabelSelector | None) -> str:
    return (
        f"Pods selected by this PodDisruptionBudget (selector: {go_selector(selector)}) were found to be "
        "unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result "
        'in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the '
        "PDB to an integer value."
    )
