"""Column definitions and the printer contract shared by every kind's table module.

A `Printer[T]` pairs the `columnDefinitions` of a kind (names, types, formats, priorities as
Kubernetes' printers declare them; priority 1 marks the `-o wide` columns) with `cells(obj, now)`,
which computes one row's cells for every column, wide ones included (the server always computes
them; kubectl hides priority-1 columns unless asked). `conditions(obj)` gives optional row
conditions (`Completed` for finished pods). Descriptions are kubelite's own short wording.
Printers are immutable values; the returned lists are fresh and owned by the caller.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from kubelite.api.core import Container

T = TypeVar("T")

NONE = "<none>"

Cells = Callable[[T, float], list[Any]]


def column(
    name: str, description: str, *, type: str = "string", format: str = "", priority: int = 0
) -> dict[str, Any]:
    """One `TableColumnDefinition` as JSON."""
    return {
        "name": name,
        "type": type,
        "format": format,
        "description": description,
        "priority": priority,
    }


NAME = column("Name", "Name must be unique within a namespace; it identifies the object.", format="name")
AGE = column("Age", "Time since the object's creationTimestamp (when the server created it).")
CONTAINERS = column("Containers", "Names of each container in the template.", priority=1)
IMAGES = column("Images", "Images referenced by each container in the template.", priority=1)
SELECTOR = column("Selector", "The label query over pods that this object manages.", priority=1)


def _no_conditions(obj: Any) -> list[dict[str, Any]]:
    return []


@dataclass(frozen=True, slots=True)
class Printer(Generic[T]):
    """How one kind becomes table rows: its columns and a cell function."""

    columns: Sequence[dict[str, Any]]
    cells: Callable[[T, float], list[Any]]
    conditions: Callable[[T], list[dict[str, Any]]] = field(default=_no_conditions)


def container_cells(containers: Sequence[Container]) -> list[str]:
    """The Containers and Images cells: names and images joined by commas."""
    return [
        ",".join(container.name for container in containers),
        ",".join(container.image for container in containers),
    ]


def format_labels(labels: dict[str, str]) -> str:
    """`k=v` pairs sorted by key and joined by commas; `<none>` when empty (labels.FormatLabels)."""
    if not labels:
        return NONE
    return ",".join(f"{key}={labels[key]}" for key in sorted(labels))


def with_more(items: list[str], total: int, limit: int = 3) -> str:
    """Up to `limit` items joined by commas, then ` + N more...` for the rest."""
    text = ",".join(items[:limit])
    if total > limit:
        return f"{text} + {total - limit} more..."
    return text
