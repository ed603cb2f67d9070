"""Rows for Namespaces, Leases and PodDisruptionBudgets (upstream's printers, reproduced).

Namespaces: Status (the phase), Age. Leases: Holder (the holder identity, empty when unset), Age.
PodDisruptionBudgets: Min Available and Max Unavailable (the int-or-string value, `N/A` when
unset), Allowed Disruptions, Age.
"""

from __future__ import annotations

from typing import Any

from kubelite.api.coordination import Lease
from kubelite.api.core import Namespace
from kubelite.api.policy import PodDisruptionBudget

from .columns import AGE, NAME, Printer, column
from .humanduration import since

NAMESPACE_COLUMNS = (NAME, column("Status", "The lifecycle phase of the namespace."), AGE)
LEASE_COLUMNS = (NAME, column("Holder", "The identity of the lease's current holder."), AGE)
PDB_COLUMNS = (
    NAME,
    column("Min Available", "Pods that must stay available after an eviction."),
    column("Max Unavailable", "Pods that may be unavailable after an eviction."),
    column("Allowed Disruptions", "Pod disruptions currently allowed.", type="integer"),
    AGE,
)


def namespace_cells(obj: Namespace, now: float) -> list[Any]:
    return [obj.metadata.name, obj.status.phase, since(obj.metadata.creation_timestamp, now)]


def lease_cells(obj: Lease, now: float) -> list[Any]:
    holder = obj.spec.holder_identity or ""
    return [obj.metadata.name, holder, since(obj.metadata.creation_timestamp, now)]


def _int_or_string(value: int | str | None) -> str:
    return "N/A" if value is None else str(value)


def pdb_cells(obj: PodDisruptionBudget, now: float) -> list[Any]:
    return [
        obj.metadata.name,
        _int_or_string(obj.spec.min_available),
        _int_or_string(obj.spec.max_unavailable),
        obj.status.disruptions_allowed,
        since(obj.metadata.creation_timestamp, now),
    ]


NAMESPACE: Printer[Namespace] = Printer(NAMESPACE_COLUMNS, namespace_cells)
LEASE: Printer[Lease] = Printer(LEASE_COLUMNS, lease_cells)
PDB: Printer[PodDisruptionBudget] = Printer(PDB_COLUMNS, pdb_cells)
