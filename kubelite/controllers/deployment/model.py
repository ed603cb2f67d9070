"""The facts about one ReplicaSet that the Deployment planners read, and the annotation names.

`RSView` is a frozen, pure snapshot of a ReplicaSet (`view(rs)` builds one): planners take views
and return `Resize` steps (name → new `spec.replicas`), so they never touch API objects. `by_age`
sorts oldest first (creationTimestamp, then name, as upstream's `ReplicaSetsByCreationTimestamp`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kubelite.api.apps import ReplicaSet

REVISION = "deployment.kubernetes.io/revision"
REVISION_HISTORY = "deployment.kubernetes.io/revision-history"
DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas"
MAX_REPLICAS = "deployment.kubernetes.io/max-replicas"
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
CHANGE_CAUSE = "kubernetes.io/change-cause"
HASH_LABEL = "pod-template-hash"


@dataclass(frozen=True, slots=True)
class RSView:
    name: str
    created: str = ""
    replicas: int = 0
    """`spec.replicas`."""
    status_replicas: int = 0
    ready: int = 0
    available: int = 0
    revision: int = 0
    desired: int | None = None
    """The `desired-replicas` annotation, None when missing or not a number."""
    max_replicas: int | None = None
    """The `max-replicas` annotation, None when missing or not a number."""

    @property
    def active(self) -> bool:
        return self.replicas > 0


@dataclass(frozen=True, slots=True)
class Resize:
    """Set `spec.replicas` of the ReplicaSet `name` to `replicas`."""

    name: str
    replicas: int


def int_annotation(annotations: Mapping[str, str], key: str) -> int | None:
    value = annotations.get(key)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None


def view(rs: ReplicaSet) -> RSView:
    meta, status = rs.metadata, rs.status
    return RSView(
        name=meta.name,
        created=meta.creation_timestamp or "",
        replicas=rs.spec.replicas or 0,
        status_replicas=status.replicas,
        ready=status.ready_replicas,
        available=status.available_replicas,
        revision=int_annotation(meta.annotations, REVISION) or 0,
        desired=int_annotation(meta.annotations, DESIRED_REPLICAS),
        max_replicas=int_annotation(meta.annotations, MAX_REPLICAS),
    )


def by_age(sets: Iterable[RSView]) -> list[RSView]:
    return sorted(sets, key=lambda rs: (rs.created, rs.name))
