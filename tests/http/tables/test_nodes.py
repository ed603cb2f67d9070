"""Node rows reproduce upstream's node printer: Status, Roles, Version and the wide cells."""

from __future__ import annotations

from typing import Any

import pytest

from kubelite.api.core import Node
from kubelite.apiserver.http.tables import nodes

from .build import CREATED, make

NOW = CREATED + 73


def node(
    conditions: list[dict[str, Any]] = (), *, labels: dict[str, str] | None = None, cordoned: bool = False
) -> Node:  # type: ignore[assignment]
    return make(
        Node,
        {
            "metadata": {"labels": labels or {}},
            "spec": {"unschedulable": cordoned},
            "status": {"conditions": list(conditions)},
        },
        name="node1",
    )


READY = {"type": "Ready", "status": "True"}

STATUS_CASES = {
    "ready": ([READY], False, "Ready"),
    "not-ready": ([{"type": "Ready", "status": "False"}], False, "NotReady"),
    "ready-unknown-is-not-ready": ([{"type": "Ready", "status": "Unknown"}], False, "NotReady"),
    "no-ready-condition": ([{"type": "MemoryPressure", "status": "False"}], False, "Unknown"),
    "cordoned": ([READY], True, "Ready,SchedulingDisabled"),
    "cordoned-without-conditions": ([], True, "Unknown,SchedulingDisabled"),
}


@pytest.mark.parametrize(("conditions", "cordoned", "text"), STATUS_CASES.values(), ids=STATUS_CASES.keys())
def test_status(conditions: list[dict[str, Any]], cordoned: bool, text: str) -> None:
    assert nodes.cells(node(conditions, cordoned=cordoned), NOW)[1] == text


ROLE_CASES = {
    "none": ({}, "<none>"),
    "control-plane": ({"node-role.kubernetes.io/control-plane": ""}, "control-plane"),
    "sorted-and-legacy": (
        {
            "node-role.kubernetes.io/worker": "",
            "kubernetes.io/role": "master",
            "node-role.kubernetes.io/etcd": "true",
        },
        "etcd,master,worker",
    ),
    "bare-prefix-and-empty-legacy-ignored": (
        {"node-role.kubernetes.io/": "", "kubernetes.io/role": ""},
        "<none>",
    ),
    "duplicates-once": ({"node-role.kubernetes.io/master": "", "kubernetes.io/role": "master"}, "master"),
}


@pytest.mark.parametrize(("labels", "text"), ROLE_CASES.values(), ids=ROLE_CASES.keys())
def test_roles(labels: dict[str, str], text: str) -> None:
    assert nodes.cells(node([READY], labels=labels), NOW)[2] == text


def test_all_cells() -> None:
    obj = make(
        Node,
        {
            "status": {
                "conditions": [READY],
                "addresses": [
                    {"type": "Hostname", "address": "node1"},
                    {"type": "InternalIP", "address": "10.0.0.1"},
                    {"type": "InternalIP", "address": "10.0.0.2"},
                ],
                "nodeInfo": {
                    "kubeletVersion": "v1.32.0",
                    "osImage": "Debian",
                    "containerRuntimeVersion": "fake://1",
                },
            }
        },
        name="node1",
    )
    assert nodes.cells(obj, NOW) == [
        "node1", "Ready", "<none>", "73s", "v1.32.0", "10.0.0.1", "<none>", "Debian", "<unknown>", "fake://1",
    ]  # fmt: skip
