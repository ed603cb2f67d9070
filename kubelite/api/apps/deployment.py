"""apps/v1 Deployment: declarative rollouts of a pod template through ReplicaSets.

Pointer fields stay `None` until defaulting (DEP-1): `replicas` 1, `revisionHistoryLimit` 10,
`progressDeadlineSeconds` 600, and a `RollingUpdate` strategy with 25%/25%. `maxSurge` and
`maxUnavailable` are int-or-string (`1` or `"25%"`). `strategy` honours `$retainKeys` in strategic
merge patches (switching to `Recreate` drops `rollingUpdate`); conditions merge by `type`.
"""

from __future__ import annotations

from typing import Annotated

import msgspec

from kubelite.api.core.pod import PodTemplateSpec
from kubelite.api.meta import Base, LabelSelector, Object
from kubelite.api.patchmeta import MergeKey, RetainKeys


class RollingUpdateDeployment(Base):
    max_unavailable: int | str | None = None
    max_surge: int | str | None = None


class DeploymentStrategy(Base):
    type: str = ""
    rolling_update: RollingUpdateDeployment | None = None


class DeploymentSpec(Base):
    replicas: int | None = None
    selector: LabelSelector | None = None
    template: PodTemplateSpec = msgspec.field(default_factory=PodTemplateSpec)
    strategy: Annotated[DeploymentStrategy, RetainKeys()] = msgspec.field(default_factory=DeploymentStrategy)
    min_ready_seconds: int = 0
    revision_history_limit: int | None = None
    paused: bool = False
    progress_deadline_seconds: int | None = None


class DeploymentCondition(Base):
    type: str
    status: str
    last_update_time: str | None = None
    last_transition_time: str | None = None
    reason: str = ""
    message: str = ""


class DeploymentStatus(Base):
    observed_generation: int = 0
    replicas: int = 0
    updated_replicas: int = 0
    ready_replicas: int = 0
    available_replicas: int = 0
    unavailable_replicas: int = 0
    terminating_replicas: int | None = None
    conditions: Annotated[list[DeploymentCondition], MergeKey("type")] = []
    collision_count: int | None = None


class Deployment(Object):
    api_version: str = msgspec.field(default_factory=lambda: "apps/v1")
    spec: DeploymentSpec = msgspec.field(default_factory=DeploymentSpec)
    status: DeploymentStatus = msgspec.field(default_factory=DeploymentStatus)
