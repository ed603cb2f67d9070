"""core/v1 ReplicationController: the ancestor of ReplicaSet, with an equality-only selector map.

`spec.selector` is a plain `dict[str, str]` and `spec.template` is optional (a Go pointer). An empty
selector and empty `metadata.labels` default to the template's labels (RS-11). `status.replicas` is
always encoded, as Kubernetes prints it.
"""

from __future__ import annotations

from typing import Annotated

import msgspec

from kubelite.api.core.pod import PodTemplateSpec
from kubelite.api.meta import Base, Object
from kubelite.api.patchmeta import MergeKey


class ReplicationControllerSpec(Base):
    replicas: int | None = None
    min_ready_seconds: int = 0
    selector: dict[str, str] = {}
    template: PodTemplateSpec | None = None


class ReplicationControllerCondition(Base):
    type: str
    status: str
    last_transition_time: str | None = None
    reason: str = ""
    message: str = ""


class ReplicationControllerStatus(Base):
    replicas: int = msgspec.field(default_factory=int)
    fully_labeled_replicas: int = 0
    ready_replicas: int = 0
    available_replicas: int = 0
    observed_generation: int = 0
    conditions: Annotated[list[ReplicationControllerCondition], MergeKey("type")] = []


class ReplicationController(Object):
    api_version: str = msgspec.field(default_factory=lambda: "v1")
    spec: ReplicationControllerSpec = msgspec.field(default_factory=ReplicationControllerSpec)
    status: ReplicationControllerStatus = msgspec.field(default_factory=ReplicationControllerStatus)
