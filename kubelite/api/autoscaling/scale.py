"""autoscaling/v1 Scale: the payload of the `scale` subresource of Deployment, ReplicaSet and
ReplicationController.

Not a stored resource: `metadata` mirrors the parent's, `spec.replicas` is the desired count and
`status.selector` is the parent's label selector in string form (`app=web`). `status.replicas` is
always encoded (clients require it).
"""

from __future__ import annotations

import msgspec

from kubelite.api.meta import Base, Object


class ScaleSpec(Base):
    replicas: int = 0


class ScaleStatus(Base):
    replicas: int = msgspec.field(default_factory=int)
    selector: str = ""


class Scale(Object):
    api_version: str = msgspec.field(default_factory=lambda: "autoscaling/v1")
    spec: ScaleSpec = msgspec.field(default_factory=ScaleSpec)
    status: ScaleStatus = msgspec.field(default_factory=ScaleStatus)
