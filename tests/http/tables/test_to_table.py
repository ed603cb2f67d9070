"""`to_table`: the whole Table, column definitions as upstream declares them, and includeObject."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from kubelite.api.core import Pod
from kubelite.api.meta import Object
from kubelite.api.registry import ResourceInfo, builtin_registry
from kubelite.apiserver.http.tables import to_table

from .build import CREATED, make

NOW = CREATED + 3

S, N = "string", "integer"
# (name, type, format, priority) of each kind's columns in upstream's printers.go (v1.32).
UPSTREAM: dict[str, list[tuple[str, str, str, int]]] = {
    "Pod": [("Name", S, "name", 0), ("Ready", S, "", 0), ("Status", S, "", 0), ("Restarts", S, "", 0),
            ("Age", S, "", 0), ("IP", S, "", 1), ("Node", S, "", 1), ("Nominated Node", S, "", 1),
            ("Readiness Gates", S, "", 1)],
    "Node": [("Name", S, "name", 0), ("Status", S, "", 0), ("Roles", S, "", 0), ("Age", S, "", 0),
             ("Version", S, "", 0), ("Internal-IP", S, "", 1), ("External-IP", S, "", 1), ("OS-Image", S, "", 1),
             ("Kernel-Version", S, "", 1), ("Container-Runtime", S, "", 1)],
    "Service": [("Name", S, "name", 0), ("Type", S, "", 0), ("Cluster-IP", S, "", 0), ("External-IP", S, "", 0),
                ("Port(s)", S, "", 0), ("Age", S, "", 0), ("Selector", S, "", 1)],
    "Namespace": [("Name", S, "name", 0), ("Status", S, "", 0), ("Age", S, "", 0)],
    "ConfigMap": [("Name", S, "name", 0), ("Data", N, "", 0), ("Age", S, "", 0)],
    "Secret": [("Name", S, "name", 0), ("Type", S, "", 0), ("Data", N, "", 0), ("Age", S, "", 0)],
    "Event": [("Last Seen", S, "", 0), ("Type", S, "", 0), ("Reason", S, "", 0), ("Object", S, "", 0),
              ("Subobject", S, "", 1), ("Source", S, "", 1), ("Message", S, "", 0), ("First Seen", S, "", 1),
              ("Count", S, "", 1), ("Name", S, "name", 1)],
    "Endpoints": [("Name", S, "name", 0), ("Endpoints", S, "", 0), ("Age", S, "", 0)],
    "ReplicationController": [("Name", S, "name", 0), ("Desired", N, "", 0), ("Current", N, "", 0),
                              ("Ready", N, "", 0), ("Age", S, "", 0), ("Containers", S, "", 1),
                              ("Images", S, "", 1), ("Selector", S, "", 1)],
    "Deployment": [("Name", S, "name", 0), ("Ready", S, "", 0), ("Up-to-date", N, "", 0), ("Available", N, "", 0),
                   ("Age", S, "", 0), ("Containers", S, "", 1), ("Images", S, "", 1), ("Selector", S, "", 1)],
    "ReplicaSet": [("Name", S, "name", 0), ("Desired", N, "", 0), ("Current", N, "", 0), ("Ready", N, "", 0),
                   ("Age", S, "", 0), ("Containers", S, "", 1), ("Images", S, "", 1), ("Selector", S, "", 1)],
    "DaemonSet": [("Name", S, "name", 0), ("Desired", N, "", 0), ("Current", N, "", 0), ("Ready", N, "", 0),
                  ("Up-to-date", N, "", 0), ("Available", N, "", 0), ("Node Selector", S, "", 0), ("Age", S, "", 0),
                  ("Containers", S, "", 1), ("Images", S, "", 1), ("Selector", S, "", 1)],
    "Job": [("Name", S, "name", 0), ("Status", S, "", 0), ("Completions", S, "", 0), ("Duration", S, "", 0),
            ("Age", S, "", 0), ("Containers", S, "", 1), ("Images", S, "", 1), ("Selector", S, "", 1)],
    "Lease": [("Name", S, "name", 0), ("Holder", S, "", 0), ("Age", S, "", 0)],
    "PodDisruptionBudget": [("Name", S, "name", 0), ("Min Available", S, "", 0), ("Max Unavailable", S, "", 0),
                            ("Allowed Disruptions", N, "", 0), ("Age", S, "", 0)],
    "EndpointSlice": [("Name", S, "name", 0), ("AddressType", S, "", 0), ("Ports", S, "", 0),
                      ("Endpoints", S, "", 0), ("Age", S, "", 0)],
}  # fmt: skip

REGISTRY = builtin_registry()


def test_every_registered_kind_has_its_upstream_columns() -> None:
    assert sorted(info.kind for info in REGISTRY._infos) == sorted(UPSTREAM)


@pytest.mark.parametrize("info", REGISTRY._infos, ids=lambda info: info.kind)
def test_columns_match_upstream(info: ResourceInfo) -> None:
    table = to_table(info, [], now=NOW)
    got = [(c["name"], c["type"], c["format"], c["priority"]) for c in table["columnDefinitions"]]
    assert got == UPSTREAM[info.kind]
    assert all(column["description"] for column in table["columnDefinitions"])
    assert table["rows"] == []


@pytest.mark.parametrize("info", REGISTRY._infos, ids=lambda info: info.kind)
def test_a_default_object_of_every_kind_gets_one_cell_per_column(info: ResourceInfo) -> None:
    """A freshly created object (empty spec and status) renders without error."""
    obj = make(info.type, {})
    table = to_table(info, [obj], now=NOW)
    [row] = table["rows"]
    assert len(row["cells"]) == len(table["columnDefinitions"])
    msgspec.json.encode(table)


def pod(name: str, phase: str = "Running") -> Pod:
    return make(
        Pod, {"spec": {"containers": [{"name": "c", "image": "i"}]}, "status": {"phase": phase}}, name=name
    )


POD_INFO = REGISTRY.by_type(Pod)


def test_table_envelope_and_row_order() -> None:
    table = to_table(POD_INFO, [pod("b"), pod("a")], now=NOW, resource_version="42", continue_token="tok")
    assert table["kind"] == "Table"
    assert table["apiVersion"] == "meta.k8s.io/v1"
    assert table["metadata"] == {"resourceVersion": "42", "continue": "tok"}
    assert [row["cells"][0] for row in table["rows"]] == ["b", "a"]
    assert table["rows"][0]["cells"][:5] == ["b", "0/1", "Running", "0", "3s"]


def test_list_metadata_is_empty_without_resource_version() -> None:
    assert to_table(POD_INFO, [], now=NOW)["metadata"] == {}


def test_include_object_metadata_is_the_default() -> None:
    obj = pod("a")
    [row] = to_table(POD_INFO, [obj], now=NOW)["rows"]
    assert row["object"] == {
        "kind": "PartialObjectMetadata",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": {"name": "a", "creationTimestamp": "2026-01-01T00:00:00Z"},
    }


def test_include_object_object_is_the_whole_object() -> None:
    obj = pod("a")
    [row] = to_table(POD_INFO, [obj], now=NOW, include_object="Object")["rows"]
    assert row["object"] == msgspec.to_builtins(obj)
    assert row["object"]["kind"] == "Pod"
    assert row["object"]["apiVersion"] == "v1"
    assert row["object"]["spec"]["containers"][0]["image"] == "i"


def test_include_object_none_leaves_it_out() -> None:
    [row] = to_table(POD_INFO, [pod("a")], now=NOW, include_object="None")["rows"]
    assert set(row) == {"cells"}


def test_finished_pod_rows_carry_conditions() -> None:
    rows = to_table(POD_INFO, [pod("a", "Succeeded"), pod("b")], now=NOW, include_object="None")["rows"]
    assert rows[0]["conditions"][0]["type"] == "Completed"
    assert "conditions" not in rows[1]


class Widget(Object):
    """A plugin kind without a printer of its own."""

    api_version: str = "example.com/v1"
    spec: dict[str, Any] = {}


WIDGET = ResourceInfo(
    group="example.com", version="v1", kind="Widget", plural="widgets", singular="widget", type=Widget
)


def test_a_kind_without_a_printer_gets_name_and_age() -> None:
    """Like a custom resource without printer columns in Kubernetes: Name and an Age of type date."""
    table = to_table(WIDGET, [make(Widget, {}, name="w1")], now=CREATED + 600)
    assert [(c["name"], c["type"], c["format"], c["priority"]) for c in table["columnDefinitions"]] == [
        ("Name", "string", "name", 0),
        ("Age", "date", "", 0),
    ]
    assert table["rows"][0]["cells"] == ["w1", "10m"]


def test_a_plugin_kind_named_like_a_builtin_is_not_printed_as_one() -> None:
    info = ResourceInfo(
        group="example.com", version="v1", kind="Pod", plural="pods", singular="pod", type=Widget
    )
    table = to_table(info, [make(Widget, {})], now=NOW)
    assert [c["name"] for c in table["columnDefinitions"]] == ["Name", "Age"]


def test_an_object_without_creation_timestamp_has_unknown_age() -> None:
    obj = msgspec.convert({"metadata": {"name": "n"}}, Pod)
    assert to_table(POD_INFO, [obj], now=NOW)["rows"][0]["cells"][4] == "<unknown>"
