"""Fake-only behaviour of `FakeRuntime`: exact timing on the FakeClock, SIGTERM scripting, crashes,
error injection, scripted exec, state-transition errors and the optional timer loop (KUB-4)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import anyio
import pytest

from kubelite.cri import (
    ContainerFilter,
    ContainerNotFound,
    ContainerState,
    ContainerStatus,
    CRIError,
    ExecResult,
    InvalidConfig,
    LogOptions,
    PodSandboxFilter,
    PodSandboxState,
    RuntimeUnavailable,
)
from kubelite.cri.fake import FakeRuntime
from tests.cri.builders import container_config, new_container, new_sandbox, sandbox_config
from tests.cri.harness import FakeHarness

pytestmark = pytest.mark.anyio


async def _state(fake: FakeHarness, container_id: str) -> ContainerStatus:
    return await fake.runtime.container_status(container_id)


async def test_kub4_plain_sleep_dies_of_sigterm_at_once(fake: FakeHarness) -> None:
    container_id = await new_container(fake, await new_sandbox(fake), "sleep", "600")
    await fake.elapse(3)
    await fake.runtime.stop_container(container_id, 30)
    status = await _state(fake, container_id)
    assert (status.exit_code, status.reason, status.finished_at - status.started_at) == (143, "Error", 3)


@pytest.mark.parametrize(
    ("command", "script_ignores"),
    [(("sleep", "600"), False), (("sh", "-c", "trap '' TERM; sleep 600"), True)],
    ids=["ignore_sigterm-hook", "trap-in-script"],
)
async def test_kub4_ignored_sigterm_is_killed_after_exactly_the_grace_period(
    fake: FakeHarness, command: tuple[str, ...], script_ignores: bool
) -> None:
    if not script_ignores:
        fake.fake_runtime.ignore_sigterm("main")
    container_id = await new_container(fake, await new_sandbox(fake), *command)
    async with anyio.create_task_group() as group:
        group.start_soon(fake.runtime.stop_container, container_id, 30)
        await fake.elapse(0)
        await fake.elapse(29.9)
        assert (await _state(fake, container_id)).state is ContainerState.RUNNING
        await fake.elapse(0.1)
    status = await _state(fake, container_id)  # the stop call has returned: the group is done
    assert (status.exit_code, status.reason, status.finished_at - status.started_at) == (137, "Error", 30)


async def test_a_sleep_that_ends_within_the_grace_period_exits_normally(fake: FakeHarness) -> None:
    script = "trap '' TERM; sleep 5; exit 7"
    container_id = await new_container(fake, await new_sandbox(fake), "sh", "-c", script)
    async with anyio.create_task_group() as group:
        group.start_soon(fake.runtime.stop_container, container_id, 30)
        await fake.elapse(0)
        await fake.elapse(5)
    status = await _state(fake, container_id)
    assert (status.exit_code, status.finished_at - status.started_at) == (7, 5)


async def test_trap_action_runs_on_sigterm(fake: FakeHarness) -> None:
    script = "trap 'echo bye; exit 0' TERM; sleep 600"
    container_id = await new_container(fake, await new_sandbox(fake), "sh", "-c", script)
    await fake.runtime.stop_container(container_id, 30)
    status = await _state(fake, container_id)
    assert (status.exit_code, status.reason) == (0, "Completed")
    assert [line.text async for line in fake.fake_runtime.logs(container_id, LogOptions())] == ["bye"]


async def test_zero_grace_kills_at_once(fake: FakeHarness) -> None:
    fake.fake_runtime.ignore_sigterm("main")
    container_id = await new_container(fake, await new_sandbox(fake), "sleep", "600")
    await fake.runtime.stop_container(container_id, 0)
    assert (await _state(fake, container_id)).exit_code == 137


@pytest.mark.parametrize(
    ("exit_code", "reason"), [(1, "Error"), (137, "OOMKilled")], ids=["crash", "oom-killed"]
)
async def test_kub4_crash_ends_a_running_container_now(
    fake: FakeHarness, exit_code: int, reason: str
) -> None:
    container_id = await new_container(fake, await new_sandbox(fake), "sleep", "600")
    await fake.elapse(4)
    fake.fake_runtime.crash(container_id, exit_code, reason)
    status = await _state(fake, container_id)
    assert (status.state, status.exit_code, status.reason) == (ContainerState.EXITED, exit_code, reason)
    assert status.finished_at - status.started_at == 4
    with pytest.raises(InvalidConfig):
        fake.fake_runtime.crash(container_id)


def _injections(fake: FakeHarness, ids: dict[str, str]) -> dict[str, Callable[[], Awaitable[object]]]:
    runtime = fake.runtime
    sandbox = sandbox_config("other")
    return {
        "run_pod_sandbox": lambda: runtime.run_pod_sandbox(sandbox),
        "stop_pod_sandbox": lambda: runtime.stop_pod_sandbox(ids["sandbox"]),
        "remove_pod_sandbox": lambda: runtime.remove_pod_sandbox(ids["sandbox"]),
        "create_container": lambda: runtime.create_container(
            ids["sandbox"], container_config(fake.image, "true", name="new"), sandbox
        ),
        "start_container": lambda: runtime.start_container(ids["created"]),
        "stop_container": lambda: runtime.stop_container(ids["running"], 10),
        "remove_container": lambda: runtime.remove_container(ids["running"]),
    }


async def _snapshot(fake: FakeHarness) -> tuple[object, ...]:
    sandboxes = await fake.runtime.list_pod_sandbox()
    containers = await fake.runtime.list_containers()
    return (
        sorted((s.id, s.state.value) for s in sandboxes),
        sorted((c.id, c.state.value) for c in containers),
        len(fake.network),
    )


@pytest.mark.parametrize(
    "method",
    [
        "run_pod_sandbox",
        "stop_pod_sandbox",
        "remove_pod_sandbox",
        "create_container",
        "start_container",
        "stop_container",
        "remove_container",
    ],
)
async def test_injected_error_is_raised_and_leaves_state_unchanged(fake: FakeHarness, method: str) -> None:
    sandbox = await new_sandbox(fake)
    ids = {
        "sandbox": sandbox[0],
        "created": await new_container(fake, sandbox, "true", name="idle", start=False),
        "running": await new_container(fake, sandbox, "sleep", "600", name="busy"),
    }
    before = await _snapshot(fake)
    fake.fake_runtime.fail_next(method, RuntimeUnavailable("daemon down"), times=2)
    call = _injections(fake, ids)[method]
    for _ in range(2):
        with pytest.raises(RuntimeUnavailable):
            await call()
    assert await _snapshot(fake) == before
    await call()  # the third call goes through
    assert await _snapshot(fake) != before


async def test_fail_next_rejects_unknown_methods(fake: FakeHarness) -> None:
    with pytest.raises(ValueError, match="not a method"):
        fake.fake_runtime.fail_next("run_sandbox", CRIError("x"))


async def test_injected_error_on_events_and_logs(fake: FakeHarness) -> None:
    container_id = await new_container(fake, await new_sandbox(fake), "echo", "hi")
    fake.fake_runtime.fail_next("container_events", CRIError("no stream"))
    with pytest.raises(CRIError, match="no stream"):
        fake.runtime.container_events()
    fake.fake_runtime.fail_next("logs", CRIError("no logs"))
    with pytest.raises(CRIError, match="no logs"):
        [line async for line in fake.runtime.logs(container_id, LogOptions())]


async def test_exec_handler_answers_probes_and_falls_back_to_the_interpreter(fake: FakeHarness) -> None:
    asked: list[tuple[str, list[str]]] = []

    def handler(status: ContainerStatus, cmd: list[str]) -> ExecResult | None:
        asked.append((status.metadata.name, cmd))
        return ExecResult(exit_code=1, stderr=b"not ready") if cmd[0] == "check-ready" else None

    fake.fake_runtime.set_exec_handler(handler)
    container_id = await new_container(fake, await new_sandbox(fake), "sleep", "600")
    assert (await fake.runtime.exec_sync(container_id, ["check-ready"], 1)).stderr == b"not ready"
    assert (await fake.runtime.exec_sync(container_id, ["false"], 1)).exit_code == 1
    assert asked == [("main", ["check-ready"]), ("main", ["false"])]


async def test_exec_sleeps_on_the_clock_and_times_out(fake: FakeHarness) -> None:
    container_id = await new_container(fake, await new_sandbox(fake), "sleep", "600")
    outcomes: list[object] = []

    async def probe(cmd: list[str]) -> None:
        try:
            outcomes.append((await fake.runtime.exec_sync(container_id, cmd, 2)).exit_code)
        except CRIError as error:
            outcomes.append(type(error))

    async with anyio.create_task_group() as group:
        group.start_soon(probe, ["sh", "-c", "sleep 1; exit 4"])
        group.start_soon(probe, ["sleep", "5"])
        await fake.elapse(0)
        await fake.elapse(0.9)
        assert outcomes == []
        await fake.elapse(0.1)
        assert outcomes == [4]
        await fake.elapse(1)
    assert outcomes == [4, CRIError]


async def test_unknown_exec_commands_succeed_and_empty_ones_are_invalid(fake: FakeHarness) -> None:
    container_id = await new_container(fake, await new_sandbox(fake), "sleep", "600")
    assert (await fake.runtime.exec_sync(container_id, ["wget", "-q", "http://127.0.0.1"], 1)).exit_code == 0
    with pytest.raises(InvalidConfig):
        await fake.runtime.exec_sync(container_id, [], 1)


async def test_state_transition_errors(fake: FakeHarness) -> None:
    sandbox = await new_sandbox(fake)
    container_id = await new_container(fake, sandbox, "sleep", "600")
    with pytest.raises(InvalidConfig):
        await fake.runtime.start_container(container_id)  # already running
    with pytest.raises(InvalidConfig):  # the name and attempt are taken in this sandbox
        await fake.runtime.create_container(sandbox[0], container_config(fake.image, "true"), sandbox[1])
    await fake.runtime.create_container(
        sandbox[0], container_config(fake.image, "true", attempt=1), sandbox[1]
    )
    await fake.runtime.stop_pod_sandbox(sandbox[0])
    with pytest.raises(InvalidConfig):
        await fake.runtime.create_container(
            sandbox[0], container_config(fake.image, "true", name="x"), sandbox[1]
        )
    with pytest.raises(ContainerNotFound):
        await fake.runtime.stop_container("f" * 64, 1)


async def test_stop_of_a_created_container_leaves_it_created(fake: FakeHarness) -> None:
    container_id = await new_container(fake, await new_sandbox(fake), "true", start=False)
    await fake.runtime.stop_container(container_id, 10)
    assert (await _state(fake, container_id)).state is ContainerState.CREATED


async def test_kub14_stopping_a_sandbox_kills_its_containers_and_releases_its_ip(fake: FakeHarness) -> None:
    sandbox = await new_sandbox(fake)
    ip = (await fake.runtime.pod_sandbox_status(sandbox[0])).ip
    assert fake.network.address_of(sandbox[0]) == ip != ""
    running = await new_container(fake, sandbox, "sleep", "600")
    await fake.runtime.stop_pod_sandbox(sandbox[0])
    assert (await _state(fake, running)).exit_code == 137
    status = await fake.runtime.pod_sandbox_status(sandbox[0])
    assert (status.state, status.ip, len(fake.network)) == (PodSandboxState.NOTREADY, "", 0)


async def test_removing_a_running_container_kills_it_first(fake: FakeHarness) -> None:
    sandbox = await new_sandbox(fake)
    container_id = await new_container(fake, sandbox, "sleep", "600")
    await fake.runtime.remove_container(container_id)
    assert await fake.runtime.list_containers(ContainerFilter(pod_sandbox_id=sandbox[0])) == []
    assert [s.id for s in await fake.runtime.list_pod_sandbox(PodSandboxFilter(id=sandbox[0]))] == [
        sandbox[0]
    ]


async def test_optional_timer_loop_keeps_a_sleeper_at_each_deadline() -> None:
    """With `run()` started, `FakeClock.run_until` jumps straight to a container's exit."""
    fake = FakeHarness()
    runtime: FakeRuntime = fake.fake_runtime
    container_id = await new_container(fake, await new_sandbox(fake), "sh", "-c", "sleep 40; sleep 2")

    def exited() -> bool:
        return runtime.status_now(container_id).state is ContainerState.EXITED

    with pytest.raises(TimeoutError):  # without it nothing sleeps on the clock at the deadline
        await fake.clock.run_until(exited)
    async with anyio.create_task_group() as group:
        await group.start(runtime.run)
        with pytest.raises(RuntimeError, match="already running"):
            await runtime.run()
        await fake.clock.run_until(exited)
        group.cancel_scope.cancel()
    status = await _state(fake, container_id)
    assert (status.exit_code, status.finished_at - status.started_at, fake.clock.monotonic()) == (0, 42, 42)


async def test_a_slow_call_takes_effect_at_once_and_answers_after_its_latency(fake: FakeHarness) -> None:
    """`set_latency`: the runtime changes when called; the caller hears back `seconds` later, so a
    caller cancelled meanwhile has changed the runtime without learning the result."""
    runtime = fake.fake_runtime
    runtime.set_latency("run_pod_sandbox", 20)
    answered: list[str] = []
    async with anyio.create_task_group() as group:

        async def call() -> None:
            answered.append(await runtime.run_pod_sandbox(sandbox_config("slow")))

        group.start_soon(call)
        await anyio.wait_all_tasks_blocked()
        made = await runtime.list_pod_sandbox()
        assert [info.state for info in made] == [PodSandboxState.READY] and answered == []
        await fake.elapse(19.9)
        await anyio.wait_all_tasks_blocked()
        assert answered == []
        await fake.elapse(0.1)
    assert answered == [made[0].id]
    runtime.set_latency("run_pod_sandbox", 0)
    assert await new_sandbox(fake, "quick")  # 0 restores answering at once


@pytest.mark.parametrize(("method", "seconds"), [("list_containers", 1), ("run_pod_sandbox", -1)])
async def test_set_latency_rejects_other_methods_and_negative_times(
    fake: FakeHarness, method: str, seconds: float
) -> None:
    with pytest.raises(ValueError):
        fake.fake_runtime.set_latency(method, seconds)
