"""Resource requests and limits become the container's cgroup settings, as the kubelet computes
them upstream (kuberuntime on Linux): CPU shares from the request (milliCPU × 1024 / 1000, between 2
and 262144; the limit stands in for a missing request), a CFS quota from the limit over a 100 ms
period (at least 1 ms), the memory limit in bytes with no swap. On a fake node the runtime carries
them in its container status, so the kubelet's path is the one it takes on Docker."""

from __future__ import annotations

import pytest

from kubelite.api.core import Container, ResourceRequirements
from kubelite.cri import LinuxContainerResources
from kubelite.kubelet.resources import container_resources
from tests.kubelet.harness import IMAGE, cluster, make_pod

pytestmark = pytest.mark.anyio

MI = 1 << 20


def _container(requests: dict[str, str], limits: dict[str, str]) -> Container:
    return Container(
        name="main",
        image=IMAGE,
        command=["sleep", "3600"],
        resources=ResourceRequirements(requests=requests, limits=limits),
    )


@pytest.mark.parametrize(
    ("requests", "limits", "shares", "quota", "memory"),
    [
        ({}, {}, 2, 0, 0),
        ({"cpu": "250m"}, {}, 256, 0, 0),
        ({"cpu": "1"}, {"cpu": "2"}, 1024, 200000, 0),
        ({}, {"cpu": "500m"}, 512, 50000, 0),
        ({"cpu": "1m"}, {"cpu": "1m"}, 2, 1000, 0),
        ({"cpu": "0"}, {"cpu": "100m"}, 2, 10000, 0),
        ({"cpu": "300"}, {}, 262144, 0, 0),
        ({"cpu": "1500m"}, {"cpu": "3.5"}, 1536, 350000, 0),
        ({"memory": "16Mi"}, {"memory": "32Mi"}, 2, 0, 32 * MI),
        ({}, {"memory": "1G"}, 2, 0, 10**9),
    ],
    ids=[
        "none",
        "request-only",
        "request-and-limit",
        "limit-stands-in-for-request",
        "one-millicpu-minimums",
        "zero-request",
        "shares-capped",
        "fractions",
        "memory-binary",
        "memory-decimal",
    ],
)
def test_requests_and_limits_to_cgroup_settings(
    requests: dict[str, str], limits: dict[str, str], shares: int, quota: int, memory: int
) -> None:
    assert container_resources(_container(requests, limits)) == LinuxContainerResources(
        cpu_period=100000,
        cpu_quota=quota,
        cpu_shares=shares,
        memory_limit_in_bytes=memory,
        memory_swap_limit_in_bytes=memory,
    )


async def test_a_fake_node_creates_containers_with_their_limits() -> None:
    container = _container({"cpu": "250m", "memory": "16Mi"}, {"cpu": "500m", "memory": "32Mi"})
    async with cluster() as c:
        await c.client.create(make_pod("limited", containers=[container]))
        await c.until(lambda: (p := c.pod("limited")) is not None and p.status.phase == "Running")
        [info] = await c.runtime.list_containers()
        status = await c.runtime.container_status(info.id)
        assert status.resources == LinuxContainerResources(
            cpu_period=100000,
            cpu_quota=50000,
            cpu_shares=256,
            memory_limit_in_bytes=32 * MI,
            memory_swap_limit_in_bytes=32 * MI,
        )
