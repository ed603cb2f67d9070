"""Pods on a fake node, end to end on a virtual clock: phases, conditions, restarts (KUB-4..8, KUB-11,
KUB-14)."""

from __future__ import annotations

import itertools

import pytest

from kubelite.api.core import Container, ExecAction, Pod, Probe
from kubelite.cri import ContainerStatus, ExecResult, PodSandboxFilter, PodSandboxState
from tests.kubelet.harness import IMAGE, cluster, make_pod

pytestmark = pytest.mark.anyio


def _condition(pod: Pod, kind: str) -> str:
    return next((c.status for c in pod.status.conditions if c.type == kind), "")


def _phase(found: Pod | None) -> str:
    return found.status.phase if found is not None else ""


def _conditions(pod: Pod) -> dict[str, tuple[str, str, str]]:
    return {c.type: (c.status, c.reason, c.message) for c in pod.status.conditions}


ALL_TRUE = dict.fromkeys(
    ("PodReadyToStartContainers", "Initialized", "ContainersReady", "Ready", "PodScheduled"), ("True", "", "")
)


async def test_kub7_kub11_kub14_pod_is_pending_first_then_running_with_all_conditions() -> None:
    """KUB-7, KUB-11, KUB-14: the kubelet's first status is Pending before the sandbox exists (no
    pod IP, PodReadyToStartContainers False, the container waiting in ContainerCreating, not ready
    with upstream's reason and message); then Running with every condition True and no reason or
    message left over from the Pending status (issue 9 item 14)."""
    async with cluster() as c:
        history = c.history("web")
        await c.client.create(make_pod("web", "sleep", "3600"))
        await c.until(lambda: _phase(c.pod()) == "Running")
        first = next(p for p in history if p.status.conditions)
        assert first.status.phase == "Pending" and first.status.pod_ip == "" and first.status.pod_ips == []
        unready = ("False", "ContainersNotReady", "containers with unready status: [main]")
        assert _conditions(first) == {
            **ALL_TRUE,
            "PodReadyToStartContainers": ("False", "", ""),
            "ContainersReady": unready,
            "Ready": unready,
        }
        waiting = first.status.container_statuses[0].state.waiting
        assert waiting is not None and waiting.reason == "ContainerCreating"
        assert not first.status.container_statuses[0].ready and not first.status.container_statuses[0].started
        pod = c.pod()
        assert pod is not None
        assert _conditions(pod) == ALL_TRUE
        status = pod.status.container_statuses[0]
        assert status.state.running is not None and status.ready and status.started
        assert status.container_id.startswith("fake://") and status.restart_count == 0
        assert pod.status.pod_ip.startswith("10.244.") and pod.status.host_ip == "172.18.0.2"
        assert pod.status.start_time is not None and pod.status.qos_class == "BestEffort"


async def test_kub5_kub6_crash_loop_restart_delays_are_0_10_20_40() -> None:
    async with cluster() as c:
        starts = [c.clock.monotonic()]  # the first run starts (and exits) now
        await c.client.create(make_pod("crash", "sh", "-c", "exit 1"))

        def restarted(count: int) -> bool:
            pod = c.pod("crash")
            if pod is None or not pod.status.container_statuses:
                return False
            return pod.status.container_statuses[0].restart_count >= count

        for count in range(1, 5):
            await c.until(lambda count=count: restarted(count))  # type: ignore[misc]
            starts.append(c.clock.monotonic())
        first = await c.client.get(Pod, "crash", "default")
        gaps = [round(b - a) for a, b in itertools.pairwise(starts)]
        assert gaps == [0, 10, 20, 40]
        assert first.status.phase == "Running"


async def test_kub6_waiting_reason_is_crash_loop_back_off_with_the_upstream_message() -> None:
    async with cluster() as c:
        await c.client.create(make_pod("crash", "sh", "-c", "exit 1"))
        await c.until(
            lambda: (
                (p := c.pod("crash")) is not None
                and bool(p.status.container_statuses)
                and p.status.container_statuses[0].state.waiting is not None
                and p.status.container_statuses[0].state.waiting.reason == "CrashLoopBackOff"
            )
        )
        pod = c.pod("crash")
        assert pod is not None
        status = pod.status.container_statuses[0]
        assert status.state.waiting is not None
        assert status.state.waiting.message == (
            f"back-off 10s restarting failed container=main pod=crash_default({pod.metadata.uid})"
        )
        assert status.last_state.terminated is not None
        assert (status.last_state.terminated.exit_code, status.last_state.terminated.reason) == (1, "Error")
        assert status.restart_count == 1
        unready = ("False", "ContainersNotReady", "containers with unready status: [main]")
        assert _conditions(pod)["ContainersReady"] == _conditions(pod)["Ready"] == unready
        assert pod.status.phase == "Running"  # KUB-7: it has run before, so waiting counts as stopped


async def test_kub7_sleep_2_under_never_ends_succeeded() -> None:
    async with cluster() as c:
        await c.client.create(make_pod("job", "sleep", "2", restart_policy="Never"))
        await c.until(lambda: _phase(c.pod("job")) == "Running")
        started = c.clock.monotonic()
        await c.until(lambda: _phase(c.pod("job")) == "Succeeded")
        assert c.clock.monotonic() - started == pytest.approx(2, abs=0.01)
        pod = c.pod("job")
        assert pod is not None
        terminated = pod.status.container_statuses[0].state.terminated
        assert terminated is not None and (terminated.exit_code, terminated.reason) == (0, "Completed")
        # Upstream's terminal conditions; the sandbox is gone, so PodReadyToStartContainers is False
        # (issue 9 item 20), and Initialized carries upstream's PodCompleted reason.
        assert _conditions(pod) == {
            "PodReadyToStartContainers": ("False", "", ""),
            "Initialized": ("True", "PodCompleted", ""),
            "ContainersReady": ("False", "PodCompleted", ""),
            "Ready": ("False", "PodCompleted", ""),
            "PodScheduled": ("True", "", ""),
        }
        assert await c.runtime.list_pod_sandbox(PodSandboxFilter(state=PodSandboxState.READY)) == []


@pytest.mark.parametrize(
    ("policy", "script", "phase", "restarts", "ready"),
    [
        ("Never", "exit 3", "Failed", 0, ("False", "PodFailed", "")),
        ("OnFailure", "exit 0", "Succeeded", 0, ("False", "PodCompleted", "")),
        (
            "Always",
            "exit 0",
            "Running",
            1,
            ("False", "ContainersNotReady", "containers with unready status: [main]"),
        ),
    ],
)
async def test_kub5_kub7_restart_policy_decides_the_phase(
    policy: str, script: str, phase: str, restarts: int, ready: tuple[str, str, str]
) -> None:
    """KUB-5, KUB-7, KUB-11: the pod is Pending until its container has run, then the restart
    policy decides: Failed (Ready False, PodFailed, as upstream), Succeeded (PodCompleted), or
    Running while the container waits out its back-off (ContainersNotReady)."""
    async with cluster() as c:
        history = c.history("p")
        await c.client.create(make_pod("p", "sh", "-c", script, restart_policy=policy))
        await c.until(
            lambda: (
                (p := c.pod("p")) is not None
                and p.status.phase == phase
                and bool(p.status.container_statuses)
                and p.status.container_statuses[0].restart_count >= restarts
            )
        )
        await c.run_for(5)
        pod = c.pod("p")
        assert pod is not None and pod.status.phase == phase
        assert _conditions(pod)["ContainersReady"] == _conditions(pod)["Ready"] == ready
        phases = [p.status.phase for p in history if p.status.conditions]
        assert phases[0] == "Pending" and set(phases) == {"Pending", phase}
        ended = pod.status.container_statuses[0]
        last = ended.state.terminated or ended.last_state.terminated
        assert last is not None and (last.exit_code, last.reason) == (
            int(script[-1]),
            "Error" if script[-1] != "0" else "Completed",
        )


async def test_kub5_on_failure_restarts_a_failing_container_and_stays_running() -> None:
    async with cluster() as c:
        await c.client.create(make_pod("p", "sh", "-c", "exit 2", restart_policy="OnFailure"))
        await c.until(
            lambda: (
                (p := c.pod("p")) is not None
                and bool(p.status.container_statuses)
                and p.status.container_statuses[0].restart_count >= 2
            )
        )
        pod = c.pod("p")
        assert pod is not None and pod.status.phase == "Running"


async def test_kub8_init_containers_run_in_order_before_the_app() -> None:
    init = [
        Container(name="first", image=IMAGE, command=["sleep", "3"]),
        Container(name="second", image=IMAGE, command=["sleep", "4"]),
    ]
    async with cluster() as c:
        await c.client.create(make_pod("init", "sleep", "3600", init_containers=init))
        await c.until(
            lambda: (
                (p := c.pod("init")) is not None
                and bool(p.status.init_container_statuses)
                and p.status.init_container_statuses[0].state.running is not None
            )
        )
        pod = c.pod("init")
        assert pod is not None and pod.status.phase == "Pending"
        assert _condition(pod, "Initialized") == "False"
        assert next(x for x in pod.status.conditions if x.type == "Initialized").message == (
            "containers with incomplete status: [first second]"
        )
        app = pod.status.container_statuses[0]
        assert app.state.waiting is not None and app.state.waiting.reason == "PodInitializing"
        first = pod.status.init_container_statuses[0]
        assert first.state.running is not None and first.started and not first.ready
        begin = c.clock.monotonic()
        await c.until(lambda: _phase(c.pod("init")) == "Running")
        assert c.clock.monotonic() - begin == pytest.approx(7, abs=0.01)
        pod = c.pod("init")
        assert pod is not None and _condition(pod, "Initialized") == "True"
        assert [
            s.state.terminated.exit_code for s in pod.status.init_container_statuses if s.state.terminated
        ] == [0, 0]
        # Issue 9 item 20: an init container that exited 0 is ready (and no longer started).
        assert [(s.ready, s.started) for s in pod.status.init_container_statuses] == [(True, False)] * 2


async def test_kub8_failing_init_container_under_never_fails_the_pod() -> None:
    init = [Container(name="setup", image=IMAGE, command=["false"])]
    async with cluster() as c:
        await c.client.create(make_pod("init", "sleep", "3600", restart_policy="Never", init_containers=init))
        await c.until(lambda: _phase(c.pod("init")) == "Failed")
        pod = c.pod("init")
        assert pod is not None
        assert pod.status.container_statuses[0].state.running is None
        assert c.runtime.network.address_of  # the sandbox was stopped: its IP is free again
        assert len(c.network) == 0


def _sidecar(command: list[str], **probes: Probe) -> Container:
    return Container(name="proxy", image=IMAGE, command=command, restart_policy="Always", **probes)  # type: ignore[arg-type]


async def test_sidecar_starts_first_and_the_app_starts_once_it_has_started() -> None:
    """Issue 9 item 17, Kubernetes v1.29+ sidecars: an init container with `restartPolicy: Always`
    starts first; the next init container and then the app start once it has *started* (its
    startup probe passes at 10 s); it keeps running beside the app, the pod is Running and
    Initialized, and the sidecar counts in ContainersReady (KUB-11, upstream's generate.go)."""
    startup = Probe(exec=ExecAction(command=["started"]), period_seconds=5)
    init = [
        _sidecar(["sleep", "3600"], startup_probe=startup),
        Container(name="setup", image=IMAGE, command=["sleep", "2"]),
    ]
    async with cluster() as c:
        begin = c.clock.monotonic()

        def answer(status: ContainerStatus, cmd: list[str]) -> ExecResult:
            return ExecResult(exit_code=0 if c.clock.monotonic() - begin >= 10 else 1)

        c.runtime.set_exec_handler(answer)
        history = c.history("side")
        await c.client.create(make_pod("side", "sleep", "3600", init_containers=init))
        await c.until(lambda: _phase(c.pod("side")) == "Running")
        assert c.clock.monotonic() - begin == pytest.approx(12, abs=0.01)
        waiting = next(
            p
            for p in history
            if p.status.init_container_statuses and p.status.init_container_statuses[0].state.running
        )
        assert waiting.status.phase == "Pending" and not waiting.status.init_container_statuses[0].started
        assert _conditions(waiting)["Initialized"] == (
            "False",
            "ContainersNotInitialized",
            "containers with incomplete status: [proxy setup]",
        )
        assert _conditions(waiting)["ContainersReady"] == (
            "False",
            "ContainersNotReady",
            "containers with unready status: [proxy main]",
        )
        setup_seen = next(
            p
            for p in history
            if p.status.init_container_statuses[1:] and p.status.init_container_statuses[1].state.running
        )
        assert setup_seen.status.init_container_statuses[0].started  # setup waited for the sidecar
        pod = c.pod("side")
        assert pod is not None and _conditions(pod) == ALL_TRUE
        proxy, setup = pod.status.init_container_statuses
        assert proxy.state.running is not None and proxy.started and proxy.ready
        assert setup.state.terminated is not None and setup.ready


async def test_sidecar_restarts_under_never_and_is_stopped_once_the_app_is_done() -> None:
    """Issue 9 item 17: a sidecar restarts whatever the pod's restart policy; when the app
    containers have exited for good the kubelet stops the sidecar and the pod completes (its exit
    does not count: Succeeded, as upstream)."""
    init = [_sidecar(["sh", "-c", "sleep 3; exit 1"])]
    async with cluster() as c:
        await c.client.create(make_pod("job", "sleep", "20", restart_policy="Never", init_containers=init))
        await c.until(lambda: _phase(c.pod("job")) == "Running")
        await c.until(
            lambda: (p := c.pod("job")) is not None and p.status.init_container_statuses[0].restart_count >= 2
        )
        assert _phase(c.pod("job")) == "Running"
        c.runtime.set_exec_handler(lambda status, cmd: ExecResult(exit_code=0))
        await c.until(lambda: _phase(c.pod("job")) == "Succeeded")
        pod = c.pod("job")
        assert pod is not None
        ended = pod.status.container_statuses[0].state.terminated
        assert ended is not None and ended.exit_code == 0
        proxy = pod.status.init_container_statuses[0]
        assert proxy.state.running is None and not proxy.ready
        assert await c.runtime.list_pod_sandbox(PodSandboxFilter(state=PodSandboxState.READY)) == []


async def test_kub11_ready_to_start_containers_is_false_while_the_sandbox_is_gone() -> None:
    """Issue 9 item 20: when the pod's sandbox dies, the kubelet reports PodReadyToStartContainers
    False (and the pod not ready) before it creates a new sandbox, then True again once the new
    sandbox runs the containers (upstream's GeneratePodReadyToStartContainersCondition)."""
    async with cluster() as c:
        await c.client.create(make_pod("web", "sleep", "3600"))
        await c.until(lambda: _phase(c.pod()) == "Running")
        history = c.history("web")
        (sandbox,) = await c.runtime.list_pod_sandbox()
        await c.runtime.stop_pod_sandbox(sandbox.id)
        await c.until(lambda: len(history) > 1 and _conditions(history[-1]) == ALL_TRUE)
        gone = next(p for p in history if _conditions(p)["PodReadyToStartContainers"][0] == "False")
        unready = ("False", "ContainersNotReady", "containers with unready status: [main]")
        assert _conditions(gone) == {
            **ALL_TRUE,
            "PodReadyToStartContainers": ("False", "", ""),
            "ContainersReady": unready,
            "Ready": unready,
        }
        assert gone.status.container_statuses[0].state.running is None
        assert len(await c.runtime.list_pod_sandbox(PodSandboxFilter(state=PodSandboxState.READY))) == 1
