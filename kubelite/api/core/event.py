"""core/v1 Event: something that happened to an object (`involvedObject`), as `kubectl get
events` and `kubectl describe` show them.

Timestamps are RFC 3339 strings; `eventTime` is MicroTime (microsecond precision) and stays a
string. `reportingComponent` and `reportingInstance` are always encoded, as Kubernetes prints
them. There is no `series` (kubelite counts repeats in `count`).
"""

from __future__ import annotations

import msgspec

from kubelite.api.core.reference import ObjectReference
from kubelite.api.meta import Base, Object


class EventSource(Base):
    component: str = ""
    host: str = ""


class Event(Object):
    api_version: str = msgspec.field(default_factory=lambda: "v1")
    involved_object: ObjectReference = msgspec.field(default_factory=ObjectReference)
    reason: str = ""
    message: str = ""
    source: EventSource = msgspec.field(default_factory=EventSource)
    first_timestamp: str | None = None
    last_timestamp: str | None = None
    count: int = 0
    type: str = ""
    event_time: str | None = None
    action: str = ""
    related: ObjectReference | None = None
    reporting_component: str = msgspec.field(default_factory=str)
    reporting_instance: str = msgspec.field(default_factory=str)
