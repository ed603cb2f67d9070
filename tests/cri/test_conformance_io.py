"""CRI conformance, part 2: logs, exec, lifecycle events and images, on every backend.

Like part 1, written only against `Harness`: busybox commands and second-long durations.
"""

from __future__ import annotations

import anyio
import pytest

from kubelite.cri import (
    ContainerEvent,
    ContainerEventType,
    ContainerState,
    CRIError,
    ImageFilter,
    ImageSpec,
    LogLine,
    LogOptions,
)
from tests.cri.builders import LONG_RUNNING, new_container, new_sandbox, wait_exited
from tests.cri.harness import Harness

pytestmark = pytest.mark.anyio


async def _logs(harness: Harness, container_id: str, options: LogOptions) -> list[LogLine]:
    return [line async for line in harness.runtime.logs(container_id, options)]


async def test_logs_of_echo(harness: Harness) -> None:
    sandbox = await new_sandbox(harness)
    container_id = await new_container(harness, sandbox, "echo", "hello")
    await wait_exited(harness, container_id)
    lines = await _logs(harness, container_id, LogOptions())
    assert [(line.stream, line.text) for line in lines] == [("stdout", "hello")]
    assert lines[0].time > 0


async def test_logs_tail_keeps_the_last_lines(harness: Harness) -> None:
    sandbox = await new_sandbox(harness)
    container_id = await new_container(harness, sandbox, "sh", "-c", "echo a; echo b; echo c")
    await wait_exited(harness, container_id)
    assert [line.text for line in await _logs(harness, container_id, LogOptions(tail_lines=2))] == ["b", "c"]
    assert [line.text for line in await _logs(harness, container_id, LogOptions())] == ["a", "b", "c"]


async def test_follow_logs_until_the_container_exits(harness: Harness) -> None:
    sandbox = await new_sandbox(harness)
    container_id = await new_container(harness, sandbox, "sh", "-c", "echo a; sleep 1; echo b")
    seen: list[str] = []
    ended = anyio.Event()

    async def follow() -> None:
        async for line in harness.runtime.logs(container_id, LogOptions(follow=True)):
            seen.append(line.text)
        ended.set()

    async def done() -> bool:
        return ended.is_set()

    async with anyio.create_task_group() as group:
        group.start_soon(follow)
        await harness.eventually(done)
    assert seen == ["a", "b"]


@pytest.mark.parametrize(
    ("cmd", "exit_code", "stdout"),
    [
        (["true"], 0, b""),
        (["false"], 1, b""),
        (["echo", "hi"], 0, b"hi\n"),
        (["sh", "-c", "echo one; exit 3"], 3, b"one\n"),
    ],
    ids=["true", "false", "echo", "sh-exit-3"],
)
async def test_exec_sync(harness: Harness, cmd: list[str], exit_code: int, stdout: bytes) -> None:
    sandbox = await new_sandbox(harness)
    container_id = await new_container(harness, sandbox, *LONG_RUNNING)
    result = await harness.runtime.exec_sync(container_id, cmd, 5)
    assert (result.exit_code, result.stdout) == (exit_code, stdout)
    await harness.runtime.remove_pod_sandbox(sandbox[0])


async def test_exec_sync_sees_files_the_container_wrote(harness: Harness) -> None:
    """The liveness-probe idiom: the container touches a file, the probe cats it."""
    sandbox = await new_sandbox(harness)
    script = "echo ok > /tmp/healthy; trap 'exit 143' TERM; while true; do sleep 1; done"
    container_id = await new_container(harness, sandbox, "sh", "-c", script)

    async def healthy() -> bool:
        return (await harness.runtime.exec_sync(container_id, ["cat", "/tmp/healthy"], 5)).exit_code == 0

    await harness.eventually(healthy)
    result = await harness.runtime.exec_sync(container_id, ["cat", "/tmp/healthy"], 5)
    assert result.stdout == b"ok\n"
    missing = await harness.runtime.exec_sync(container_id, ["cat", "/tmp/absent"], 5)
    assert missing.exit_code == 1
    await harness.runtime.remove_pod_sandbox(sandbox[0])


async def test_exec_in_an_exited_container_fails(harness: Harness) -> None:
    sandbox = await new_sandbox(harness)
    container_id = await new_container(harness, sandbox, "true")
    await wait_exited(harness, container_id)
    with pytest.raises(CRIError):
        await harness.runtime.exec_sync(container_id, ["true"], 5)


async def test_container_events_report_the_lifecycle(harness: Harness) -> None:
    sandbox = await new_sandbox(harness)
    seen: list[ContainerEvent] = []
    stream = harness.runtime.container_events()

    async def consume() -> None:
        async for event in stream:
            seen.append(event)

    async with anyio.create_task_group() as group:
        group.start_soon(consume)
        await harness.elapse(0.2)  # a backend may subscribe on the first iteration
        container_id = await new_container(harness, sandbox, "true")
        await wait_exited(harness, container_id)
        await harness.runtime.remove_container(container_id)

        async def all_seen() -> bool:
            return ContainerEventType.DELETED in _types(seen, container_id)

        await harness.eventually(all_seen)
        group.cancel_scope.cancel()
    assert _types(seen, container_id) == [
        ContainerEventType.CREATED,
        ContainerEventType.STARTED,
        ContainerEventType.STOPPED,
        ContainerEventType.DELETED,
    ]
    assert all(event.pod_sandbox_id == sandbox[0] for event in seen if event.container_id == container_id)


def _types(events: list[ContainerEvent], container_id: str) -> list[ContainerEventType]:
    return [event.type for event in events if event.container_id == container_id]


async def test_image_status_and_list(harness: Harness) -> None:
    info = await harness.images.image_status(ImageSpec(image=harness.image))
    assert info is not None and info.id
    assert info.id in {image.id for image in await harness.images.list_images()}
    assert [image.id for image in await harness.images.list_images(ImageFilter(image=harness.image))] == [
        info.id
    ]
    assert await harness.images.image_status(ImageSpec(image=info.id)) == info


async def test_missing_image_has_no_status_and_removing_it_is_a_no_op(harness: Harness) -> None:
    missing = ImageSpec(image="kubelite.invalid/missing:1")
    assert await harness.images.image_status(missing) is None
    assert await harness.images.list_images(ImageFilter(image=missing.image)) == []
    await harness.images.remove_image(missing)  # idempotent, as the CRI's RemoveImage


async def test_container_reports_the_image_it_runs(harness: Harness) -> None:
    sandbox = await new_sandbox(harness)
    container_id = await new_container(harness, sandbox, "true", start=False)
    status = await harness.runtime.container_status(container_id)
    info = await harness.images.image_status(ImageSpec(image=harness.image))
    assert info is not None
    assert (status.image, status.image_ref, status.state) == (harness.image, info.id, ContainerState.CREATED)
