"""Small builders for CRI requests in tests, and waits written against the `Harness` only.

Every sandbox gets a fresh pod uid and a `kubelite.test/run` label unique to the test, so list
assertions hold even on a Docker daemon that other tests share.
"""

from __future__ import annotations

import uuid

from kubelite.cri import (
    ContainerConfig,
    ContainerMetadata,
    ContainerState,
    ContainerStatus,
    LogOptions,
    PodSandboxConfig,
    PodSandboxMetadata,
)
from tests.cri.harness import Harness

RUN_LABEL = "kubelite.test/run"

LONG_RUNNING = ("sh", "-c", "trap 'exit 143' TERM; echo trapped; while true; do sleep 1; done")
"""Runs until stopped and dies of SIGTERM with 143 on every backend. (A bare `sleep` as PID 1 of a
Docker container without an init process ignores SIGTERM, so it would wait out the grace period.)"""


def run_id() -> str:
    return uuid.uuid4().hex[:12]


def sandbox_config(
    name: str = "pod",
    *,
    run: str = "",
    labels: dict[str, str] | None = None,
    annotations: dict[str, str] | None = None,
    host_network: bool = False,
) -> PodSandboxConfig:
    return PodSandboxConfig(
        metadata=PodSandboxMetadata(name=name, uid=str(uuid.uuid4()), namespace="default"),
        hostname=name,
        host_network=host_network,
        labels={RUN_LABEL: run or run_id(), **(labels or {})},
        annotations=dict(annotations or {}),
    )


def container_config(
    image: str,
    *command: str,
    name: str = "main",
    labels: dict[str, str] | None = None,
    annotations: dict[str, str] | None = None,
    attempt: int = 0,
) -> ContainerConfig:
    return ContainerConfig(
        metadata=ContainerMetadata(name=name, attempt=attempt),
        image=image,
        command=tuple(command),
        labels=dict(labels or {}),
        annotations=dict(annotations or {}),
    )


async def new_sandbox(
    harness: Harness,
    name: str = "pod",
    *,
    run: str = "",
    labels: dict[str, str] | None = None,
    host_network: bool = False,
) -> tuple[str, PodSandboxConfig]:
    """Run a sandbox; returns its id and the config it was made from."""
    config = sandbox_config(name, run=run, labels=labels, host_network=host_network)
    return await harness.runtime.run_pod_sandbox(config), config


async def new_container(
    harness: Harness,
    sandbox: tuple[str, PodSandboxConfig],
    *command: str,
    name: str = "main",
    labels: dict[str, str] | None = None,
    start: bool = True,
) -> str:
    """Create (and by default start) a container running `command` in `sandbox`."""
    config = container_config(harness.image, *command, name=name, labels=labels)
    container_id = await harness.runtime.create_container(sandbox[0], config, sandbox[1])
    if start:
        await harness.runtime.start_container(container_id)
        if command == LONG_RUNNING:
            await wait_output(harness, container_id, "trapped")
    return container_id


async def wait_output(harness: Harness, container_id: str, text: str, within: float = 10.0) -> None:
    """Wait until the container has printed `text`: for `LONG_RUNNING`, that its SIGTERM trap is set.
    (Until then its shell, PID 1 of a Docker container, would ignore SIGTERM and wait out the grace.)"""

    async def printed() -> bool:
        lines = [line.text async for line in harness.runtime.logs(container_id, LogOptions())]
        return text in lines

    await harness.eventually(printed, within)


async def wait_exited(harness: Harness, container_id: str, within: float = 10.0) -> ContainerStatus:
    """The container's status once it has exited."""

    async def exited() -> bool:
        status = await harness.runtime.container_status(container_id)
        return status.state is ContainerState.EXITED

    await harness.eventually(exited, within)
    return await harness.runtime.container_status(container_id)
