"""The Docker CRI backend beyond the shared conformance suite.

Daemon tests (fixture `docker_harness`, from `tests/docker_support.py`; skipped without a daemon,
failed with `KUBELITE_REQUIRE_DOCKER=1`): the `io.kubelite.*` labels in the daemon, a pod's
containers talking over 127.0.0.1, stop-then-remove leaving nothing behind, split stdout/stderr
logs, state rebuilt from the daemon alone, runtimes sharing a daemon kept apart, exec timeouts,
pulls without a registry (a loopback address: nothing listens there), resources as the container's
cgroup limits with a memory hog OOM-killed (KUB-4). Pure tests (no daemon): exit
reasons including OOMKilled (KUB-4), which resources reach the host config, the daemon's timestamps, log line reassembly, an unreachable
daemon.
"""

from __future__ import annotations

from pathlib import Path

import aiodocker
import anyio
import msgspec
import pytest

from kubelite.cri import (
    ContainerFilter,
    ContainerNotFound,
    ContainerState,
    CRIError,
    ImagePullError,
    ImageSpec,
    LinuxContainerResources,
    LogOptions,
    PodSandboxFilter,
    RuntimeUnavailable,
    SandboxNotFound,
)
from kubelite.cri.docker import DockerRuntime
from kubelite.cri.docker import labels as kl
from kubelite.cri.docker.logs import Lines
from kubelite.cri.docker.specs import container_spec
from kubelite.cri.docker.times import epoch
from kubelite.cri.docker.views import exit_reason
from kubelite.cri.docker.wire import State
from tests.cri.builders import (
    LONG_RUNNING,
    container_config,
    new_container,
    new_sandbox,
    sandbox_config,
    wait_exited,
)
from tests.docker_support import DockerHarness

pytestmark = pytest.mark.anyio

daemon = pytest.mark.slow  # these start containers on a real daemon


async def _labels(harness: DockerHarness, container_id: str) -> dict[str, str]:
    found = await harness.docker.containers.container(container_id).show()
    labels: dict[str, str] = found["Config"]["Labels"]
    return labels


async def _daemon_containers(harness: DockerHarness) -> list[str]:
    rows = await harness.docker.containers.list(all=True, filters={"label": [f"{kl.RUNTIME}={harness.name}"]})
    return [row.id for row in rows]


@daemon
async def test_labels_in_the_daemon_name_the_pod_and_container(docker_harness: DockerHarness) -> None:
    harness = docker_harness
    config = sandbox_config("web", annotations={"note": "x"})
    sandbox_id = await harness.runtime.run_pod_sandbox(config)
    container = container_config(harness.image, *LONG_RUNNING, name="app", labels={"tier": "1"}, attempt=2)
    container_id = await harness.runtime.create_container(sandbox_id, container, config)
    pod = {kl.POD_UID: config.metadata.uid, kl.POD_NAME: "web", kl.POD_NAMESPACE: "default"}
    sandbox_labels = await _labels(harness, sandbox_id)
    assert sandbox_labels.items() >= {**pod, kl.KIND: "sandbox", kl.RUNTIME: harness.name}.items()
    assert sandbox_labels[kl.ANNOTATION + "note"] == "x"
    own = {
        kl.KIND: "container",
        kl.SANDBOX_ID: sandbox_id,
        kl.CONTAINER_NAME: "app",
        kl.CONTAINER_ATTEMPT: "2",
    }
    assert (await _labels(harness, container_id)).items() >= {**pod, **own, "tier": "1"}.items()


@daemon
async def test_a_pods_containers_talk_over_loopback(docker_harness: DockerHarness) -> None:
    harness = docker_harness
    sandbox = await new_sandbox(harness)
    serve = (
        "mkdir -p /www && echo hello-from-httpd > /www/index.html && exec httpd -f -p 127.0.0.1:8080 -h /www"
    )
    await new_container(harness, sandbox, "sh", "-c", serve, name="server")
    client = await new_container(harness, sandbox, *LONG_RUNNING, name="client")
    url = "http://127.0.0.1:8080/index.html"

    async def served() -> bool:
        return (await harness.runtime.exec_sync(client, ["wget", "-q", "-O", "-", url], 5)).exit_code == 0

    await harness.eventually(served)
    result = await harness.runtime.exec_sync(client, ["wget", "-q", "-O", "-", url], 5)
    assert result.stdout == b"hello-from-httpd\n"
    assert (await harness.runtime.pod_sandbox_status(sandbox[0])).ip == "127.0.0.1"


@daemon
async def test_kub4_resources_are_cgroup_limits_and_a_container_over_its_memory_is_oom_killed(
    docker_harness: DockerHarness,
) -> None:
    """The daemon gets the CRI resources as its host config and enforces them: `tail /dev/zero`
    buffers one endless line, so with 24 MiB it is OOM-killed: exit code 137, reason OOMKilled."""
    harness = docker_harness
    sandbox = await new_sandbox(harness)
    limit = 24 << 20
    resources = LinuxContainerResources(
        cpu_period=100000,
        cpu_quota=50000,
        cpu_shares=512,
        memory_limit_in_bytes=limit,
        memory_swap_limit_in_bytes=limit,
    )
    config = msgspec.structs.replace(
        container_config(harness.image, "tail", "/dev/zero"), resources=resources
    )
    container_id = await harness.runtime.create_container(sandbox[0], config, sandbox[1])
    found = await harness.docker.containers.container(container_id).show()
    host = found["HostConfig"]
    shown = {name: host[name] for name in ("CpuPeriod", "CpuQuota", "CpuShares", "Memory", "MemorySwap")}
    assert shown == {
        "CpuPeriod": 100000,
        "CpuQuota": 50000,
        "CpuShares": 512,
        "Memory": limit,
        "MemorySwap": limit,
    }
    await harness.runtime.start_container(container_id)
    status = await wait_exited(harness, container_id, within=30)
    assert (status.exit_code, status.reason, status.resources) == (137, "OOMKilled", resources)


@daemon
async def test_stop_then_remove_leaves_nothing_in_the_daemon(docker_harness: DockerHarness) -> None:
    harness = docker_harness
    sandbox = await new_sandbox(harness)
    container_id = await new_container(harness, sandbox, *LONG_RUNNING)
    await harness.runtime.stop_container(container_id, 5)
    await harness.runtime.stop_pod_sandbox(sandbox[0])
    assert set(await _daemon_containers(harness)) == {sandbox[0], container_id}
    await harness.runtime.remove_pod_sandbox(sandbox[0])
    assert await _daemon_containers(harness) == []
    with pytest.raises(SandboxNotFound):
        await harness.runtime.remove_pod_sandbox(sandbox[0])


@daemon
async def test_logs_keep_stdout_and_stderr_apart(docker_harness: DockerHarness) -> None:
    harness = docker_harness
    sandbox = await new_sandbox(harness)
    container_id = await new_container(harness, sandbox, "sh", "-c", "echo out; echo err >&2; printf tail")
    await wait_exited(harness, container_id)
    lines = [line async for line in harness.runtime.logs(container_id, LogOptions())]
    assert sorted((line.stream, line.text) for line in lines) == [
        ("stderr", "err"),
        ("stdout", "out"),
        ("stdout", "tail"),
    ]
    assert all(line.time > 0 for line in lines)


@daemon
async def test_a_new_runtime_finds_the_state_in_the_daemon(docker_harness: DockerHarness) -> None:
    """All state is in labels: a runtime made afresh (as after a kubelite restart) sees the same pods."""
    harness = docker_harness
    sandbox = await new_sandbox(harness, "again")
    container_id = await new_container(harness, sandbox, *LONG_RUNNING, name="app")
    fresh = DockerRuntime(
        harness.docker, data_dir=harness.runtime.data_dir, sandbox_image=harness.image, name=harness.name
    )
    [info] = await fresh.list_pod_sandbox(PodSandboxFilter(id=sandbox[0]))
    assert info.metadata == sandbox[1].metadata
    [row] = await fresh.list_containers(ContainerFilter(pod_sandbox_id=sandbox[0]))
    assert (row.id, row.metadata.name, row.state, row.image) == (
        container_id,
        "app",
        ContainerState.RUNNING,
        harness.image,
    )


@daemon
async def test_runtimes_sharing_a_daemon_do_not_see_each_other(docker_harness: DockerHarness) -> None:
    harness = docker_harness
    sandbox = await new_sandbox(harness)
    container_id = await new_container(harness, sandbox, "true", start=False)
    other = DockerRuntime(
        harness.docker, data_dir=harness.runtime.data_dir, sandbox_image=harness.image, name="other"
    )
    assert await other.list_pod_sandbox(PodSandboxFilter(id=sandbox[0])) == []
    with pytest.raises(ContainerNotFound):
        await other.remove_container(container_id)
    with pytest.raises(SandboxNotFound):
        await harness.runtime.pod_sandbox_status(container_id)  # a container is not a sandbox
    assert (await harness.runtime.container_status(container_id)).state is ContainerState.CREATED


@daemon
async def test_exec_sync_times_out(docker_harness: DockerHarness) -> None:
    harness = docker_harness
    sandbox = await new_sandbox(harness)
    container_id = await new_container(harness, sandbox, *LONG_RUNNING)
    with pytest.raises(CRIError, match="timed out"):
        await harness.runtime.exec_sync(container_id, ["sleep", "5"], 0.3)


@daemon
async def test_pull_without_a_registry_is_an_image_pull_error(docker_harness: DockerHarness) -> None:
    with anyio.fail_after(30), pytest.raises(ImagePullError, match=r"127\.0\.0\.1:1"):
        await docker_harness.images.pull_image(ImageSpec(image="127.0.0.1:1/missing:1"))


async def test_an_unreachable_daemon_is_runtime_unavailable(tmp_path: Path) -> None:
    async with aiodocker.Docker(url=f"unix://{tmp_path}/absent.sock") as client:
        runtime = DockerRuntime(client, data_dir=tmp_path, sandbox_image="kubelite/busybox:test")
        with pytest.raises(RuntimeUnavailable):
            await runtime.version()


@pytest.mark.parametrize(
    ("state", "reason"),
    [
        (State(status="exited", exit_code=0), "Completed"),
        (State(status="exited", exit_code=143), "Error"),
        (State(status="exited", exit_code=137, oom_killed=True), "OOMKilled"),
        (State(status="running", running=True), ""),
        (State(status="created"), ""),
    ],
    ids=["completed", "error", "oom", "running", "created"],
)
def test_kub4_exit_reason(state: State, reason: str) -> None:
    assert exit_reason(state) == reason


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1970-01-01T00:00:01.5Z", 1.5),
        ("1970-01-01T00:00:02.123456789Z", 2.123456),
        ("1970-01-01T01:00:03+01:00", 3.0),
        ("0001-01-01T00:00:00Z", 0.0),
        ("", 0.0),
    ],
)
def test_daemon_times_are_epoch_seconds(text: str, seconds: float) -> None:
    assert epoch(text) == pytest.approx(seconds)


def test_only_the_resources_that_are_set_reach_the_host_config() -> None:
    config = msgspec.structs.replace(
        container_config("img", "true"), resources=LinuxContainerResources(cpu_period=100000, cpu_shares=2)
    )
    host = container_spec(config, sandbox_id="s", labels={})["HostConfig"]
    assert (host["CpuPeriod"], host["CpuShares"]) == (100000, 2)
    assert not {"CpuQuota", "Memory", "MemorySwap"} & host.keys()
    plain = container_spec(container_config("img", "true"), sandbox_id="s", labels={})["HostConfig"]
    assert not {"CpuPeriod", "CpuQuota", "CpuShares", "Memory", "MemorySwap"} & plain.keys()


def test_log_lines_split_across_messages_are_joined() -> None:
    lines = Lines("stdout")
    assert lines.feed(b"1970-01-01T00:00:01Z first part, ") == []
    [joined] = lines.feed(b"1970-01-01T00:00:02Z second part\n")
    assert (joined.time, joined.text) == (1.0, "first part, second part")
    assert lines.feed(b"1970-01-01T00:00:03Z no newline") == []
    assert [line.text for line in lines.flush()] == ["no newline"]
