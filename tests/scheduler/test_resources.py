"""A pod's effective request (SCH-5): max(Σ app, max init) + overhead, requests default to limits;
the non-zero defaults LeastAllocated uses for unrequested containers (SCH-7)."""

from __future__ import annotations

import pytest

from kubelite.api.core import Pod
from kubelite.api.resources import amount, pod_requests
from kubelite.scheduler.podinfo import PodInfo
from tests.scheduler.builders import container, pod

MI = 1024 * 1024


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        (pod(), {}),
        (
            pod(containers=[container("a", cpu="250m", memory="64Mi"), container("b", cpu="1")]),
            {"cpu": 1250, "memory": 64 * MI},
        ),
        (
            pod(containers=[container(limits={"cpu": "2", "memory": "1Gi"})]),
            {"cpu": 2000, "memory": 1024 * MI},
        ),
        (pod(containers=[container(cpu="500m", limits={"cpu": "2"})]), {"cpu": 500}),
        (
            pod(cpu="500m", memory="100Mi", init_containers=[container("init", cpu="2", memory="10Mi")]),
            {"cpu": 2000, "memory": 100 * MI},
        ),
        (
            pod(
                cpu="1",
                init_containers=[container("i1", cpu="3"), container("i2", cpu="2", memory="1Gi")],
            ),
            {"cpu": 3000, "memory": 1024 * MI},
        ),
        (pod(cpu="1", overhead={"cpu": "250m", "memory": "120Mi"}), {"cpu": 1250, "memory": 120 * MI}),
        (
            pod(cpu="100m", init_containers=[container("init", cpu="1")], overhead={"cpu": "10m"}),
            {"cpu": 1010},
        ),
        (
            pod(
                cpu="1",
                init_containers=[
                    container("sidecar", cpu="500m", restart_policy="Always"),
                    container("after", cpu="2"),
                ],
            ),
            {"cpu": 2500},
        ),
        (
            pod(
                cpu="2",
                init_containers=[
                    container("before", cpu="1"),
                    container("sidecar", cpu="500m", restart_policy="Always"),
                ],
            ),
            {"cpu": 2500},
        ),
    ],
    ids=[
        "nothing",
        "sum-of-app-containers",
        "limits-only",
        "request-over-limit",
        "init-larger-cpu",
        "max-over-inits",
        "overhead",
        "overhead-on-init-peak",
        "sidecar-before-init",
        "sidecar-after-init",
    ],
)
def test_sch5_effective_request(subject: Pod, expected: dict[str, int]) -> None:
    assert pod_requests(subject.spec) == expected


def test_sch7_non_zero_defaults_apply_per_container() -> None:
    subject = pod(containers=[container("a"), container("b", cpu="1", memory="0")])
    assert pod_requests(subject.spec, non_zero=True) == {"cpu": 1100, "memory": 200 * MI}
    info = PodInfo(subject)
    assert (info.cpu, info.memory, info.nz_cpu, info.nz_memory) == (1000, 0, 1100, 200 * MI)


def test_amounts_are_millicores_for_cpu_and_units_otherwise() -> None:
    assert amount("cpu", "1.5") == 1500
    assert amount("memory", "1Ki") == 1024
    assert amount("nvidia.com/gpu", "2") == 2
    assert PodInfo(pod(containers=[container(requests={"nvidia.com/gpu": "2"})])).scalar == {
        "nvidia.com/gpu": 2
    }
