"""CRI conformance, part 1: version, sandboxes and the container lifecycle, on every backend.

Written only against `Harness`, so the same tests run on the fake runtime and on Docker: busybox
commands, durations of a second or two, and only what both backends can do. Behaviour numbers:
KUB-4 (exit codes 143/137, reasons), KUB-14 (pod IPs). A container's status reports the resources
(cgroup settings) it was created with.
"""

from __future__ import annotations

import anyio
import msgspec
import pytest

from kubelite.cri import (
    ContainerFilter,
    ContainerNotFound,
    ContainerState,
    CRIError,
    ImageNotFound,
    LinuxContainerResources,
    PodSandboxFilter,
    PodSandboxState,
    SandboxNotFound,
)
from tests.cri.builders import (
    LONG_RUNNING,
    RUN_LABEL,
    container_config,
    new_container,
    new_sandbox,
    run_id,
    sandbox_config,
    wait_exited,
    wait_output,
)
from tests.cri.harness import Harness

pytestmark = pytest.mark.anyio


async def test_version_names_the_runtime(harness: Harness) -> None:
    version = await harness.runtime.version()
    assert version.runtime_name and version.runtime_version
    assert version.runtime_api_version == "v1"


async def test_sandbox_runs_ready_with_its_metadata(harness: Harness) -> None:
    config = sandbox_config("web", labels={"app": "web"}, annotations={"note": "x"})
    sandbox_id = await harness.runtime.run_pod_sandbox(config)
    status = await harness.runtime.pod_sandbox_status(sandbox_id)
    assert (status.id, status.state, status.metadata) == (sandbox_id, PodSandboxState.READY, config.metadata)
    assert status.labels["app"] == "web" and status.annotations["note"] == "x"
    assert status.created_at > 0 and not status.host_network


async def test_kub14_host_network_sandbox_has_no_pod_ip(harness: Harness) -> None:
    sandbox_id, _ = await new_sandbox(harness, host_network=True)
    status = await harness.runtime.pod_sandbox_status(sandbox_id)
    assert status.host_network and status.ip == ""


async def test_list_sandboxes_filters_by_label_id_and_state(harness: Harness) -> None:
    run = run_id()
    first, _ = await new_sandbox(harness, "a", run=run, labels={"tier": "front"})
    second, _ = await new_sandbox(harness, "b", run=run, labels={"tier": "back"})
    await harness.runtime.stop_pod_sandbox(second)
    mine = PodSandboxFilter(label_selector={RUN_LABEL: run})
    assert {s.id for s in await harness.runtime.list_pod_sandbox(mine)} == {first, second}
    by_label = PodSandboxFilter(label_selector={RUN_LABEL: run, "tier": "back"})
    assert [s.id for s in await harness.runtime.list_pod_sandbox(by_label)] == [second]
    ready = PodSandboxFilter(state=PodSandboxState.READY, label_selector={RUN_LABEL: run})
    assert [s.id for s in await harness.runtime.list_pod_sandbox(ready)] == [first]
    by_id = await harness.runtime.list_pod_sandbox(PodSandboxFilter(id=first))
    assert [(s.id, s.metadata.name, s.state) for s in by_id] == [(first, "a", PodSandboxState.READY)]


async def test_stop_sandbox_is_idempotent_and_remove_forgets_it(harness: Harness) -> None:
    sandbox_id, _ = await new_sandbox(harness)
    await harness.runtime.stop_pod_sandbox(sandbox_id)
    await harness.runtime.stop_pod_sandbox(sandbox_id)
    assert (await harness.runtime.pod_sandbox_status(sandbox_id)).state is PodSandboxState.NOTREADY
    await harness.runtime.remove_pod_sandbox(sandbox_id)
    assert await harness.runtime.list_pod_sandbox(PodSandboxFilter(id=sandbox_id)) == []
    with pytest.raises(CRIError):
        await harness.runtime.pod_sandbox_status(sandbox_id)


@pytest.mark.parametrize("operation", ["status", "stop", "remove"], ids=["status", "stop", "remove"])
async def test_unknown_sandbox_id_is_not_found(harness: Harness, operation: str) -> None:
    unknown = "0" * 64
    call = {
        "status": harness.runtime.pod_sandbox_status,
        "stop": harness.runtime.stop_pod_sandbox,
        "remove": harness.runtime.remove_pod_sandbox,
    }[operation]
    with pytest.raises(SandboxNotFound):
        await call(unknown)


async def test_container_is_created_then_running_with_its_labels(harness: Harness) -> None:
    sandbox = await new_sandbox(harness)
    config = container_config(harness.image, *LONG_RUNNING, labels={"c": "1"}, annotations={"a": "2"})
    container_id = await harness.runtime.create_container(sandbox[0], config, sandbox[1])
    created = await harness.runtime.container_status(container_id)
    assert (created.state, created.pod_sandbox_id, created.metadata) == (
        ContainerState.CREATED,
        sandbox[0],
        config.metadata,
    )
    assert created.labels["c"] == "1" and created.annotations["a"] == "2"
    assert created.image_ref and created.created_at > 0
    await harness.runtime.start_container(container_id)
    running = await harness.runtime.container_status(container_id)
    assert running.state is ContainerState.RUNNING and running.started_at >= running.created_at
    await harness.runtime.remove_pod_sandbox(sandbox[0])


async def test_list_containers_filters_by_sandbox_state_label_and_id(harness: Harness) -> None:
    sandbox = await new_sandbox(harness)
    other = await new_sandbox(harness)
    running = await new_container(harness, sandbox, *LONG_RUNNING, name="run", labels={"role": "x"})
    created = await new_container(harness, sandbox, "true", name="idle", start=False)
    await new_container(harness, other, "true", start=False)
    in_sandbox = await harness.runtime.list_containers(ContainerFilter(pod_sandbox_id=sandbox[0]))
    assert {c.id for c in in_sandbox} == {running, created}
    only_running = ContainerFilter(pod_sandbox_id=sandbox[0], state=ContainerState.RUNNING)
    assert [c.id for c in await harness.runtime.list_containers(only_running)] == [running]
    by_label = ContainerFilter(pod_sandbox_id=sandbox[0], label_selector={"role": "x"})
    assert [c.id for c in await harness.runtime.list_containers(by_label)] == [running]
    by_id = await harness.runtime.list_containers(ContainerFilter(id=created))
    assert [(c.id, c.metadata.name, c.state) for c in by_id] == [(created, "idle", ContainerState.CREATED)]
    for sandbox_id in (sandbox[0], other[0]):
        await harness.runtime.remove_pod_sandbox(sandbox_id)


@pytest.mark.parametrize(
    ("command", "exit_code", "reason"),
    [(("true",), 0, "Completed"), (("false",), 1, "Error"), (("sh", "-c", "exit 3"), 3, "Error")],
    ids=["true", "false", "sh-exit-3"],
)
async def test_kub4_exit_code_and_reason(
    harness: Harness, command: tuple[str, ...], exit_code: int, reason: str
) -> None:
    sandbox = await new_sandbox(harness)
    container_id = await new_container(harness, sandbox, *command)
    status = await wait_exited(harness, container_id)
    assert (status.exit_code, status.reason) == (exit_code, reason)
    assert status.finished_at >= status.started_at > 0


async def test_sleep_1_exits_0_after_about_a_second(harness: Harness) -> None:
    sandbox = await new_sandbox(harness)
    container_id = await new_container(harness, sandbox, "sleep", "1")
    assert (await harness.runtime.container_status(container_id)).state is ContainerState.RUNNING
    status = await wait_exited(harness, container_id)
    assert (status.exit_code, status.reason) == (0, "Completed")
    assert 0.5 <= status.finished_at - status.started_at <= 5


async def test_kub4_stop_sends_sigterm(harness: Harness) -> None:
    sandbox = await new_sandbox(harness)
    container_id = await new_container(harness, sandbox, *LONG_RUNNING)  # returns once trapped
    await harness.runtime.stop_container(container_id, 10)
    status = await harness.runtime.container_status(container_id)
    assert (status.state, status.exit_code, status.reason) == (ContainerState.EXITED, 143, "Error")
    await harness.runtime.stop_container(container_id, 10)  # idempotent
    assert (await harness.runtime.container_status(container_id)).exit_code == 143


async def test_kub4_stop_ends_a_plain_sleep(harness: Harness) -> None:
    """143 where SIGTERM reaches `sleep`, 137 where it runs as PID 1 without init and ignores it.
    On Docker a stop that lands before runc has exec'd `sleep` meets runc's own init process, which
    as PID 1 cannot die of the signal and exits 2 (Go's fallback): the daemon reports that."""
    sandbox = await new_sandbox(harness)
    container_id = await new_container(harness, sandbox, "sleep", "600")
    async with anyio.create_task_group() as group:
        group.start_soon(harness.runtime.stop_container, container_id, 2)
        status = await wait_exited(harness, container_id)
    assert status.exit_code in (143, 137, 2)


async def test_kub4_process_ignoring_sigterm_is_killed_when_grace_runs_out(harness: Harness) -> None:
    sandbox = await new_sandbox(harness)
    container_id = await new_container(harness, sandbox, "sh", "-c", "trap '' TERM; echo trapped; sleep 600")
    await wait_output(harness, container_id, "trapped")  # a stop before the trap would meet runc's init
    async with anyio.create_task_group() as group:
        group.start_soon(harness.runtime.stop_container, container_id, 5)
        await harness.elapse(0)  # let the stop begin
        await harness.elapse(1)  # well inside the 5 s grace, even on a loaded machine
        assert (await harness.runtime.container_status(container_id)).state is ContainerState.RUNNING
        status = await wait_exited(harness, container_id)
    assert (status.exit_code, status.reason) == (137, "Error")


async def test_remove_container_and_unknown_ids(harness: Harness) -> None:
    sandbox = await new_sandbox(harness)
    container_id = await new_container(harness, sandbox, "true")
    await wait_exited(harness, container_id)
    await harness.runtime.remove_container(container_id)
    assert await harness.runtime.list_containers(ContainerFilter(id=container_id)) == []
    for call in (harness.runtime.container_status, harness.runtime.remove_container):
        with pytest.raises(ContainerNotFound):
            await call(container_id)
    with pytest.raises(ContainerNotFound):
        await harness.runtime.start_container(container_id)


async def test_stopping_the_sandbox_stops_its_containers(harness: Harness) -> None:
    sandbox = await new_sandbox(harness)
    container_id = await new_container(harness, sandbox, *LONG_RUNNING)
    await harness.runtime.stop_pod_sandbox(sandbox[0])
    status = await wait_exited(harness, container_id)
    assert status.exit_code != 0
    assert (await harness.runtime.pod_sandbox_status(sandbox[0])).state is PodSandboxState.NOTREADY


async def test_removing_the_sandbox_removes_its_containers(harness: Harness) -> None:
    sandbox = await new_sandbox(harness)
    container_id = await new_container(harness, sandbox, *LONG_RUNNING)
    await harness.runtime.remove_pod_sandbox(sandbox[0])
    with pytest.raises(ContainerNotFound):
        await harness.runtime.container_status(container_id)


async def test_create_with_a_missing_image_is_image_not_found(harness: Harness) -> None:
    sandbox = await new_sandbox(harness)
    config = container_config("kubelite.invalid/missing:1", "true")
    with pytest.raises(ImageNotFound):
        await harness.runtime.create_container(sandbox[0], config, sandbox[1])
    assert await harness.runtime.list_containers(ContainerFilter(pod_sandbox_id=sandbox[0])) == []


async def test_container_reports_the_resources_it_was_created_with(harness: Harness) -> None:
    sandbox = await new_sandbox(harness)
    resources = LinuxContainerResources(
        cpu_period=100000,
        cpu_quota=50000,
        cpu_shares=512,
        memory_limit_in_bytes=64 << 20,
        memory_swap_limit_in_bytes=64 << 20,
    )
    config = msgspec.structs.replace(container_config(harness.image, *LONG_RUNNING), resources=resources)
    container_id = await harness.runtime.create_container(sandbox[0], config, sandbox[1])
    await harness.runtime.start_container(container_id)
    assert (await harness.runtime.container_status(container_id)).resources == resources
    plain = await new_container(harness, sandbox, "true", name="plain", start=False)
    assert (await harness.runtime.container_status(plain)).resources is None
    await harness.runtime.remove_pod_sandbox(sandbox[0])
