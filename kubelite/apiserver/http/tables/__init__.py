"""Table responses (`meta.k8s.io/v1` Table) for `kubectl get`.

`to_table(info, objects, now=..., include_object=..., resource_version=..., continue_token=...)`
returns a whole Table: column definitions, one row per object with server-computed cells, and each
row's `object` as PartialObjectMetadata ("Metadata", the default), the full object ("Object") or
absent ("None"). This minimal version gives every kind Kubernetes' default columns (Name, Age);
kind-specific columns come with the tables package proper.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from kubelite.api.meta import Object
from kubelite.api.registry import ResourceInfo
from kubelite.clock import parse_rfc3339

_COLUMNS: list[dict[str, Any]] = [
    {
        "name": "Name",
        "type": "string",
        "format": "name",
        "description": "Name must be unique within a namespace.",
        "priority": 0,
    },
    {
        "name": "Age",
        "type": "string",
        "format": "",
        "description": "CreationTimestamp is a timestamp representing the server time when this object "
        "was created.",
        "priority": 0,
    },
]


def to_table(
    info: ResourceInfo,
    objects: Sequence[Object],
    *,
    now: float,
    include_object: str = "Metadata",
    resource_version: str = "",
    continue_token: str = "",
) -> dict[str, Any]:
    metadata: dict[str, Any] = {}
    if resource_version:
        metadata["resourceVersion"] = resource_version
    if continue_token:
        metadata["continue"] = continue_token
    rows = [_row(obj, now, include_object) for obj in objects]
    return {
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": metadata,
        "columnDefinitions": _COLUMNS,
        "rows": rows,
    }


def _row(obj: Object, now: float, include_object: str) -> dict[str, Any]:
    row: dict[str, Any] = {"cells": [obj.metadata.name, _age(obj, now)]}
    if include_object == "Object":
        row["object"] = msgspec.to_builtins(obj)
    elif include_object != "None":
        row["object"] = {
            "kind": "PartialObjectMetadata",
            "apiVersion": "meta.k8s.io/v1",
            "metadata": msgspec.to_builtins(obj.metadata),
        }
    return row


def _age(obj: Object, now: float) -> str:
    created = obj.metadata.creation_timestamp
    if not created:
        return "<unknown>"
    seconds = max(0, int(now - parse_rfc3339(created)))
    if seconds < 120:
        return f"{seconds}s"
    if seconds < 7200:
        return f"{seconds // 60}m"
    if seconds < 172800:
        return f"{seconds // 3600}h"
    return f"{seconds // 86400}d"
