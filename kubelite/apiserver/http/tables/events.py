"""Event rows as `kubectl get events` shows them (upstream's event printer, reproduced).

Columns: Last Seen, Type, Reason, Object (`kind/name` lower-cased kind, or just the kind), the
wide Subobject (the field path) and Source (`component, host`, falling back to the reporting
controller and instance), Message (trimmed), then wide First Seen, Count and Name. First Seen is
the age of `firstTimestamp` (else of `eventTime`); Last Seen the age of `lastTimestamp`, else
First Seen (kubelite has no event series). A singleton event's Count of 0 reads 1.
"""

from __future__ import annotations

from typing import Any

from kubelite.api.core import Event

from .columns import Printer, column
from .humanduration import since

COLUMNS = (
    column("Last Seen", "Time since the event was last observed."),
    column("Type", "The type of this event (Normal, Warning)."),
    column("Reason", "A short, machine understandable reason for the event."),
    column("Object", "The object this event is about."),
    column("Subobject", "The part of the object this event is about.", priority=1),
    column("Source", "The component that reported this event.", priority=1),
    column("Message", "A human-readable description of the event."),
    column("First Seen", "Time since the event was first observed.", priority=1),
    column("Count", "How many times the event occurred.", priority=1),
    column("Name", "The event's name.", format="name", priority=1),
)


def _target(event: Event) -> str:
    kind, name = event.involved_object.kind.lower(), event.involved_object.name
    return f"{kind}/{name}" if name else kind


def source(event: Event) -> str:
    component = event.source.component or event.reporting_component
    instance = event.source.host or event.reporting_instance
    return f"{component}, {instance}" if instance else component


def seen(event: Event, now: float) -> tuple[str, str]:
    """(first seen, last seen) ages."""
    first_time = event.first_timestamp or event.event_time
    first = since(first_time, now)
    last = since(event.last_timestamp, now) if event.last_timestamp else first
    return first, last


def cells(event: Event, now: float) -> list[Any]:
    first, last = seen(event, now)
    return [
        last,
        event.type,
        event.reason,
        _target(event),
        event.involved_object.field_path,
        source(event),
        event.message.strip(),
        first,
        event.count or 1,
        event.metadata.name,
    ]


PRINTER: Printer[Event] = Printer(COLUMNS, cells)
