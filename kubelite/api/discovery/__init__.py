"""The discovery.k8s.io group, version v1: EndpointSlice.

`EndpointPort` here is the discovery variant (every field optional), distinct from
`kubelite.api.core.EndpointPort`.
"""

from kubelite.api.discovery.endpointslice import (
    Endpoint,
    EndpointConditions,
    EndpointHints,
    EndpointPort,
    EndpointSlice,
    ForZone,
)

__all__ = ["Endpoint", "EndpointConditions", "EndpointHints", "EndpointPort", "EndpointSlice", "ForZone"]
