"""The apps group, version v1: Deployment and ReplicaSet."""

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
    "Deployment",
    "DeploymentCondition",
    "DeploymentSpec",
    "DeploymentStatus",
    "DeploymentStrategy",
    "ReplicaSet",
    "ReplicaSetCondition",
    "ReplicaSetSpec",
    "ReplicaSetStatus",
    "RollingUpdateDeployment",
]
