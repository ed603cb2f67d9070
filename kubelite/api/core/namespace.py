"""core/v1 Namespace: `spec.finalizers` (the `kubernetes` finalizer the namespace controller
removes once the namespace is empty) and `status.phase` (`Active` or `Terminating`).
"""

from __future__ import annotations

from typing import Annotated

import msgspec

from kubelite.api.meta import Base, Object
from kubelite.api.patchmeta import MergeKey


class NamespaceSpec(Base):
    finalizers: list[str] = []


class NamespaceCondition(Base):
    type: str
    status: str
    last_transition_time: str | None = None
    reason: str = ""
    message: str = ""


class NamespaceStatus(Base):
    phase: str = ""
    conditions: Annotated[list[NamespaceCondition], MergeKey("type")] = []


class Namespace(Object):
    api_version: str = msgspec.field(default_factory=lambda: "v1")
    spec: NamespaceSpec = msgspec.field(default_factory=NamespaceSpec)
    status: NamespaceStatus = msgspec.field(default_factory=NamespaceStatus)
