"""A pod's phase from its container statuses (KUB-7), row by row of the statement, and the phase of
a deleted pod whose containers have stopped. Each row names the KUB-7 clause it pins; the
statuses are built as the kubelet reports them (a crash-looping container is `waiting` with the
previous exit in `lastState`)."""

from __future__ import annotations

import pytest

from kubelite.api.core import (
    ContainerState,
    ContainerStateRunning,
    ContainerStateTerminated,
    ContainerStateWaiting,
    ContainerStatus,
)
from kubelite.kubelet.phase import pod_phase, terminated_phase


def running(name: str) -> ContainerStatus:
    return ContainerStatus(name=name, state=ContainerState(running=ContainerStateRunning(started_at="x")))


def exited(name: str, code: int) -> ContainerStatus:
    terminated = ContainerStateTerminated(exit_code=code, reason="Completed" if code == 0 else "Error")
    return ContainerStatus(name=name, state=ContainerState(terminated=terminated))


def crash_looping(name: str, code: int = 1) -> ContainerStatus:
    """Waiting in CrashLoopBackOff after an exit with `code`."""
    return ContainerStatus(
        name=name,
        state=ContainerState(waiting=ContainerStateWaiting(reason="CrashLoopBackOff")),
        last_state=ContainerState(terminated=ContainerStateTerminated(exit_code=code, reason="Error")),
        restart_count=1,
    )


def restarted(name: str, code: int = 1) -> ContainerStatus:
    """Running again after an exit with `code`."""
    return ContainerStatus(
        name=name,
        state=ContainerState(running=ContainerStateRunning(started_at="y")),
        last_state=ContainerState(terminated=ContainerStateTerminated(exit_code=code, reason="Error")),
        restart_count=1,
    )


def creating(name: str) -> ContainerStatus:
    """Waiting and never run."""
    return ContainerStatus(
        name=name, state=ContainerState(waiting=ContainerStateWaiting(reason="ContainerCreating"))
    )


@pytest.mark.parametrize(
    ("policy", "init", "app", "phase"),
    [
        # A failed init container under Never → Failed; under the others it restarts: Pending.
        ("Never", [crash_looping("i")], [creating("c")], "Failed"),
        ("OnFailure", [crash_looping("i")], [creating("c")], "Pending"),
        ("Never", [exited("i", 0), exited("j", 2)], [creating("c")], "Failed"),
        ("Never", [exited("i", 0), running("j")], [creating("c")], "Pending"),
        ("Never", [restarted("i")], [creating("c")], "Pending"),
        # Init containers not finished, or an app container waiting that has never run → Pending.
        ("Always", [exited("i", 0)], [running("a"), creating("b")], "Pending"),
        ("Never", [], [exited("a", 0), creating("b")], "Pending"),
        # All app containers started and at least one running → Running.
        ("Never", [exited("i", 0)], [running("a"), exited("b", 0)], "Running"),
        ("OnFailure", [], [running("a"), crash_looping("b")], "Running"),
        # All terminated: Running under Always, whatever the exit codes.
        ("Always", [], [exited("a", 0), exited("b", 0)], "Running"),
        ("Always", [], [exited("a", 1)], "Running"),
        # Succeeded if all exited 0 (OnFailure and Never).
        ("OnFailure", [], [exited("a", 0), exited("b", 0)], "Succeeded"),
        ("Never", [exited("i", 0)], [exited("a", 0)], "Succeeded"),
        # Failed under Never with any non-zero exit, counting a crash-looping container's last exit.
        ("Never", [], [exited("a", 0), exited("b", 137)], "Failed"),
        # Running under OnFailure with a non-zero exit: the failed container is restarted.
        ("OnFailure", [], [exited("a", 0), crash_looping("b")], "Running"),
        ("OnFailure", [], [exited("a", 0), exited("b", 1)], "Running"),
        ("OnFailure", [], [crash_looping("a", 2)], "Running"),
    ],
    ids=[
        "init-failed-never",
        "init-failed-onfailure-restarts",
        "second-init-failed-never",
        "init-running",
        "init-running-again-after-a-failure",
        "app-never-started",
        "app-never-started-never",
        "one-running-one-done",
        "one-running-one-crash-looping",
        "always-all-exited-0",
        "always-exited-1",
        "onfailure-all-exited-0",
        "never-all-exited-0",
        "never-one-exited-137",
        "onfailure-one-done-one-crash-looping",
        "onfailure-one-done-one-exited-1",
        "onfailure-crash-looping",
    ],
)
def test_kub7_phase(policy: str, init: list[ContainerStatus], app: list[ContainerStatus], phase: str) -> None:
    assert pod_phase(policy, init, app) == phase


@pytest.mark.parametrize(
    ("app", "phase"),
    [
        ([exited("a", 0), exited("b", 0)], "Succeeded"),
        ([exited("a", 0), exited("b", 143)], "Failed"),
        ([exited("a", 0), crash_looping("b")], "Failed"),
        ([exited("a", 0), creating("b")], "Failed"),
    ],
    ids=["all-exited-0", "one-killed", "one-waiting-after-a-crash", "one-never-ran"],
)
def test_kub7_a_deleted_pod_is_succeeded_only_if_every_container_exited_0(
    app: list[ContainerStatus], phase: str
) -> None:
    assert terminated_phase(app) == phase


@pytest.mark.parametrize(
    ("policy", "init", "app", "phase"),
    [
        ("Always", [creating("s")], [running("a"), creating("b")], "Pending"),
        ("OnFailure", [running("s")], [exited("a", 0)], "Running"),
        ("Never", [exited("s", 137)], [exited("a", 0)], "Succeeded"),
        ("Never", [exited("i", 0), running("s")], [creating("a")], "Pending"),
    ],
    ids=[
        "sidecar-never-ran-app-waiting",
        "sidecar-keeps-pod-running",
        "stopped-sidecar-ignored",
        "app-waiting",
    ],
)
def test_kub7_phase_with_a_sidecar(
    policy: str, init: list[ContainerStatus], app: list[ContainerStatus], phase: str
) -> None:
    """A sidecar (an init container with restartPolicy Always) that runs counts as running; one
    that stopped does not count; any container waiting to run keeps the pod Pending."""
    assert pod_phase(policy, init, app, sidecars={"s"}) == phase
