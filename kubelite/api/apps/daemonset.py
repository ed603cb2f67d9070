"""apps/v1 DaemonSet: one pod of a template per eligible node.

kubelite stores, validates and serves DaemonSets (so clients that look a pod's DaemonSet owner up,
such as `kubectl drain`, get the answers a cluster gives), but runs no DaemonSet controller yet:
nothing creates their pods. `updateStrategy` defaults to RollingUpdate with `maxUnavailable: 1`
and `maxSurge: 0`, `revisionHistoryLimit` to 10. The four scheduling counts of the status are always
encoded, as Kubernetes prints them (clients require them); conditions merge by `type`.
"""

from __future__ import annotations

from typing import Annotated

import msgspec

from kubelite.api.core.pod import PodTemplateSpec
from kubelite.api.meta import Base, LabelSelector, Object
from kubelite.api.patchmeta import MergeKey


class RollingUpdateDaemonSet(Base):
    max_unavailable: int | str | None = None
    max_surge: int | str | None = None


class DaemonSetUpdateStrategy(Base):
    type: str = ""
    rolling_update: RollingUpdateDaemonSet | None = None


class DaemonSetSpec(Base):
    selector: LabelSelector | None = None
    template: PodTemplateSpec = msgspec.field(default_factory=PodTemplateSpec)
    update_strategy: DaemonSetUpdateStrategy = msgspec.field(default_factory=DaemonSetUpdateStrategy)
    min_ready_seconds: int = 0
    revision_history_limit: int | None = None


class DaemonSetCondition(Base):
    type: str
    status: str
    last_transition_time: str | None = None
    reason: str = ""
    message: str = ""


class DaemonSetStatus(Base):
    current_number_scheduled: int = msgspec.field(default_factory=int)
    number_misscheduled: int = msgspec.field(default_factory=int)
    desired_number_scheduled: int = msgspec.field(default_factory=int)
    number_ready: int = msgspec.field(default_factory=int)
    observed_generation: int = 0
    updated_number_scheduled: int = 0
    number_available: int = 0
    number_unavailable: int = 0
    collision_count: int | None = None
    conditions: Annotated[list[DaemonSetCondition], MergeKey("type")] = []


class DaemonSet(Object):
    api_version: str = msgspec.field(default_factory=lambda: "apps/v1")
    spec: DaemonSetSpec = msgspec.field(default_factory=DaemonSetSpec)
    status: DaemonSetStatus = msgspec.field(default_factory=DaemonSetStatus)
