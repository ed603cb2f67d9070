"""Rows for DaemonSets (upstream's printer, reproduced): Desired, Current, Ready, Up-to-date and
Available from the status, the template's Node Selector (`key=value` pairs joined by commas,
`<none>` when empty), Age, and the wide Containers, Images and Selector."""

from __future__ import annotations

from typing import Any

from kubelite.api.apps import DaemonSet
from kubelite.api.labels import selector_string

from .columns import AGE, CONTAINERS, IMAGES, NAME, SELECTOR, Printer, column, container_cells
from .humanduration import since

COLUMNS = (
    NAME,
    column("Desired", "The desired number of nodes that should be running the daemon pod.", type="integer"),
    column("Current", "The number of nodes that are running at least 1 daemon pod.", type="integer"),
    column(
        "Ready",
        "The number of nodes that should be running the daemon pod and have one ready.",
        type="integer",
    ),
    column("Up-to-date", "The number of nodes that are running the updated daemon pod.", type="integer"),
    column("Available", "The number of nodes that have the daemon pod available.", type="integer"),
    column("Node Selector", "The template's nodeSelector."),
    AGE,
    CONTAINERS,
    IMAGES,
    SELECTOR,
)


def node_selector(selector: dict[str, str]) -> str:
    return ",".join(f"{key}={value}" for key, value in sorted(selector.items())) or "<none>"


def cells(obj: DaemonSet, now: float) -> list[Any]:
    status, template = obj.status, obj.spec.template
    try:
        selector = selector_string(obj.spec.selector)
    except ValueError:
        selector = ""
    return [
        obj.metadata.name,
        status.desired_number_scheduled,
        status.current_number_scheduled,
        status.number_ready,
        status.updated_number_scheduled,
        status.number_available,
        node_selector(template.spec.node_selector),
        since(obj.metadata.creation_timestamp, now),
        *container_cells(template.spec.containers),
        selector,
    ]


PRINTER: Printer[DaemonSet] = Printer(COLUMNS, cells)
