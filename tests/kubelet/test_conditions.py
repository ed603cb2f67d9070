"""The pod conditions the kubelet writes (KUB-11), from `pod_conditions` alone: each condition's
status, reason and message per case, the merge with conditions others own, and when
`lastTransitionTime` moves. Messages are upstream's (kubelet `status/generate.go`)."""

from __future__ import annotations

import pytest

from kubelite.api.core import (
    Container,
    ContainerState,
    ContainerStateRunning,
    ContainerStateTerminated,
    ContainerStateWaiting,
    ContainerStatus,
    Pod,
    PodCondition,
    PodReadinessGate,
    PodSpec,
    PodStatus,
)
from kubelite.api.meta import ObjectMeta
from kubelite.kubelet.conditions import pod_conditions

T0, T1 = 1_767_225_600.0, 1_767_225_660.0
STAMP0, STAMP1 = "2026-01-01T00:00:00Z", "2026-01-01T00:01:00Z"
OWNED = ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]


def make_pod(
    *,
    init: tuple[str, ...] = (),
    sidecars: tuple[str, ...] = (),
    gates: tuple[str, ...] = (),
    conditions: list[PodCondition] | None = None,
) -> Pod:
    init_containers = [Container(name=n, image="i") for n in init] + [
        Container(name=n, image="i", restart_policy="Always") for n in sidecars
    ]
    return Pod(
        metadata=ObjectMeta(name="p", namespace="default"),
        spec=PodSpec(
            containers=[Container(name="c", image="i")],
            init_containers=init_containers,
            readiness_gates=[PodReadinessGate(condition_type=g) for g in gates],
        ),
        status=PodStatus(conditions=list(conditions or [])),
    )


def running(name: str, *, ready: bool = True, started: bool = True) -> ContainerStatus:
    state = ContainerState(running=ContainerStateRunning(started_at=STAMP0))
    return ContainerStatus(name=name, state=state, ready=ready, started=started)


def exited(name: str, code: int = 0) -> ContainerStatus:
    state = ContainerState(terminated=ContainerStateTerminated(exit_code=code))
    return ContainerStatus(name=name, state=state, ready=code == 0, started=False)


def waiting(name: str) -> ContainerStatus:
    state = ContainerState(waiting=ContainerStateWaiting(reason="PodInitializing"))
    return ContainerStatus(name=name, state=state, started=False)


def conditions(
    pod: Pod,
    init: list[ContainerStatus],
    app: list[ContainerStatus],
    *,
    phase: str = "Running",
    sandbox: bool = True,
    now: float = T0,
) -> dict[str, tuple[str, str, str]]:
    found = pod_conditions(pod, sandbox_ready=sandbox, init=init, app=app, phase=phase, now=now)
    return {c.type: (c.status, c.reason, c.message) for c in found}


TRUE = ("True", "", "")


def test_kub11_a_running_ready_pod_has_every_condition_true_without_reason() -> None:
    found = pod_conditions(
        make_pod(), sandbox_ready=True, init=[], app=[running("c")], phase="Running", now=T0
    )
    assert [c.type for c in found] == OWNED
    assert all(
        (c.status, c.reason, c.message, c.last_transition_time) == ("True", "", "", STAMP0) for c in found
    )


def test_kub11_ready_to_start_containers_follows_the_sandbox() -> None:
    assert conditions(make_pod(), [], [waiting("c")], phase="Pending", sandbox=False)[
        "PodReadyToStartContainers"
    ] == ("False", "", "")


@pytest.mark.parametrize(
    ("init", "app", "expected"),
    [
        ([waiting("a"), waiting("b")], [waiting("c")], ("False", "ContainersNotInitialized", "[a b]")),
        (
            [exited("a"), running("b", ready=False)],
            [waiting("c")],
            ("False", "ContainersNotInitialized", "[b]"),
        ),
        ([exited("a"), exited("b")], [waiting("c")], TRUE),
        ([exited("a"), waiting("b")], [exited("c", 1)], TRUE),
    ],
    ids=["none-done", "one-running", "all-exited-0", "an-app-container-has-run"],
)
def test_kub11_initialized_waits_for_every_init_container(
    init: list[ContainerStatus], app: list[ContainerStatus], expected: tuple[str, str, str]
) -> None:
    status, reason, names = expected
    message = f"containers with incomplete status: {names}" if status == "False" else ""
    assert conditions(make_pod(init=("a", "b")), init, app, phase="Pending")["Initialized"] == (
        status,
        reason,
        message,
    )


@pytest.mark.parametrize(
    ("sidecar", "expected"),
    [
        (running("s", ready=False, started=False), ("False", "ContainersNotInitialized", "[s]")),
        (running("s", ready=False, started=True), TRUE),
    ],
    ids=["not-started", "started-not-ready"],
)
def test_kub11_a_sidecar_counts_as_initialized_once_started(
    sidecar: ContainerStatus, expected: tuple[str, str, str]
) -> None:
    status, reason, names = expected
    message = f"containers with incomplete status: {names}" if status == "False" else ""
    found = conditions(make_pod(init=("a",), sidecars=("s",)), [exited("a"), sidecar], [waiting("c")])
    assert found["Initialized"] == (status, reason, message)


def test_kub11_containers_ready_lists_unready_sidecars_then_app_containers() -> None:
    pod = make_pod(init=("a",), sidecars=("s", "t"))
    init = [exited("a"), running("s", ready=False), running("t")]
    found = conditions(pod, init, [running("c", ready=False)])
    expected = ("False", "ContainersNotReady", "containers with unready status: [s c]")
    assert (found["ContainersReady"], found["Ready"]) == (expected, expected)
    assert found["Initialized"] == TRUE


@pytest.mark.parametrize(
    ("phase", "initialized", "reason"),
    [("Succeeded", ("True", "PodCompleted", ""), "PodCompleted"), ("Failed", TRUE, "PodFailed")],
)
def test_kub11_a_terminal_pod_is_not_ready(
    phase: str, initialized: tuple[str, str, str], reason: str
) -> None:
    found = conditions(make_pod(), [], [exited("c", 0 if phase == "Succeeded" else 1)], phase=phase)
    assert found["Initialized"] == initialized
    assert found["ContainersReady"] == found["Ready"] == ("False", reason, "")


@pytest.mark.parametrize(
    ("present", "expected"),
    [
        ([], 'corresponding condition of pod readiness gate "example.com/lb" does not exist.'),
        (
            [PodCondition(type="example.com/lb", status="False")],
            'the status of pod readiness gate "example.com/lb" is not "True", but False',
        ),
        ([PodCondition(type="example.com/lb", status="True")], None),
    ],
    ids=["missing", "false", "true"],
)
def test_kub11_ready_needs_every_readiness_gate_true(
    present: list[PodCondition], expected: str | None
) -> None:
    gates = ("example.com/ok", "example.com/lb")
    pod = make_pod(gates=gates, conditions=[PodCondition(type="example.com/ok", status="True"), *present])
    found = conditions(pod, [], [running("c")])
    assert found["ContainersReady"] == TRUE
    assert found["Ready"] == (TRUE if expected is None else ("False", "ReadinessGatesNotReady", expected))


def test_kub11_not_ready_containers_win_over_gates() -> None:
    pod = make_pod(gates=("example.com/lb",))
    expected = ("False", "ContainersNotReady", "containers with unready status: [c]")
    assert conditions(pod, [], [running("c", ready=False)])["Ready"] == expected


def test_kub11_last_transition_time_moves_only_when_the_status_changes() -> None:
    other = PodCondition(type="DisruptionTarget", status="True", reason="EvictionByEvictionAPI")
    first = pod_conditions(
        make_pod(conditions=[other]),
        sandbox_ready=True,
        init=[],
        app=[running("c", ready=False)],
        phase="Running",
        now=T0,
    )
    pod = make_pod(conditions=first)
    later = pod_conditions(pod, sandbox_ready=True, init=[], app=[running("c")], phase="Running", now=T1)
    assert [c.type for c in later] == ["DisruptionTarget", *OWNED]
    assert later[0] is first[0], "conditions the kubelet does not own are kept as they are"
    stamps = {c.type: c.last_transition_time for c in later[1:]}
    assert stamps == {
        "PodReadyToStartContainers": STAMP0,
        "Initialized": STAMP0,
        "Ready": STAMP1,
        "ContainersReady": STAMP1,
        "PodScheduled": STAMP0,
    }
    assert all(a is b for a, b in zip(later[1:3], first[1:3], strict=True)), "unchanged: the same objects"


def test_kub11_a_condition_differing_only_in_probe_time_is_kept_as_it_is() -> None:
    probed = PodCondition(
        type="Initialized", status="True", last_probe_time=STAMP0, last_transition_time=STAMP0
    )
    found = pod_conditions(
        make_pod(conditions=[probed]),
        sandbox_ready=True,
        init=[],
        app=[running("c")],
        phase="Running",
        now=T1,
    )
    assert next(c for c in found if c.type == "Initialized") is probed


def test_kub11_the_schedulers_pod_scheduled_record_is_kept_and_a_false_one_replaced() -> None:
    """A True PodScheduled is the scheduler's record of the binding: kept whole, reason and all."""
    bound = PodCondition(
        type="PodScheduled", status="True", reason="Bound", last_transition_time="2025-12-31T23:00:00Z"
    )
    found = pod_conditions(
        make_pod(conditions=[bound]), sandbox_ready=True, init=[], app=[running("c")], phase="Running", now=T1
    )
    assert next(c for c in found if c.type == "PodScheduled") is bound
    unschedulable = PodCondition(
        type="PodScheduled", status="False", reason="Unschedulable", message="0/3 nodes"
    )
    found = pod_conditions(
        make_pod(conditions=[unschedulable]),
        sandbox_ready=True,
        init=[],
        app=[running("c")],
        phase="Running",
        now=T1,
    )
    scheduled = next(c for c in found if c.type == "PodScheduled")
    assert (scheduled.status, scheduled.reason, scheduled.message, scheduled.last_transition_time) == (
        "True",
        "",
        "",
        STAMP1,
    )
