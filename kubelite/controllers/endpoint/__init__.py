"""The Endpoints controller (EP-1..EP-10): pure planners and a thin loop.

- `addresses` (EP-2..EP-5, EP-7), `repack` (EP-6), `capacity` (EP-10), `desired` (EP-8, EP-9):
  pure; the pod rules they use live in `kubelite.controllers.endpointutil`, shared with the
  EndpointSlice controller;
- `stale`: the cache-lag guard; `controller.EndpointsController`: the reconciler on a `Manager`.
"""

from kubelite.controllers.endpoint.controller import COMPONENT, EndpointsController, EndpointsSettings

__all__ = ["COMPONENT", "EndpointsController", "EndpointsSettings"]
