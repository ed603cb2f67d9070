"""Defaults for apps/v1 Deployment (DEP-1) and ReplicaSet (RS-1).

- Deployment: `replicas: 1`, `strategy.type: RollingUpdate` and, for RollingUpdate,
  `maxUnavailable: 25%` and `maxSurge: 25%` (each only when unset; a Recreate strategy gets no
  `rollingUpdate`), `revisionHistoryLimit: 10`, `progressDeadlineSeconds: 600`.
- ReplicaSet: `replicas: 1`.
- DaemonSet: `updateStrategy.type: RollingUpdate` and, for RollingUpdate, `maxUnavailable: 1` and
  `maxSurge: 0` (each only when unset), `revisionHistoryLimit: 10`.
All three templates get the pod-spec defaults (not the Pod-only ones). Unlike ReplicationController,
apps/v1 kinds never default their selector or labels from the template.
"""

from __future__ import annotations

from kubelite.api.apps import (
    DaemonSet,
    Deployment,
    ReplicaSet,
    RollingUpdateDaemonSet,
    RollingUpdateDeployment,
)
from kubelite.api.defaults.pod import default_pod_spec

DEFAULT_ROLLING_PERCENT = "25%"


def default_deployment(deployment: Deployment) -> None:
    spec = deployment.spec
    if spec.replicas is None:
        spec.replicas = 1
    strategy = spec.strategy
    strategy.type = strategy.type or "RollingUpdate"
    if strategy.type == "RollingUpdate":
        rolling = strategy.rolling_update
        if rolling is None:
            rolling = strategy.rolling_update = RollingUpdateDeployment()
        if rolling.max_unavailable is None:
            rolling.max_unavailable = DEFAULT_ROLLING_PERCENT
        if rolling.max_surge is None:
            rolling.max_surge = DEFAULT_ROLLING_PERCENT
    if spec.revision_history_limit is None:
        spec.revision_history_limit = 10
    if spec.progress_deadline_seconds is None:
        spec.progress_deadline_seconds = 600
    default_pod_spec(spec.template.spec)


def default_replica_set(replica_set: ReplicaSet) -> None:
    if replica_set.spec.replicas is None:
        replica_set.spec.replicas = 1
    default_pod_spec(replica_set.spec.template.spec)


def default_daemon_set(daemon_set: DaemonSet) -> None:
    spec = daemon_set.spec
    strategy = spec.update_strategy
    strategy.type = strategy.type or "RollingUpdate"
    if strategy.type == "RollingUpdate":
        rolling = strategy.rolling_update
        if rolling is None:
            rolling = strategy.rolling_update = RollingUpdateDaemonSet()
        if rolling.max_unavailable is None:
            rolling.max_unavailable = 1
        if rolling.max_surge is None:
            rolling.max_surge = 0
    if spec.revision_history_limit is None:
        spec.revision_history_limit = 10
    default_pod_spec(spec.template.spec)
