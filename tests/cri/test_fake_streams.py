"""Fake-only behaviour of the streams: followed logs, `since_time`, and event subscribers that
each see every change after they subscribe, with exits on the clock arriving on their own."""

from __future__ import annotations

import gc

import anyio
import pytest

from kubelite.cri import ContainerEvent, ContainerEventType, LogOptions
from tests.cri.builders import new_container, new_sandbox
from tests.cri.harness import FakeHarness

pytestmark = pytest.mark.anyio


async def test_follow_yields_each_line_when_written_and_ends_at_exit(fake: FakeHarness) -> None:
    script = "echo a; sleep 10; echo b; sleep 10; echo c"
    container_id = await new_container(fake, await new_sandbox(fake), "sh", "-c", script)
    seen: list[tuple[float, str]] = []
    ended = anyio.Event()

    async def follow() -> None:
        async for line in fake.runtime.logs(container_id, LogOptions(follow=True)):
            seen.append((fake.clock.monotonic(), line.text))
        ended.set()

    async with anyio.create_task_group() as group:
        group.start_soon(follow)
        await fake.elapse(0)
        assert seen == [(0, "a")]
        await fake.elapse(10)
        assert seen == [(0, "a"), (10, "b")]
        await fake.elapse(10)
    assert seen == [(0, "a"), (10, "b"), (20, "c")] and ended.is_set()


async def test_follow_with_tail_and_since(fake: FakeHarness) -> None:
    script = "echo a; sleep 1; echo b; sleep 1; echo c; sleep 1; echo d"
    container_id = await new_container(fake, await new_sandbox(fake), "sh", "-c", script)
    await fake.elapse(2)
    started = (await fake.runtime.container_status(container_id)).started_at
    since = LogOptions(since_time=started + 1)
    assert [line.text async for line in fake.runtime.logs(container_id, since)] == ["b", "c"]
    assert [line.text async for line in fake.runtime.logs(container_id, LogOptions(tail_lines=0))] == []
    async with anyio.create_task_group() as group:
        followed: list[str] = []

        async def follow() -> None:
            options = LogOptions(follow=True, tail_lines=1)
            followed.extend([line.text async for line in fake.runtime.logs(container_id, options)])

        group.start_soon(follow)
        await fake.elapse(0)
        await fake.elapse(1)
    assert followed == ["c", "d"]


async def test_every_subscriber_sees_every_later_event(fake: FakeHarness) -> None:
    sandbox = await new_sandbox(fake)
    early = await new_container(fake, sandbox, "true", name="early")
    streams = [fake.runtime.container_events() for _ in range(2)]
    seen: list[list[ContainerEvent]] = [[], []]

    async def consume(index: int) -> None:
        async for event in streams[index]:
            seen[index].append(event)

    async with anyio.create_task_group() as group:
        for index in range(2):
            group.start_soon(consume, index)
        container_id = await new_container(fake, sandbox, "sleep", "5")
        await fake.elapse(5)  # the exit happens on the clock, with no call into the runtime
        group.cancel_scope.cancel()
    expected = [ContainerEventType.CREATED, ContainerEventType.STARTED, ContainerEventType.STOPPED]
    for events in seen:
        assert [(e.container_id, e.type) for e in events] == [(container_id, t) for t in expected]
        assert events[-1].created_at - events[0].created_at == 5
    assert early not in {e.container_id for events in seen for e in events}


async def test_closed_or_dropped_streams_stop_receiving(fake: FakeHarness) -> None:
    runtime = fake.fake_runtime
    closed = runtime.container_events()
    await closed.aclose()
    with pytest.raises(StopAsyncIteration):
        await closed.__anext__()
    dropped = runtime.container_events()
    del dropped
    gc.collect()
    assert not runtime._engine.hub  # nobody listens: events are not even built
