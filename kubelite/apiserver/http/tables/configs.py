"""Rows for ConfigMaps and Secrets (upstream's printers, reproduced).

ConfigMaps: Data (the number of `data` plus `binaryData` keys), Age. Secrets: Type, Data (the
number of `data` keys; `stringData` is write-only and merged into `data` on write), Age.
"""

from __future__ import annotations

from typing import Any

from kubelite.api.core import ConfigMap, Secret

from .columns import AGE, NAME, Printer, column
from .humanduration import since

_DATA = column("Data", "Number of keys in the object's data.", type="integer")
CONFIGMAP_COLUMNS = (NAME, _DATA, AGE)
SECRET_COLUMNS = (NAME, column("Type", "The type of the secret."), _DATA, AGE)


def configmap_cells(obj: ConfigMap, now: float) -> list[Any]:
    count = len(obj.data) + len(obj.binary_data)
    return [obj.metadata.name, count, since(obj.metadata.creation_timestamp, now)]


def secret_cells(obj: Secret, now: float) -> list[Any]:
    age = since(obj.metadata.creation_timestamp, now)
    return [obj.metadata.name, obj.type, len(obj.data), age]


CONFIGMAP: Printer[ConfigMap] = Printer(CONFIGMAP_COLUMNS, configmap_cells)
SECRET: Printer[Secret] = Printer(SECRET_COLUMNS, secret_cells)
