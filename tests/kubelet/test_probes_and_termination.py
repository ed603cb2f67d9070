"""Probes (KUB-9, KUB-10), graceful termination (KUB-12), active deadline (KUB-13), admission
(SCH-10), on a fake node and a virtual clock."""

from __future__ import annotations

import anyio
import pytest

from kubelite.api.core import Container, ExecAction, Lifecycle, LifecycleHandler, Pod, Probe
from kubelite.api.meta import DeleteOptions
from kubelite.cri import ContainerStatus, ExecResult
from tests.kubelet.harness import IMAGE, cluster, make_pod

pytestmark = pytest.mark.anyio


def _ready(pod: Pod | None) -> str:
    if pod is None:
        return ""
    return next((c.status for c in pod.status.conditions if c.type == "Ready"), "")


def _restarts(pod: Pod | None) -> int:
    if pod is None or not pod.status.container_statuses:
        return -1
    return pod.status.container_statuses[0].restart_count


def _probe(command: str) -> Probe:
    return Probe(exec=ExecAction(command=[command]))


async def test_kub10_failing_liveness_probe_restarts_at_the_third_failure_20s_after_the_first() -> None:
    container = Container(
        name="main", image=IMAGE, command=["sleep", "3600"], liveness_probe=_probe("healthy")
    )
    failures: list[float] = []
    async with cluster() as c:
        healthy = True
        first: list[str] = []

        def answer(status: ContainerStatus, cmd: list[str]) -> ExecResult:
            first[:] = first or [status.id]
            if not healthy and status.id == first[0]:
                failures.append(c.clock.monotonic())
            return ExecResult(exit_code=0 if healthy else 1)

        c.runtime.set_exec_handler(answer)
        await c.client.create(make_pod("live", containers=[container]))
        await c.until(lambda: _ready(c.pod("live")) == "True")
        await c.run_for(25)
        assert _restarts(c.pod("live")) == 0
        healthy = False
        await c.until(lambda: _restarts(c.pod("live")) == 1)
        assert len(failures) == 3
        assert failures[-1] - failures[0] == pytest.approx(20)
        await c.until(lambda: bool(c.events("Killing")))
        killing = [e.message for e in c.events("Killing")]
        assert "Container main failed liveness probe, will be restarted" in killing
        pod = c.pod("live")
        assert pod is not None
        last = pod.status.container_statuses[0].last_state.terminated
        assert last is not None and last.exit_code == 143


def _conditions(pod: Pod | None) -> dict[str, tuple[str, str, str]]:
    assert pod is not None
    return {c.type: (c.status, c.reason, c.message) for c in pod.status.conditions}


UNREADY = ("False", "ContainersNotReady", "containers with unready status: [main]")


async def test_kub10_readiness_probe_gates_ready_from_the_start_and_never_restarts() -> None:
    """KUB-10, KUB-11 (issue 9 items 14, 15): before its first readiness probe (initial delay 15 s)
    a running container is started but not ready, and ContainersReady and Ready are False with
    upstream's reason and message; the first success makes it ready and both conditions True with
    no reason or message left; failures at the threshold make it unready without a restart, and
    Ready comes back, as clean, with the next success."""
    probe = Probe(exec=ExecAction(command=["ready"]), initial_delay_seconds=15)
    container = Container(name="main", image=IMAGE, command=["sleep", "3600"], readiness_probe=probe)
    probed: list[float] = []
    async with cluster() as c:
        ready = True

        def answer(status: ContainerStatus, cmd: list[str]) -> ExecResult:
            probed.append(c.clock.monotonic())
            return ExecResult(exit_code=0 if ready else 1)

        c.runtime.set_exec_handler(answer)
        await c.client.create(make_pod("r", containers=[container]))
        await c.until(lambda: (p := c.pod("r")) is not None and p.status.phase == "Running")
        started = c.clock.monotonic()
        await c.run_for(14)
        pod = c.pod("r")
        assert pod is not None and probed == []
        status = pod.status.container_statuses[0]
        assert status.state.running is not None and status.started and not status.ready
        assert _conditions(pod)["ContainersReady"] == _conditions(pod)["Ready"] == UNREADY
        await c.until(lambda: _ready(c.pod("r")) == "True")
        assert probed[0] - started == pytest.approx(15, abs=0.01)
        assert (
            _conditions(c.pod("r"))["ContainersReady"] == _conditions(c.pod("r"))["Ready"] == ("True", "", "")
        )
        ready = False
        await c.until(lambda: _ready(c.pod("r")) == "False")
        assert _conditions(c.pod("r"))["ContainersReady"] == _conditions(c.pod("r"))["Ready"] == UNREADY
        ready = True
        await c.until(lambda: _ready(c.pod("r")) == "True")
        assert (
            _conditions(c.pod("r"))["ContainersReady"] == _conditions(c.pod("r"))["Ready"] == ("True", "", "")
        )
        assert _restarts(c.pod("r")) == 0


async def test_kub10_every_instance_is_unstarted_and_unready_until_its_own_probes_pass() -> None:
    """KUB-10 (issue 9 item 15): a container with a startup probe is `started=false` (and not
    ready) until that probe passes, and a restart starts over: the new instance is neither started
    nor ready until its own startup and readiness probes pass."""
    container = Container(
        name="main",
        image=IMAGE,
        command=["sleep", "30"],
        startup_probe=Probe(exec=ExecAction(command=["started"]), period_seconds=5),
        readiness_probe=_probe("ready"),
    )
    calls: dict[str, int] = {}

    def answer(status: ContainerStatus, cmd: list[str]) -> ExecResult:
        if cmd == ["started"]:  # each instance fails its first startup probe, then passes
            calls[status.id] = calls.get(status.id, 0) + 1
            return ExecResult(exit_code=0 if calls[status.id] > 1 else 1)
        return ExecResult(exit_code=0)

    def flags(pod: Pod) -> tuple[int, bool, bool, bool]:
        status = pod.status.container_statuses[0]
        return status.restart_count, status.state.running is not None, status.started, status.ready

    async with cluster() as c:
        c.runtime.set_exec_handler(answer)
        history = c.history("s")
        await c.client.create(make_pod("s", containers=[container]))
        await c.until(lambda: _restarts(c.pod("s")) == 1 and _ready(c.pod("s")) == "True")
        seen = [flags(p) for p in history if p.status.container_statuses]
        for restarts in (0, 1):
            running = [f for f in seen if f[:2] == (restarts, True)]
            assert running[0] == (restarts, True, False, False), seen
            assert (restarts, True, True, True) in running
        assert sorted(calls.values()) == [2, 2]


async def test_kub12_graceful_deletion_waits_out_the_grace_period_then_deletes() -> None:
    async with cluster() as c:
        c.runtime.ignore_sigterm("main")
        await c.client.create(make_pod("g", "sleep", "3600", termination_grace_period_seconds=20))
        await c.until(lambda: _ready(c.pod("g")) == "True")
        await c.client.delete(Pod, "g", "default")
        begin = c.clock.monotonic()
        await c.until(lambda: (p := c.pod("g")) is not None and p.metadata.deletion_timestamp is not None)
        await c.run_for(19)
        pod = c.pod("g")
        assert pod is not None  # still terminating
        await c.until(lambda: c.pod("g") is None)
        assert c.clock.monotonic() - begin == pytest.approx(20, abs=0.01)
        with anyio.fail_after(5):
            await c.kubelets["node-1"].cleaned_up(pod.metadata.uid)
        assert await c.runtime.list_pod_sandbox() == []
        assert len(c.network) == 0


async def test_kub12_sigterm_ends_a_plain_container_at_once_and_the_pod_goes_away() -> None:
    async with cluster() as c:
        await c.client.create(make_pod("quick", "sleep", "3600"))
        await c.until(lambda: _ready(c.pod("quick")) == "True")
        begin = c.clock.monotonic()
        await c.client.delete(Pod, "quick", "default", options=DeleteOptions(grace_period_seconds=30))
        await c.until(lambda: c.pod("quick") is None)
        assert c.clock.monotonic() - begin < 1


async def test_kub13_active_deadline_fails_the_pod() -> None:
    async with cluster() as c:
        await c.client.create(make_pod("d", "sleep", "3600", active_deadline_seconds=30))
        await c.until(lambda: (p := c.pod("d")) is not None and p.status.phase == "Running")
        begin = c.clock.monotonic()
        await c.until(lambda: (p := c.pod("d")) is not None and p.status.phase == "Failed")
        assert c.clock.monotonic() - begin == pytest.approx(30, abs=0.5)
        pod = c.pod("d")
        assert pod is not None and pod.status.reason == "DeadlineExceeded"
        assert pod.status.message == "Pod was active on the node longer than the specified deadline"


async def test_sch10_a_hand_bound_pod_that_does_not_fit_is_rejected_out_of_cpu() -> None:
    big = Container(name="main", image=IMAGE, command=["sleep", "1"], resources={"requests": {"cpu": "8"}})  # type: ignore[arg-type]
    async with cluster() as c:
        await c.client.create(make_pod("big", containers=[big]))
        await c.until(lambda: (p := c.pod("big")) is not None and p.status.phase == "Failed")
        pod = c.pod("big")
        assert pod is not None and pod.status.reason == "OutOfcpu"
        assert pod.status.message == (
            "Pod was rejected: Node didn't have enough resource: cpu, requested: 8000, used: 0, capacity: 4000"
        )
        assert await c.runtime.list_pod_sandbox() == []


async def test_failing_post_start_hook_kills_the_container_and_restart_policy_applies() -> None:
    hook = Lifecycle(post_start=LifecycleHandler(exec=ExecAction(command=["setup"])))
    container = Container(name="main", image=IMAGE, command=["sleep", "3600"], lifecycle=hook)
    async with cluster() as c:
        c.runtime.set_exec_handler(lambda status, cmd: ExecResult(exit_code=1))
        await c.client.create(make_pod("hook", containers=[container]))
        await c.until(lambda: _restarts(c.pod("hook")) >= 1)
        await c.until(lambda: bool(c.events("FailedPostStartHook")))
        uid = c.pod("hook").metadata.uid  # type: ignore[union-attr]
        assert c.events("FailedPostStartHook")[0].message == (  # upstream's handler-runner wording
            f'Exec lifecycle hook ([setup]) for Container "main" in Pod "hook_default({uid})" failed'
            " - error: command 'setup' exited with 1: , message: \"\""
        )


async def test_kub12_pre_stop_hook_runs_before_sigterm_and_its_time_counts_against_the_grace() -> None:
    hook = Lifecycle(pre_stop=LifecycleHandler(exec=ExecAction(command=["sleep", "9"])))
    container = Container(name="main", image=IMAGE, command=["sleep", "3600"], lifecycle=hook)
    ran: list[float] = []
    async with cluster() as c:
        c.runtime.ignore_sigterm("main")

        def answer(status: ContainerStatus, cmd: list[str]) -> ExecResult | None:
            ran.append(c.clock.monotonic())
            return None  # interpreted: `sleep 9` takes 9 s on the clock

        c.runtime.set_exec_handler(answer)
        await c.client.create(make_pod("stop", containers=[container], termination_grace_period_seconds=10))
        await c.until(lambda: _ready(c.pod("stop")) == "True")
        await c.client.delete(Pod, "stop", "default")
        begin = c.clock.monotonic()
        await c.until(lambda: c.pod("stop") is None)
        assert ran and ran[0] == pytest.approx(begin, abs=0.01)
        # preStop took 9 of the 10 s; SIGTERM still gets the 2 s minimum before SIGKILL.
        assert c.clock.monotonic() - begin == pytest.approx(11, abs=0.01)


async def test_kub12_a_later_delete_shortens_the_grace_period_of_a_terminating_pod() -> None:
    async with cluster() as c:
        c.runtime.ignore_sigterm("main")
        await c.client.create(make_pod("slow", "sleep", "3600", termination_grace_period_seconds=60))
        await c.until(lambda: _ready(c.pod("slow")) == "True")
        await c.client.delete(Pod, "slow", "default")
        begin = c.clock.monotonic()
        await c.run_for(5)
        await c.client.delete(Pod, "slow", "default", options=DeleteOptions(grace_period_seconds=10))
        await c.until(lambda: c.pod("slow") is None)
        assert c.clock.monotonic() - begin == pytest.approx(15, abs=1.01)
