"""Runtime failures and cancellations on a fake node, as upstream's kubelet shows them.

- A refused create is waiting `CreateContainerError` with the runtime's message, a refused start
  `RunContainerError`, and a refused sandbox a `FailedCreatePodSandBox` event ("Failed to create
  pod sandbox: <error>"); each comes with upstream's Warning event and a retry 10 s later.
- A DELETE while an image is being pulled (or a postStart hook runs) cancels that work: the pod
  terminates at once instead of after the pull, and its container is never created. While the
  pull runs the pod is Pending with its container waiting `ContainerCreating`.
"""

from __future__ import annotations

import pytest

from kubelite.api.core import Container, Event, ExecAction, Lifecycle, LifecycleHandler, Pod
from kubelite.api.meta import DeleteOptions
from kubelite.cri import CRIError
from tests.kubelet.harness import IMAGE, Cluster, cluster, make_pod

pytestmark = pytest.mark.anyio


def _waiting(pod: Pod | None) -> tuple[str, str]:
    if pod is None or not pod.status.container_statuses:
        return ("", "")
    waiting = pod.status.container_statuses[0].state.waiting
    return (waiting.reason, waiting.message) if waiting is not None else ("", "")


def _phase(pod: Pod | None) -> str:
    return pod.status.phase if pod is not None else ""


def _only(events: list[Event]) -> tuple[str, str]:
    assert len(events) == 1, events
    return (events[0].type, events[0].message)


async def _retried_after_10s(c: Cluster, name: str = "web") -> None:
    failed_at = c.clock.monotonic()
    await c.until(lambda: _phase(c.pod(name)) == "Running")
    assert c.clock.monotonic() - failed_at == pytest.approx(10, abs=0.01)


async def test_a_refused_create_is_create_container_error_with_the_runtime_message() -> None:
    async with cluster() as c:
        c.runtime.fail_next("create_container", CRIError("no space left on device"))
        await c.client.create(make_pod("web", "sleep", "3600"))
        await c.until(lambda: _waiting(c.pod())[0] == "CreateContainerError")
        assert _waiting(c.pod()) == ("CreateContainerError", "no space left on device")
        assert _phase(c.pod()) == "Pending"
        await c.until(lambda: bool(c.events("Failed")))
        assert _only(c.events("Failed")) == ("Warning", "Error: no space left on device")
        await _retried_after_10s(c)


async def test_a_refused_start_is_run_container_error_and_is_retried() -> None:
    async with cluster() as c:
        c.runtime.fail_next("start_container", CRIError("exec format error"))
        await c.client.create(make_pod("web", "sleep", "3600"))
        await c.until(lambda: _waiting(c.pod())[0] == "RunContainerError")
        assert _waiting(c.pod()) == ("RunContainerError", "exec format error")
        await c.until(lambda: bool(c.events("Failed")))
        assert _only(c.events("Failed")) == ("Warning", "Error: exec format error")
        await _retried_after_10s(c)
        assert len(await c.runtime.list_containers()) == 1  # the created container was started


async def test_a_script_the_fake_cannot_interpret_never_runs_and_says_why() -> None:
    async with cluster() as c:
        await c.client.create(make_pod("loop", "sh", "-c", "for i in 1 2 3; do echo $i; done"))
        await c.until(lambda: _waiting(c.pod("loop"))[0] == "RunContainerError")
        message = "the fake runtime cannot interpret this command: 'for' loops is not supported"
        assert _waiting(c.pod("loop")) == ("RunContainerError", message)
        await c.run_for(60)
        pod = c.pod("loop")
        assert _phase(pod) == "Pending" and _waiting(pod) == ("RunContainerError", message)
        assert {(e.type, e.message) for e in c.events("Failed")} == {("Warning", f"Error: {message}")}


async def test_a_refused_sandbox_is_a_failed_create_pod_sandbox_event_and_is_retried() -> None:
    async with cluster() as c:
        c.runtime.fail_next("run_pod_sandbox", CRIError("network plugin is not ready"))
        await c.client.create(make_pod("web", "sleep", "3600"))
        await c.until(lambda: bool(c.events("FailedCreatePodSandBox")))
        assert _only(c.events("FailedCreatePodSandBox")) == (
            "Warning",
            "Failed to create pod sandbox: network plugin is not ready",
        )
        pod = c.pod()
        assert pod is not None and pod.status.phase == "Pending" and pod.status.pod_ip == ""
        assert _waiting(pod) == ("ContainerCreating", "")
        await _retried_after_10s(c)


@pytest.mark.parametrize("grace", [None, 0], ids=["graceful", "force"])
async def test_a_delete_during_an_image_pull_cancels_it_and_the_container_is_never_created(
    grace: int | None,
) -> None:
    async with cluster() as c:
        c.images.set_pull("busybox:slow", latency=120)
        main = Container(name="main", image="busybox:slow", command=["sleep", "3600"])
        await c.client.create(make_pod("slow", containers=[main]))
        await c.until(lambda: bool(c.events("Pulling")))
        await c.run_for(5)
        pod = c.pod("slow")
        assert _phase(pod) == "Pending" and _waiting(pod) == ("ContainerCreating", "")
        assert pod is not None
        deleted_at = c.clock.monotonic()
        await c.client.delete(Pod, "slow", "default", options=DeleteOptions(grace_period_seconds=grace))
        await c.until(lambda: c.pod("slow") is None)
        assert c.clock.monotonic() - deleted_at < 1  # not after the pull (115 s left), nor the 30 s grace
        await c.run_for(300)
        assert await c.runtime.list_containers() == []
        assert await c.runtime.list_pod_sandbox() == []
        assert not c.images.has("busybox:slow")
        assert not c.events("Created") and not c.events("Pulled")


async def test_a_delete_during_a_long_post_start_hook_stops_the_pod_at_once() -> None:
    hook = Lifecycle(post_start=LifecycleHandler(exec=ExecAction(command=["sleep", "100"])))
    main = Container(name="main", image=IMAGE, command=["sleep", "3600"], lifecycle=hook)
    async with cluster() as c:
        await c.client.create(make_pod("hooked", containers=[main]))
        await c.until(lambda: bool(c.events("Started")))
        await c.run_for(5)
        deleted_at = c.clock.monotonic()
        await c.client.delete(Pod, "hooked", "default")
        await c.until(lambda: c.pod("hooked") is None)
        assert c.clock.monotonic() - deleted_at < 1
