"""core/v1 Binding: the payload of `POST pods/{name}/binding`, assigning a pod to a node.

Not a stored resource: the apiserver applies it to the pod (SCH-8). `target` is always present
(possibly empty) so that a missing node name is reported by validation as 422, as in Kubernetes.
"""

from __future__ import annotations

import msgspec

from kubelite.api.core.reference import ObjectReference
from kubelite.api.meta import Object


class Binding(Object):
    api_version: str = msgspec.field(default_factory=lambda: "v1")
    target: ObjectReference = msgspec.field(default_factory=ObjectReference)
