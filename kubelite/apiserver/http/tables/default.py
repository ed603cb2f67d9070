"""Rows for kinds without their own printer (plugin kinds): Name and Age.

This is what Kubernetes shows for a custom resource without additional printer columns: the
name and an Age column of type `date` computed by the server from `creationTimestamp`.
"""

from __future__ import annotations

from typing import Any

from kubelite.api.meta import Object

from .columns import NAME, Printer, column
from .humanduration import since

COLUMNS = (
    NAME,
    column(
        "Age",
        "Time since the object's creationTimestamp (when the server created it).",
        type="date",
    ),
)


def cells(obj: Object, now: float) -> list[Any]:
    return [obj.metadata.name, since(obj.metadata.creation_timestamp, now)]


PRINTER: Printer[Object] = Printer(COLUMNS, cells)
