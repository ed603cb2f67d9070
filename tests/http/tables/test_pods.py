"""Pod rows reproduce upstream's pod printer: Ready, the Status reason logic, Restarts, wide cells.

Each row of `STATUS_CASES` is (pod JSON, expected [Ready, Status, Restarts]) and pins one branch
of the reason logic as Kubernetes computes it (printers.go printPod).
"""

from __future__ import annotations

from typing import Any

import pytest

from kubelite.api.core import Pod
from kubelite.apiserver.http.tables import pods

from .build import CREATED, ago, make

NOW = CREATED + 1000

C1 = {"name": "a", "image": "i"}
C2 = {"name": "b", "image": "i"}
RUNNING = {"running": {"startedAt": "2026-01-01T00:00:00Z"}}


def status(name: str, state: dict[str, Any], *, ready: bool = False, **extra: Any) -> dict[str, Any]:
    return {"name": name, "state": state, "ready": ready, **extra}


def waiting(reason: str) -> dict[str, Any]:
    return {"waiting": {"reason": reason}}


def terminated(code: int, reason: str = "", signal: int = 0) -> dict[str, Any]:
    return {"terminated": {"exitCode": code, "reason": reason, "signal": signal}}


def pod(
    phase: str = "Running",
    *,
    containers: list[dict[str, Any]] | None = None,
    statuses: list[dict[str, Any]] = (),  # type: ignore[assignment]
    init: list[dict[str, Any]] = (),  # type: ignore[assignment]
    init_statuses: list[dict[str, Any]] = (),  # type: ignore[assignment]
    conditions: list[dict[str, Any]] = (),  # type: ignore[assignment]
    reason: str = "",
    deleted: bool = False,
) -> dict[str, Any]:
    meta = {"deletionTimestamp": ago(1, NOW)} if deleted else {}
    return {
        "metadata": meta,
        "spec": {"containers": containers or [C1], "initContainers": list(init)},
        "status": {
            "phase": phase,
            "reason": reason,
            "conditions": list(conditions),
            "containerStatuses": list(statuses),
            "initContainerStatuses": list(init_statuses),
        },
    }


READY_TRUE = {"type": "Ready", "status": "True"}
INITIALIZED = {"type": "Initialized", "status": "True"}
SIDECAR = {"name": "side", "image": "i", "restartPolicy": "Always"}
INIT = {"name": "init", "image": "i"}

STATUS_CASES = {
    "running": (pod(statuses=[status("a", RUNNING, ready=True)]), ["1/1", "Running", "0"]),
    "pending-no-status": (pod("Pending"), ["0/1", "Pending", "0"]),
    "two-containers-one-ready": (
        pod(containers=[C1, C2], statuses=[status("a", RUNNING, ready=True), status("b", RUNNING)]),
        ["1/2", "Running", "0"],
    ),
    "status-reason-wins-over-phase": (pod("Failed", reason="Evicted"), ["0/1", "Evicted", "0"]),
    "scheduling-gated": (
        pod("Pending", conditions=[{"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}]),
        ["0/1", "SchedulingGated", "0"],
    ),
    "image-pull-backoff": (
        pod("Pending", statuses=[status("a", waiting("ImagePullBackOff"))]),
        ["0/1", "ImagePullBackOff", "0"],
    ),
    "crash-loop-backoff": (
        pod(statuses=[status("a", waiting("CrashLoopBackOff"), restartCount=4)]),
        ["0/1", "CrashLoopBackOff", "4"],
    ),
    "completed": (
        pod("Succeeded", statuses=[status("a", terminated(0, "Completed"))]),
        ["0/1", "Completed", "0"],
    ),
    "error": (pod("Failed", statuses=[status("a", terminated(1, "Error"))]), ["0/1", "Error", "0"]),
    "exit-code-without-reason": (
        pod("Failed", statuses=[status("a", terminated(3))]),
        ["0/1", "ExitCode:3", "0"],
    ),
    "signal-without-reason": (
        pod("Failed", statuses=[status("a", terminated(137, signal=9))]),
        ["0/1", "Signal:9", "0"],
    ),
    "first-container-reason-wins": (
        pod(
            containers=[C1, C2],
            statuses=[status("a", waiting("CrashLoopBackOff")), status("b", waiting("ErrImagePull"))],
        ),
        ["0/2", "CrashLoopBackOff", "0"],
    ),
    "completed-but-one-running-and-ready": (
        pod(
            containers=[C1, C2],
            statuses=[status("a", terminated(0, "Completed")), status("b", RUNNING, ready=True)],
            conditions=[READY_TRUE],
        ),
        ["1/2", "Running", "0"],
    ),
    "completed-but-one-running-not-ready-pod": (
        pod(
            containers=[C1, C2],
            statuses=[status("a", terminated(0, "Completed")), status("b", RUNNING, ready=True)],
        ),
        ["1/2", "NotReady", "0"],
    ),
    "init-0-of-2": (
        pod("Pending", init=[INIT, {"name": "init2", "image": "i"}], init_statuses=[status("init", RUNNING)]),
        ["0/1", "Init:0/2", "0"],
    ),
    "init-1-of-2": (
        pod(
            "Pending",
            init=[INIT, {"name": "init2", "image": "i"}],
            init_statuses=[status("init", terminated(0, "Completed")), status("init2", RUNNING)],
        ),
        ["0/1", "Init:1/2", "0"],
    ),
    "init-pod-initializing-waiting-is-a-count": (
        pod("Pending", init=[INIT], init_statuses=[status("init", waiting("PodInitializing"))]),
        ["0/1", "Init:0/1", "0"],
    ),
    "init-crash-loop": (
        pod(
            "Pending",
            init=[INIT],
            init_statuses=[status("init", waiting("CrashLoopBackOff"), restartCount=2)],
        ),
        ["0/1", "Init:CrashLoopBackOff", "2"],
    ),
    "init-error": (
        pod("Pending", init=[INIT], init_statuses=[status("init", terminated(1, "Error"))]),
        ["0/1", "Init:Error", "0"],
    ),
    "init-exit-code": (
        pod("Pending", init=[INIT], init_statuses=[status("init", terminated(2))]),
        ["0/1", "Init:ExitCode:2", "0"],
    ),
    "init-signal": (
        pod("Pending", init=[INIT], init_statuses=[status("init", terminated(143, signal=15))]),
        ["0/1", "Init:Signal:15", "0"],
    ),
    "init-done-app-pod-initializing": (
        pod(
            "Pending",
            init=[INIT],
            init_statuses=[status("init", terminated(0, "Completed"))],
            statuses=[status("a", waiting("PodInitializing"))],
        ),
        ["0/1", "PodInitializing", "0"],
    ),
    "sidecar-started-counts-as-container": (
        pod(
            init=[SIDECAR],
            init_statuses=[status("side", RUNNING, ready=True, started=True, restartCount=1)],
            statuses=[status("a", RUNNING, ready=True, restartCount=2)],
            conditions=[INITIALIZED, READY_TRUE],
        ),
        ["2/2", "Running", "3"],
    ),
    "sidecar-not-started-blocks-init": (
        pod("Pending", init=[SIDECAR], init_statuses=[status("side", RUNNING, started=False)]),
        ["0/2", "Init:0/1", "0"],
    ),
    "plain-init-restarts-not-counted-once-initialized": (
        pod(
            init=[INIT],
            init_statuses=[status("init", terminated(0, "Completed"), restartCount=5)],
            statuses=[status("a", RUNNING, ready=True)],
            conditions=[INITIALIZED],
        ),
        ["1/1", "Running", "0"],
    ),
    "terminating": (
        pod(statuses=[status("a", RUNNING, ready=True)], deleted=True),
        ["1/1", "Terminating", "0"],
    ),
    "terminated-and-deleted-keeps-reason": (
        pod("Succeeded", statuses=[status("a", terminated(0, "Completed"))], deleted=True),
        ["0/1", "Completed", "0"],
    ),
    "node-lost-and-deleted-is-unknown": (
        pod(statuses=[status("a", RUNNING, ready=True)], reason="NodeLost", deleted=True),
        ["1/1", "Unknown", "0"],
    ),
    "node-lost-not-deleted": (
        pod(reason="NodeLost"),
        ["0/1", "NodeLost", "0"],
    ),
}


@pytest.mark.parametrize(("data", "expected"), STATUS_CASES.values(), ids=STATUS_CASES.keys())
def test_ready_status_restarts(data: dict[str, Any], expected: list[str]) -> None:
    cells = pods.cells(make(Pod, data), NOW)
    assert cells[1:4] == expected


def test_restarts_show_the_last_restart_age() -> None:
    """`3 (5m ago)`: the newest finishedAt of the containers' last terminated states."""
    last = lambda seconds: {"terminated": {"exitCode": 1, "finishedAt": ago(seconds, NOW)}}  # noqa: E731
    data = pod(
        containers=[C1, C2],
        statuses=[
            status("a", RUNNING, ready=True, restartCount=1, lastState=last(900)),
            status("b", RUNNING, ready=True, restartCount=2, lastState=last(300)),
        ],
    )
    assert pods.cells(make(Pod, data), NOW)[3] == "3 (5m ago)"


def test_wide_cells() -> None:
    data = pod(statuses=[status("a", RUNNING, ready=True)])
    data["spec"] |= {
        "nodeName": "node1",
        "readinessGates": [{"conditionType": "g1"}, {"conditionType": "g2"}],
    }
    data["status"] |= {
        "podIPs": [{"ip": "10.244.0.5"}, {"ip": "fd00::5"}],
        "nominatedNodeName": "node2",
        "conditions": [{"type": "g1", "status": "True"}, {"type": "g2", "status": "False"}],
    }
    cells = pods.cells(make(Pod, data, name="web"), NOW)
    assert cells == ["web", "1/1", "Running", "0", "16m", "10.244.0.5", "node1", "node2", "1/2"]


def test_wide_cells_when_unscheduled() -> None:
    cells = pods.cells(make(Pod, pod("Pending")), NOW)
    assert cells[5:] == ["<none>", "<none>", "<none>", "<none>"]


def test_finished_pods_carry_a_completed_row_condition() -> None:
    succeeded = pods.conditions(make(Pod, pod("Succeeded")))
    failed = pods.conditions(make(Pod, pod("Failed")))
    assert succeeded == [
        {
            "type": "Completed",
            "status": "True",
            "reason": "Succeeded",
            "message": "The pod has completed successfully.",
        }
    ]
    assert failed == [
        {"type": "Completed", "status": "True", "reason": "Failed", "message": "The pod failed."}
    ]
    assert pods.conditions(make(Pod, pod("Running"))) == []
