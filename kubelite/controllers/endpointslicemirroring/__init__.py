"""The EndpointSliceMirroring controller (EP-11 mirroring): the hand-made Endpoints of
selector-less Services mirrored into EndpointSlices.

- `desired` (what an Endpoints mirrors, slice metadata, whether mirroring applies) and `plan`
  (a whole sync, on the endpointslice controller's `reconcile_port_map`): pure;
- `controller.EndpointSliceMirroringController`: the reconciler on a `Manager`.
"""

from kubelite.controllers.endpointslicemirroring.controller import (
    EndpointSliceMirroringController,
    MirroringSettings,
)

__all__ = ["EndpointSliceMirroringController", "MirroringSettings"]
