"""The apps group, version v1: Deployment, ReplicaSet and DaemonSet."""

from kubelite.api.apps.daemonset import (
    DaemonSet,
    DaemonSetCondition,
    DaemonSetSpec,
    DaemonSetStatus,
    DaemonSetUpdateStrategy,
    RollingUpdateDaemonSet,
)
from kubelite.api.apps.deployment import (
    Deployment,
    DeploymentCondition,
    DeploymentSpec,
    DeploymentStatus,
    DeploymentStrategy,
    RollingUpdateDeployment,
)
from kubelite.api.apps.replicaset import ReplicaSet, ReplicaSetCondition, ReplicaSetSpec, ReplicaSetStatus

__all__ = [
    "DaemonSet",
    "DaemonSetCondition",
    "DaemonSetSpec",
    "DaemonSetStatus",
    "DaemonSetUpdateStrategy",
    "Deployment",
    "DeploymentCondition",
    "DeploymentSpec",
    "DeploymentStatus",
    "DeploymentStrategy",
    "ReplicaSet",
    "ReplicaSetCondition",
    "ReplicaSetSpec",
    "ReplicaSetStatus",
    "RollingUpdateDaemonSet",
    "RollingUpdateDeployment",
]
