"""KUB-12 for a pod deleted while its worker is still starting it, at each point of the start
sequence: right after its first status (ContainerCreating), during sandbox creation, an image
pull, an init container, between two container creates, a container start, a postStart hook, and
an image pull back-off; and when the DELETE's watch event reaches the kubelet before the answer to
its own status write (the answer, without deletionTimestamp, must not undo the deletion).

Whatever the worker was doing, the DELETE (default grace: `deletionTimestamp = now + 30`,
`deletionGracePeriodSeconds = 30`) ends the start-up: every running container gets a `Killing`
event "Stopping container <name>" and SIGTERM (exit 143), or its preStop hook first and SIGKILL
(137) when the grace runs out (at least 2 s after SIGTERM); the terminal status is written (Failed:
not every container exited 0) while the object still carries its deletionTimestamp, then the
kubelet's DELETE with grace 0 removes it. Nothing is started after the DELETE and no container or
sandbox is left in the runtime.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from kubelite.api.core import Container, ExecAction, Lifecycle, LifecycleHandler, Pod
from kubelite.clock import parse_rfc3339
from kubelite.cri import ContainerState
from tests.kubelet.harness import IMAGE, Cluster, cluster, make_pod

pytestmark = pytest.mark.anyio

SLOW = "busybox:slow"


def _sleeper(name: str = "main", image: str = IMAGE, **fields: object) -> Container:
    return Container(name=name, image=image, command=["sleep", "3600"], **fields)  # type: ignore[arg-type]


def _has_statuses(c: Cluster) -> bool:
    pod = c.pod()
    return pod is not None and bool(pod.status.container_statuses)


def _waiting(c: Cluster, reason: str) -> bool:
    pod = c.pod()
    if pod is None or not pod.status.container_statuses:
        return False
    waiting = pod.status.container_statuses[0].state.waiting
    return waiting is not None and waiting.reason == reason


@dataclass(frozen=True)
class Point:
    """Where in the start sequence the DELETE lands."""

    containers: list[Container]
    reached: Callable[[Cluster], bool]
    running: set[str]
    """The containers that run when the DELETE lands (checked: the point is really reached)."""
    init: list[Container] = field(default_factory=list)
    setup: Callable[[Cluster], None] = lambda c: None
    settle: float = 0.0
    """Virtual seconds to let pass once `reached` holds, before the DELETE."""


def _slow(method: str) -> Callable[[Cluster], None]:
    return lambda c: c.runtime.set_latency(method, 20)


def _slow_pull(c: Cluster) -> None:
    c.images.set_pull(SLOW, latency=120)


def _failing_pull(c: Cluster) -> None:
    c.images.set_pull(SLOW, error="registry unreachable")


HOOK = Lifecycle(post_start=LifecycleHandler(exec=ExecAction(command=["sleep", "100"])))

POINTS = {
    "first-status": Point([_sleeper()], _has_statuses, {"main"}),
    "sandbox-creation": Point([_sleeper()], _has_statuses, set(), setup=_slow("run_pod_sandbox"), settle=5),
    "image-pull": Point([_sleeper(image=SLOW)], lambda c: bool(c.events("Pulling")), set(), setup=_slow_pull),
    "init-container": Point(
        [_sleeper()], lambda c: bool(c.events("Started")), {"init"}, init=[_sleeper("init")]
    ),
    "between-creates": Point(
        [_sleeper("a"), _sleeper("b")],
        lambda c: bool(c.events("Started")),
        {"a"},  # b is created, but its create call is not answered yet
        setup=_slow("create_container"),
        settle=5,
    ),
    "container-start": Point(
        [_sleeper()], lambda c: bool(c.events("Created")), {"main"}, setup=_slow("start_container")
    ),
    "post-start-hook": Point([_sleeper(lifecycle=HOOK)], lambda c: bool(c.events("Started")), {"main"}),
    "image-pull-back-off": Point(
        [_sleeper(image=SLOW)], lambda c: _waiting(c, "ImagePullBackOff"), set(), setup=_failing_pull
    ),
}


async def _running(c: Cluster) -> set[str]:
    found = set()
    for info in await c.runtime.list_containers():
        if (await c.runtime.container_status(info.id)).state is ContainerState.RUNNING:
            found.add(info.metadata.name)
    return found


async def _start_and_delete(c: Cluster, point: Point) -> tuple[float, set[str]]:
    """Create the pod, DELETE it once `point` is reached; (clock at the DELETE, what ran then)."""
    point.setup(c)
    await c.client.create(make_pod(containers=point.containers, init_containers=point.init))
    await c.until(lambda: point.reached(c))
    await c.run_for(point.settle)
    running = await _running(c)
    assert running == point.running
    deleted_at = c.clock.monotonic()
    await c.client.delete(Pod, "web", "default")
    return deleted_at, running


def _assert_marked(history: list[Pod], wall: float) -> None:
    marked = [pod for pod in history if pod.metadata.deletion_timestamp is not None]
    assert marked, "the pod was never seen with a deletionTimestamp"
    meta = marked[0].metadata
    assert meta.deletion_grace_period_seconds == 30
    assert meta.deletion_timestamp is not None
    assert parse_rfc3339(meta.deletion_timestamp) == pytest.approx(wall + 30, abs=1)


def _assert_final_status(last: Pod, running: set[str], exit_code: int) -> None:
    """The terminal status written before the object went: what ran was stopped with `exit_code`."""
    assert last.metadata.deletion_timestamp is not None and last.status.phase == "Failed"
    statuses = [*last.status.init_container_statuses, *last.status.container_statuses]
    for status in statuses:
        assert status.state.running is None, status
        if status.name in running:
            assert status.state.terminated is not None and status.state.terminated.exit_code == exit_code


async def _assert_cleaned(c: Cluster, running: set[str], started: int) -> None:
    await c.until(lambda: len(c.events("Killing")) >= len(running))
    killing = sorted(e.message for e in c.events("Killing"))
    assert killing == sorted(f"Stopping container {name}" for name in running)
    assert len(c.events("Started")) == started, "a container was started after the DELETE"
    await c.run_for(5)  # the kubelet's housekeeping (every 2 s) removes what the pod had
    assert await c.runtime.list_containers() == []
    assert await c.runtime.list_pod_sandbox() == []


@pytest.mark.parametrize("point", list(POINTS.values()), ids=list(POINTS))
async def test_kub12_a_pod_deleted_while_starting_is_stopped_reported_and_removed(point: Point) -> None:
    async with cluster() as c:
        history = c.history("web")
        deleted_at, running = await _start_and_delete(c, point)
        wall, started = c.clock.now(), len(c.events("Started"))
        await c.until(lambda: c.pod() is None)
        assert c.clock.monotonic() - deleted_at < 1  # SIGTERM ends `sleep` at once: no grace waited out
        _assert_marked(history, wall)
        _assert_final_status(history[-1], running, 143)
        await _assert_cleaned(c, running, started)


async def test_kub12_deleted_during_a_start_a_container_ignoring_sigterm_gets_prestop_then_sigkill() -> None:
    """preStop runs first (29 s) and its time counts against the 30 s grace, but SIGTERM still gets
    its 2 s before SIGKILL (137): the object goes 31 s after the DELETE."""
    pre_stop = Lifecycle(pre_stop=LifecycleHandler(exec=ExecAction(command=["sleep", "29"])))
    point = Point(
        [_sleeper(lifecycle=pre_stop)],
        lambda c: bool(c.events("Created")),
        {"main"},
        setup=_slow("start_container"),
    )
    async with cluster() as c:
        c.runtime.ignore_sigterm("main")
        history = c.history("web")
        deleted_at, running = await _start_and_delete(c, point)
        wall, started = c.clock.now(), len(c.events("Started"))
        assert running == {"main"}
        await c.until(lambda: c.pod() is None)
        assert c.clock.monotonic() - deleted_at == pytest.approx(31, abs=0.5)
        _assert_marked(history, wall)
        _assert_final_status(history[-1], running, 137)
        await _assert_cleaned(c, running, started)


def _phase_running(c: Cluster) -> bool:
    pod = c.pod()
    return pod is not None and pod.status.phase == "Running"


LATE = {
    # the answer to the Running write comes after the DELETE's event, and nothing changes later
    "running": (IMAGE, 2, _phase_running, {"main"}),
    # the answer to the first write comes after the DELETE's event; the start-up comes next
    "before-sandbox": (SLOW, 1, _has_statuses, set()),
}


@pytest.mark.parametrize(("image", "late", "reached", "running"), list(LATE.values()), ids=list(LATE))
async def test_kub12_a_delete_seen_before_the_answer_to_a_status_write_is_not_forgotten(
    image: str, late: int, reached: Callable[[Cluster], bool], running: set[str]
) -> None:
    """The answer to a status write of the worker (the object without deletionTimestamp) arrives
    after the watch event of the DELETE: the worker keeps the newer object, stops the pod and
    removes it, and a start-up that was still to come does not run (not even a 120 s pull)."""
    async with cluster() as c:
        _slow_pull(c)
        c.client.answer_late(5, times=late)
        history = c.history("web")
        await c.client.create(make_pod(containers=[_sleeper(image=image)]))
        await c.until(lambda: reached(c))
        wall, deleted_at, started = c.clock.now(), c.clock.monotonic(), len(c.events("Started"))
        await c.client.delete(Pod, "web", "default")
        await c.until(lambda: c.pod() is None)
        assert c.clock.monotonic() - deleted_at < 6  # the late answer, then SIGTERM and gone at once
        _assert_marked(history, wall)
        _assert_final_status(history[-1], running, 143)
        assert len(c.events("Created")) == len(running)
        await _assert_cleaned(c, running, started)
