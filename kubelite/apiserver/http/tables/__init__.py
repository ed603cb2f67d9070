"""Table responses (`meta.k8s.io/v1` Table) for `kubectl get`, with Kubernetes' own columns.

`to_table(info, objects, now=..., include_object=..., resource_version=..., continue_token=...)`
returns a whole Table: the kind's column definitions (priority-1 columns are the `-o wide` ones),
one row per object, in order, with every cell computed by the server at `now` (seconds since the
epoch), and each row's `object` as PartialObjectMetadata (`include_object="Metadata"`, the
default), the full object (`"Object"`) or absent (`"None"`). Built-in kinds use the printer of
their module (pods, nodes, workloads, services, events, configs, cluster); any other kind (a
plugin kind) gets Name and Age. The result is fresh JSON-shaped data owned by the caller; the
objects are only read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import msgspec

from kubelite.api.meta import Object
from kubelite.api.registry import ResourceInfo

from . import cluster, configs, daemonsets, default, events, nodes, pods, services, workloads
from .columns import Printer

PRINTERS: Mapping[tuple[str, str], Printer[Any]] = {
    ("", "Pod"): pods.PRINTER,
    ("", "Node"): nodes.PRINTER,
    ("", "Namespace"): cluster.NAMESPACE,
    ("", "ConfigMap"): configs.CONFIGMAP,
    ("", "Secret"): configs.SECRET,
    ("", "Service"): services.SERVICE,
    ("", "Endpoints"): services.ENDPOINTS,
    ("", "Event"): events.PRINTER,
    ("", "ReplicationController"): workloads.REPLICATIONCONTROLLER,
    ("apps", "Deployment"): workloads.DEPLOYMENT,
    ("apps", "ReplicaSet"): workloads.REPLICASET,
    ("apps", "DaemonSet"): daemonsets.PRINTER,
    ("batch", "Job"): workloads.JOB,
    ("coordination.k8s.io", "Lease"): cluster.LEASE,
    ("policy", "PodDisruptionBudget"): cluster.PDB,
    ("discovery.k8s.io", "EndpointSlice"): services.ENDPOINTSLICE,
}
"""The printer of each built-in kind, by (group, kind)."""


def printer_for(info: ResourceInfo) -> Printer[Any]:
    return PRINTERS.get((info.group, info.kind), default.PRINTER)


def to_table(
    info: ResourceInfo,
    objects: Sequence[Object],
    *,
    now: float,
    include_object: str = "Metadata",
    resource_version: str = "",
    continue_token: str = "",
) -> dict[str, Any]:
    printer = printer_for(info)
    metadata: dict[str, Any] = {}
    if resource_version:
        metadata["resourceVersion"] = resource_version
    if continue_token:
        metadata["continue"] = continue_token
    return {
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": metadata,
        "columnDefinitions": [dict(column) for column in printer.columns],
        "rows": [_row(printer, obj, now, include_object) for obj in objects],
    }


def _row(printer: Printer[Any], obj: Object, now: float, include_object: str) -> dict[str, Any]:
    row: dict[str, Any] = {"cells": printer.cells(obj, now)}
    conditions = printer.conditions(obj)
    if conditions:
        row["conditions"] = conditions
    if include_object == "Object":
        row["object"] = msgspec.to_builtins(obj)
    elif include_object != "None":
        row["object"] = {
            "kind": "PartialObjectMetadata",
            "apiVersion": "meta.k8s.io/v1",
            "metadata": msgspec.to_builtins(obj.metadata),
        }
    return row
