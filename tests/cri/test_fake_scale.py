"""Scale smoke test: 100 fake nodes sharing one pod network run 10,000 pods with no task per pod,
and their state is right afterwards (no timing assertion; the kubelet benchmark measures speed)."""

from __future__ import annotations

import pytest

from kubelite.clock import FakeClock
from kubelite.cri import ContainerFilter, ContainerState, PodSandboxFilter, PodSandboxState
from kubelite.cri.fake import FakeImageService, FakeRuntime, PodNetwork
from tests.cri.builders import container_config, sandbox_config

pytestmark = pytest.mark.anyio

NODES = 100
PODS_PER_NODE = 100


async def test_ten_thousand_pods_on_a_hundred_nodes() -> None:
    clock = FakeClock()
    network = PodNetwork()
    images = FakeImageService(clock, present=["busybox:1.36"])
    nodes = [FakeRuntime(clock, images=images, network=network, name=f"n{n}") for n in range(NODES)]
    sandboxes: list[tuple[FakeRuntime, str]] = []
    for node in nodes:
        for pod in range(PODS_PER_NODE):
            config = sandbox_config(f"p{pod}")
            sandbox_id = await node.run_pod_sandbox(config)
            command = ("sleep", str(1 + pod % 10)) if pod % 2 else ("sleep", "3600")
            container = await node.create_container(
                sandbox_id, container_config("busybox:1.36", *command), config
            )
            await node.start_container(container)
            sandboxes.append((node, sandbox_id))
    clock.advance(10)
    assert len(network) == NODES * PODS_PER_NODE
    running = [
        len(await node.list_containers(ContainerFilter(state=ContainerState.RUNNING))) for node in nodes
    ]
    assert running == [PODS_PER_NODE // 2] * NODES
    for node, sandbox_id in sandboxes[::2]:
        await node.remove_pod_sandbox(sandbox_id)
    assert len(network) == NODES * PODS_PER_NODE // 2
    ready = [
        len(await node.list_pod_sandbox(PodSandboxFilter(state=PodSandboxState.READY))) for node in nodes
    ]
    assert ready == [PODS_PER_NODE // 2] * NODES
    for node in nodes:  # the long sleepers were in the removed sandboxes; the short ones exited 0
        left = await node.list_containers()
        assert len(left) == PODS_PER_NODE // 2
        assert {info.state for info in left} == {ContainerState.EXITED}
