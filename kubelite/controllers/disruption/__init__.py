"""The disruption controller (NODE-16): PodDisruptionBudget status from the pods it covers.

- `plan`: the status arithmetic (expected, desired, healthy, allowed, disruptedPods expiry); pure;
- `finders`: the controllerRef chain pod → ReplicaSet → Deployment (or ReplicationController) to
  the scale a budget's percentages are taken of;
- `controller.DisruptionController`: the reconciler on a `Manager`;
- `stale.StaleDisruptionController`: resets a `DisruptionTarget=True` left on a pod that was not
  deleted, 2 minutes on.
"""

from kubelite.controllers.disruption.controller import COMPONENT, DisruptionController
from kubelite.controllers.disruption.stale import StaleDisruptionController

__all__ = ["COMPONENT", "DisruptionController", "StaleDisruptionController"]
