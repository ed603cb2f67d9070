"""apps/v1 ReplicaSet: keeps `replicas` copies of a pod template running (RS-1..RS-10).

`replicas` defaults to 1. `status.replicas` is always encoded, as Kubernetes prints it (clients
require it); conditions merge by `type`.
"""

from __future__ import annotations

from typing import Annotated

import msgspec

from kubelite.api.core.pod import PodTemplateSpec
from kubelite.api.meta import Base, LabelSelector, Object
from kubelite.api.patchmeta import MergeKey


class ReplicaSetSpec(Base):
    replicas: int | None = None
    min_ready_seconds: int = 0
    selector: LabelSelector | None = None
    template: PodTemplateSpec = msgspec.field(default_factory=PodTemplateSpec)


class ReplicaSetCondition(Base):
    type: str
    status: str
    last_transition_time: str | None = None
    reason: str = ""
    message: str = ""


class ReplicaSetStatus(Base):
    replicas: int = msgspec.field(default_factory=int)
    fully_labeled_replicas: int = 0
    ready_replicas: int = 0
    available_replicas: int = 0
    terminating_replicas: int | None = None
    observed_generation: int = 0
    conditions: Annotated[list[ReplicaSetCondition], MergeKey("type")] = []


class ReplicaSet(Object):
    api_version: str = msgspec.field(default_factory=lambda: "apps/v1")
    spec: ReplicaSetSpec = msgspec.field(default_factory=ReplicaSetSpec)
    status: ReplicaSetStatus = msgspec.field(default_factory=ReplicaSetStatus)
