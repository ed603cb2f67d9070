"""What differs between ReplicaSet and ReplicationController (RS-11): one strategy per kind.

The controller is generic over a `ReplicaKind`; everything kind-specific is here:
- `REPLICA_SET`: apps/v1 ReplicaSet, a `LabelSelector` (matchLabels and matchExpressions);
- `REPLICATION_CONTROLLER`: core/v1 ReplicationController, an equality-only `spec.selector` map
  (an empty one was defaulted to the template labels by the API; a template-less RC gets an
  empty pod template).
Pods get the C-3 reference with the kind's own `apiVersion` and `kind`. A selector that selects
everything (empty) is treated as selecting nothing, as upstream refuses such owners in validation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, TypeVar

from kubelite.api.apps import ReplicaSet, ReplicaSetStatus
from kubelite.api.core import PodTemplateSpec, ReplicationController, ReplicationControllerStatus
from kubelite.api.labels import Selector, from_label_selector
from kubelite.api.meta import Object, OwnerReference
from kubelite.controllers.replicaset.status import Condition, ReplicaStatus

OwnerT = TypeVar("OwnerT", bound=Object)


class ReplicaKind(Protocol[OwnerT]):
    @property
    def type(self) -> type[OwnerT]: ...

    @property
    def controller_name(self) -> str: ...

    @property
    def component(self) -> str: ...

    def selector(self, owner: OwnerT) -> Selector: ...

    def replicas(self, owner: OwnerT) -> int: ...

    def min_ready_seconds(self, owner: OwnerT) -> int: ...

    def template(self, owner: OwnerT) -> PodTemplateSpec: ...

    def status(self, owner: OwnerT) -> ReplicaStatus: ...


def owner_reference(owner: Object) -> OwnerReference:
    """The C-3 controller reference to `owner`."""
    return OwnerReference(
        api_version=owner.api_version,
        kind=type(owner).__name__,
        name=owner.metadata.name,
        uid=owner.metadata.uid,
        controller=True,
        block_owner_deletion=True,
    )


def _non_empty(selector: Selector) -> Selector:
    return Selector.nothing() if selector.empty else selector


def _view(status: ReplicaSetStatus | ReplicationControllerStatus) -> ReplicaStatus:
    """The kind-neutral view of either status (both have the same fields)."""
    conditions = tuple(
        Condition(c.type, c.status, c.reason, c.message, c.last_transition_time) for c in status.conditions
    )
    return ReplicaStatus(
        replicas=status.replicas,
        fully_labeled_replicas=status.fully_labeled_replicas,
        ready_replicas=status.ready_replicas,
        available_replicas=status.available_replicas,
        observed_generation=status.observed_generation,
        conditions=conditions,
    )


@dataclass(frozen=True, slots=True)
class _ReplicaSetKind:
    type: type[ReplicaSet] = ReplicaSet
    controller_name: str = "replicaset"
    component: str = "replicaset-controller"

    def selector(self, owner: ReplicaSet) -> Selector:
        return _non_empty(from_label_selector(owner.spec.selector))

    def replicas(self, owner: ReplicaSet) -> int:
        return 1 if owner.spec.replicas is None else owner.spec.replicas

    def min_ready_seconds(self, owner: ReplicaSet) -> int:
        return owner.spec.min_ready_seconds

    def template(self, owner: ReplicaSet) -> PodTemplateSpec:
        return owner.spec.template

    def status(self, owner: ReplicaSet) -> ReplicaStatus:
        return _view(owner.status)


@dataclass(frozen=True, slots=True)
class _ReplicationControllerKind:
    type: type[ReplicationController] = ReplicationController
    controller_name: str = "replicationcontroller"
    component: str = "replication-controller"

    def selector(self, owner: ReplicationController) -> Selector:
        return _non_empty(Selector.from_set(owner.spec.selector))

    def replicas(self, owner: ReplicationController) -> int:
        return 1 if owner.spec.replicas is None else owner.spec.replicas

    def min_ready_seconds(self, owner: ReplicationController) -> int:
        return owner.spec.min_ready_seconds

    def template(self, owner: ReplicationController) -> PodTemplateSpec:
        return owner.spec.template if owner.spec.template is not None else PodTemplateSpec()

    def status(self, owner: ReplicationController) -> ReplicaStatus:
        return _view(owner.status)


REPLICA_SET: ReplicaKind[ReplicaSet] = _ReplicaSetKind()
REPLICATION_CONTROLLER: ReplicaKind[ReplicationController] = _ReplicationControllerKind()
