"""The EndpointSlice controller (EP-11): pure planners and a thin loop.

- `endpoints` (which pods, which ports, endpoint conditions), `slices` (labels, owner, new
  slices), `portmap` (fitting endpoints into a port set's slices), `plan` (a whole sync): pure; the
  pod rules live in `kubelite.controllers.endpointutil`, shared with the Endpoints controller;
- `tracker`: this controller's own writes, by generation; `controller.EndpointSliceController`:
  the reconciler on a `Manager`.
"""

from kubelite.controllers.endpointslice.controller import (
    COMPONENT,
    EndpointSliceController,
    EndpointSliceSettings,
)

__all__ = ["COMPONENT", "EndpointSliceController", "EndpointSliceSettings"]
