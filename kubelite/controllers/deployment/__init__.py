"""The Deployment controller (DEP-1..35): pure planners (`fenceposts`, `hashing`, `identity`,
`rolling`, `recreate`, `proportion`, `revisions`, `status`, `progress`) and a thin controller."""

from kubelite.controllers.deployment.controller import COMPONENT, DeploymentController, DeploymentSettings

__all__ = ["COMPONENT", "DeploymentController", "DeploymentSettings"]
