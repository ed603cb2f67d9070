"""Table tests for the kubelet's pure parts: crash-loop back-off (KUB-6), phase (KUB-7), admission
(SCH-10), environment resolution, and the NODE-3 write rule."""

from __future__ import annotations

import base64

import msgspec
import pytest

from kubelite.api.core import (
    ConfigMap,
    Container,
    ContainerState,
    ContainerStateRunning,
    ContainerStateTerminated,
    ContainerStateWaiting,
    ContainerStatus,
    EnvVar,
    EnvVarSource,
    NodeStatus,
    ObjectFieldSelector,
    Pod,
    PodSpec,
    ResourceRequirements,
    Secret,
)
from kubelite.api.core.env import ConfigMapEnvSource, EnvFromSource, SecretKeySelector
from kubelite.api.meta import ObjectMeta
from kubelite.api.resources import pod_requests
from kubelite.clock import FakeClock
from kubelite.kubelet import KubeletConfig
from kubelite.kubelet.admission import Admission
from kubelite.kubelet.backoff import Backoff
from kubelite.kubelet.conditions import pod_conditions
from kubelite.kubelet.containers import go_duration, should_restart
from kubelite.kubelet.env import ConfigError, expand, resolve_env
from kubelite.kubelet.nodestatus import desired_status, needs_write, stamp_heartbeat
from kubelite.kubelet.phase import pod_phase
from kubelite.scheduler.podinfo import PodInfo

pytestmark = pytest.mark.anyio


def test_kub6_backoff_sequence_is_10_20_40_80_160_300_300_and_resets_after_600s() -> None:
    clock = FakeClock()
    backoff = Backoff(10, 300, clock)
    delays = []
    for _ in range(8):
        delays.append(backoff.next("pod/c", clock.now()))
        clock.advance(delays[-1])
    assert delays == [10, 20, 40, 80, 160, 300, 300, 300]
    clock.advance(601)
    assert backoff.next("pod/c", clock.now()) == 10


def test_kub6_a_finish_inside_the_delay_is_in_back_off_until_it_passes() -> None:
    clock = FakeClock()
    backoff = Backoff(10, 300, clock)
    backoff.next("k", clock.now())
    finished = clock.now()
    clock.advance(9.9)
    assert backoff.in_backoff_since("k", finished) and backoff.remaining("k", finished) == pytest.approx(0.1)
    clock.advance(0.1)
    assert not backoff.in_backoff_since("k", finished)


@pytest.mark.parametrize(
    ("seconds", "text"), [(10, "10s"), (40, "40s"), (80, "1m20s"), (160, "2m40s"), (300, "5m0s")]
)
def test_go_duration_text(seconds: float, text: str) -> None:
    assert go_duration(seconds) == text


@pytest.mark.parametrize(
    ("policy", "code", "restart"),
    [
        ("Always", 0, True),
        ("Always", 1, True),
        ("OnFailure", 0, False),
        ("OnFailure", 2, True),
        ("Never", 1, False),
    ],
)
def test_kub5_restart_policy(policy: str, code: int, restart: bool) -> None:
    assert should_restart(policy, code) is restart


def _running(name: str = "c", *, started: bool = False) -> ContainerStatus:
    state = ContainerState(running=ContainerStateRunning(started_at="x"))
    return ContainerStatus(name=name, state=state, started=started)


def _exited(code: int, name: str = "c") -> ContainerStatus:
    return ContainerStatus(
        name=name, state=ContainerState(terminated=ContainerStateTerminated(exit_code=code))
    )


def _waiting(name: str = "c", *, crashed: int | None = None) -> ContainerStatus:
    last = (
        ContainerState(terminated=ContainerStateTerminated(exit_code=crashed))
        if crashed is not None
        else ContainerState()
    )
    return ContainerStatus(
        name=name, state=ContainerState(waiting=ContainerStateWaiting(reason="x")), last_state=last
    )


@pytest.mark.parametrize(
    ("policy", "init", "app", "phase"),
    [
        ("Always", [], [_waiting()], "Pending"),
        ("Always", [], [_running()], "Running"),
        ("Always", [], [_running("a"), _waiting("b")], "Pending"),
        ("Always", [], [_exited(0)], "Running"),
        ("Always", [], [_waiting(crashed=1)], "Running"),
        ("OnFailure", [], [_exited(0)], "Succeeded"),
        ("OnFailure", [], [_exited(1)], "Running"),
        ("Never", [], [_exited(0), _exited(0, "b")], "Succeeded"),
        ("Never", [], [_exited(0), _exited(3, "b")], "Failed"),
        ("Never", [], [_running(), _exited(3, "b")], "Running"),
        ("Never", [_exited(1, "i")], [_waiting()], "Failed"),
        ("Always", [_exited(1, "i")], [_waiting()], "Pending"),
        ("Always", [_waiting("i", crashed=1)], [_waiting()], "Pending"),
        ("Always", [_exited(0, "i"), _running("j")], [_waiting()], "Pending"),
        ("Always", [_exited(0, "i")], [_running()], "Running"),
    ],
)
def test_kub7_phase_table(
    policy: str, init: list[ContainerStatus], app: list[ContainerStatus], phase: str
) -> None:
    assert pod_phase(policy, init, app) == phase


@pytest.mark.parametrize(
    ("policy", "sidecar", "app", "phase"),
    [
        ("Always", _running("s"), [_waiting()], "Pending"),
        ("Always", _waiting("s"), [_waiting()], "Pending"),
        ("Always", _running("s", started=True), [_waiting()], "Pending"),
        ("Always", _running("s", started=True), [_running()], "Running"),
        ("Always", _running("s"), [_running()], "Running"),
        ("Always", _waiting("s", crashed=1), [_running()], "Running"),
        ("Never", _running("s", started=True), [_exited(0)], "Running"),
        ("Never", _exited(143, "s"), [_exited(0)], "Succeeded"),
        ("Never", _exited(0, "s"), [_exited(2)], "Failed"),
        ("OnFailure", _exited(143, "s"), [_exited(0)], "Succeeded"),
    ],
)
def test_kub7_phase_with_a_sidecar(
    policy: str, sidecar: ContainerStatus, app: list[ContainerStatus], phase: str
) -> None:
    """Upstream's getPhase for sidecars (issue 9 item 17): an unstarted sidecar keeps the pod
    Pending until an app container has run; a running one keeps it Running; a stopped one does not
    count, so a completed pod is Succeeded or Failed by its app containers alone."""
    assert pod_phase(policy, [_exited(0, "i"), sidecar], app, sidecars={"s"}) == phase


def _sidecar_pod() -> Pod:
    sidecar = Container(name="s", restart_policy="Always")
    return Pod(spec=PodSpec(init_containers=[Container(name="i"), sidecar], containers=[Container(name="c")]))


def _ready(status: ContainerStatus) -> ContainerStatus:
    return msgspec.structs.replace(status, ready=True)


@pytest.mark.parametrize(
    ("init", "app", "phase", "initialized", "containers_ready"),
    [
        (
            [_exited(0, "i"), _running("s")],
            [_waiting()],
            "Pending",
            ("False", "ContainersNotInitialized", "containers with incomplete status: [i s]"),
            ("False", "ContainersNotReady", "containers with unready status: [s c]"),
        ),
        (
            [_ready(_exited(0, "i")), _ready(_running("s", started=True))],
            [_ready(_running())],
            "Running",
            ("True", "", ""),
            ("True", "", ""),
        ),
        (
            [_ready(_exited(0, "i")), _waiting("s", crashed=1)],
            [_ready(_running())],
            "Running",
            ("True", "", ""),
            ("False", "ContainersNotReady", "containers with unready status: [s]"),
        ),
        (
            [_ready(_exited(0, "i")), _exited(143, "s")],
            [_exited(0)],
            "Succeeded",
            ("True", "PodCompleted", ""),
            ("False", "PodCompleted", ""),
        ),
        (
            [_ready(_exited(0, "i")), _exited(143, "s")],
            [_exited(1)],
            "Failed",
            ("True", "", ""),
            ("False", "PodFailed", ""),
        ),
    ],
)
def test_kub11_conditions_with_init_containers_and_a_sidecar(
    init: list[ContainerStatus],
    app: list[ContainerStatus],
    phase: str,
    initialized: tuple[str, str, str],
    containers_ready: tuple[str, str, str],
) -> None:
    """Upstream's generate.go (issue 9 items 17, 20): a regular init container counts as
    initialized once ready (exited 0), a sidecar once started; an app container that has run means
    initialized even while a sidecar restarts; sidecars are listed first among unready containers;
    a terminal pod is not ready with reason PodCompleted or PodFailed."""
    conditions = pod_conditions(_sidecar_pod(), sandbox_ready=True, init=init, app=app, phase=phase, now=0)
    found = {c.type: (c.status, c.reason, c.message) for c in conditions}
    assert (found["Initialized"], found["ContainersReady"], found["Ready"]) == (
        initialized,
        containers_ready,
        containers_ready,
    )


def _pod(uid: str, *requests: dict[str, str], init: dict[str, str] | None = None) -> Pod:
    containers = [
        Container(name=f"c{i}", resources=ResourceRequirements(requests=r)) for i, r in enumerate(requests)
    ]
    init_containers = [Container(name="i", resources=ResourceRequirements(requests=init))] if init else []
    return Pod(
        metadata=ObjectMeta(uid=uid), spec=PodSpec(containers=containers, init_containers=init_containers)
    )


def test_sch5_pod_requests_take_the_larger_of_app_sum_and_init_max() -> None:
    pod = _pod("a", {"cpu": "250m", "memory": "64Mi"}, {"cpu": "250m"}, init={"cpu": "1", "memory": "32Mi"})
    assert pod_requests(pod.spec) == {"cpu": 1000, "memory": 64 * 1024 * 1024}


def test_sch5_sch10_admission_counts_sidecars_and_limits_as_the_scheduler_does() -> None:
    """Issue 9 item 20: one function computes a pod's requests for the scheduler and for kubelet
    admission. A sidecar (init container with restartPolicy Always) adds to the app containers, a
    regular init container after it needs the sidecar too, and a limit alone is the request:
    max(1000 + 500, 1200 + 500) = 1700 millicores here."""
    sidecar = Container(
        name="proxy", restart_policy="Always", resources=ResourceRequirements(requests={"cpu": "500m"})
    )
    setup = Container(name="setup", resources=ResourceRequirements(limits={"cpu": "1200m", "memory": "1Gi"}))
    app = Container(name="app", resources=ResourceRequirements(requests={"cpu": "1"}))
    pod = Pod(metadata=ObjectMeta(uid="a"), spec=PodSpec(containers=[app], init_containers=[sidecar, setup]))
    assert (PodInfo(pod).cpu, PodInfo(pod).memory) == (1700, 1024**3)
    admission = Admission({"cpu": "2", "memory": "4Gi"})
    assert admission.admit(pod) is None
    rejected = admission.admit(_pod("b", {"cpu": "400m"}))
    assert rejected is not None and rejected.reason == "OutOfcpu"
    assert (
        rejected.message
        == "Node didn't have enough resource: cpu, requested: 400, used: 1700, capacity: 2000"
    )


def test_sch10_admission_rejects_what_does_not_fit_and_release_frees_it() -> None:
    admission = Admission({"cpu": "2", "memory": "1Gi", "pods": "2"})
    assert admission.admit(_pod("a", {"cpu": "1500m"})) is None
    rejected = admission.admit(_pod("b", {"cpu": "1"}))
    assert rejected is not None and rejected.reason == "OutOfcpu"
    assert (
        rejected.message
        == "Node didn't have enough resource: cpu, requested: 1000, used: 1500, capacity: 2000"
    )
    assert admission.admit(_pod("c", {"memory": "2Gi"})).reason == "OutOfmemory"  # type: ignore[union-attr]
    assert admission.admit(_pod("d")) is None
    assert admission.admit(_pod("e")).reason == "OutOfpods"  # type: ignore[union-attr]
    admission.release("a")
    assert admission.admit(_pod("b", {"cpu": "1"})) is None


def test_env_expansion_follows_kubernetes() -> None:
    assert expand("$(A)-$(B)-$$(A)-$(MISSING)", {"A": "1", "B": "2"}) == "1-2-$(A)-$(MISSING)"


async def test_env_from_config_maps_secrets_and_pod_fields_in_order() -> None:
    objects = {
        ("configmap", "cfg"): ConfigMap(data={"MODE": "fast", "LEVEL": "3"}),
        ("secret", "creds"): Secret(data={"token": base64.b64encode(b"s3cret").decode()}),
    }

    async def fetch(kind: str, name: str) -> ConfigMap | Secret | None:
        return objects.get((kind, name))

    container = Container(
        name="c",
        env_from=[EnvFromSource(prefix="CFG_", config_map_ref=ConfigMapEnvSource(name="cfg"))],
        env=[
            EnvVar(name="CFG_MODE", value="slow"),
            EnvVar(
                name="TOKEN",
                value_from=EnvVarSource(secret_key_ref=SecretKeySelector(name="creds", key="token")),
            ),
            EnvVar(
                name="POD", value_from=EnvVarSource(field_ref=ObjectFieldSelector(field_path="metadata.name"))
            ),
            EnvVar(name="BOTH", value="$(CFG_MODE)/$(POD)"),
        ],
    )
    pod = Pod(metadata=ObjectMeta(name="web", namespace="default"))
    assert dict(await resolve_env(container, pod, fetch)) == {
        "CFG_MODE": "slow",
        "CFG_LEVEL": "3",
        "TOKEN": "s3cret",
        "POD": "web",
        "BOTH": "slow/web",
    }
    missing = Container(
        name="c",
        env=[
            EnvVar(
                name="X", value_from=EnvVarSource(secret_key_ref=SecretKeySelector(name="creds", key="nope"))
            )
        ],
    )
    with pytest.raises(ConfigError, match="couldn't find key nope in Secret default/creds"):
        await resolve_env(missing, pod, fetch)


def test_node3_status_write_rule() -> None:
    config = KubeletConfig("n")
    first = stamp_heartbeat(desired_status(NodeStatus(), config, "fake://0.1", ready=True, now=1000), 1000)
    again = desired_status(first, config, "fake://0.1", ready=True, now=1010)
    assert not needs_write(first, again, 1000, 1010, 300)
    assert needs_write(first, again, 1000, 1300, 300)
    not_ready = desired_status(first, config, "fake://0.1", ready=False, now=1010)
    assert needs_write(first, not_ready, 1000, 1010, 300)
    ready = next(c for c in not_ready.conditions if c.type == "Ready")
    assert (ready.status, ready.reason) == ("False", "KubeletNotReady")


def test_sch10_admission_never_rejects_a_pod_accepted_before_a_kubelet_restart() -> None:
    admission = Admission({"cpu": "1", "pods": "110"})
    assert admission.admit(_pod("a", {"cpu": "800m"}), already_running=True) is None
    assert admission.admit(_pod("b", {"cpu": "800m"}), already_running=True) is None  # over, but it runs
    rejected = admission.admit(_pod("c", {"cpu": "100m"}))
    assert rejected is not None and rejected.reason == "OutOfcpu"
