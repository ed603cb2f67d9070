"""The disruption controller (NODE-16): PodDisruptionBudget status from the pods it covers.

- `plan`: the status arithmetic (expected, desired, healthy, allowed, disruptedPods expiry); pure;
- `finders`: the controllerRef chain pod → ReplicaSet → Deployment (or ReplicationController) to
  the scale a budget's percentages are taken of;
- `controller.DisruptionController`: the reconciler on a `Manager`.
"""

from kubelite.controllers.disruption.controller import COMPONENT, DisruptionController

__all__ = ["COMPONENT", "DisruptionController"]
