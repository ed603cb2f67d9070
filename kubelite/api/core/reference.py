"""core/v1 ObjectReference: a pointer to another object, used by Event, Binding and Endpoints.

Every field is optional, as in Kubernetes; validators of the kinds that embed it decide which
fields a reference must carry (a Binding's target needs a name, for example).
"""

from __future__ import annotations

from kubelite.api.meta import Base


class ObjectReference(Base):
    kind: str = ""
    namespace: str = ""
    name: str = ""
    uid: str = ""
    api_version: str = ""
    resource_version: str = ""
    field_path: str = ""


class LocalObjectReference(Base):
    """A reference by name to an object in the same namespace (e.g. `imagePullSecrets`)."""

    name: str = ""
