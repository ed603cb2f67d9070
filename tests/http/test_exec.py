"""`pods/exec` over a WebSocket (`v5.channel.k8s.io`) on a fake node, through the kubelet's CRI exec.

A raw aiohttp WebSocket client checks the frames (channel byte, status JSON, close 1000) and the
real kubectl checks the exit codes it derives from them. Errors before the upgrade are Status
replies: a missing pod 404, a container not in the pod 400 (upstream's "container X is not valid
for pod Y"), a pod not on a node 400, and a non-WebSocket upgrade (kubectl's SPDY fallback) 400.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import anyio
import anyio.lowlevel
import pytest

from kubelite.api.core import Container, Pod, PodSpec
from kubelite.api.meta import ObjectMeta
from kubelite.apiserver.http import HTTPSettings, build_app, serve
from kubelite.cli.cluster import LocalCluster, local_cluster
from kubelite.cli.podstreams import ClusterPodStreams
from kubelite.clock import FakeClock
from kubelite.informers import SharedInformerFactory
from kubelite.store.memory import MemoryStorage
from tests.http.kubectl import Kubectl, require_kubectl, write_kubeconfig

pytestmark = pytest.mark.anyio

V5 = "v5.channel.k8s.io"
BASE = "/api/v1/namespaces/default/pods"


@dataclass
class Served:
    cluster: LocalCluster
    url: str
    session: aiohttp.ClientSession


def _pod(name: str, *, selector: dict[str, str] | None = None) -> Pod:
    container = Container(name="web", image="busybox:1.36", command=["sleep", "3600"])
    spec = PodSpec(containers=[container], node_selector=selector or {})
    return Pod(metadata=ObjectMeta(name=name, namespace="default"), spec=spec)


async def _wait_running(running: LocalCluster, clock: FakeClock, name: str) -> None:
    factory = SharedInformerFactory(running.client, clock=clock)
    pods = factory.lister(Pod)
    async with anyio.create_task_group() as group:
        factory.start(group)

        def is_running() -> bool:
            pod = pods.get(name, "default")
            return pod is not None and pod.status.phase == "Running"

        with anyio.fail_after(20):
            await clock.run_until(is_running)
        group.cancel_scope.cancel()


@asynccontextmanager
async def served() -> AsyncIterator[Served]:
    clock = FakeClock()
    async with AsyncExitStack() as stack:
        storage = await stack.enter_async_context(MemoryStorage())
        running = await stack.enter_async_context(local_cluster(storage, nodes=1, clock=clock))
        await running.client.create(_pod("shell"))
        await _wait_running(running, clock, "shell")
        app = build_app(
            running.client.server, settings=HTTPSettings(), pod_streams=ClusterPodStreams(running)
        )
        serving = await stack.enter_async_context(serve(app, "127.0.0.1", 0))
        session = await stack.enter_async_context(aiohttp.ClientSession())
        yield Served(running, serving.url, session)


def _exec_url(name: str, *command: str, container: str = "web") -> str:
    args = "&".join(f"command={part}" for part in command)
    return f"{BASE}/{name}/exec?{args}&container={container}&stdout=true&stderr=true"


async def _frames(api: Served, path: str, protocol: str = V5) -> tuple[list[bytes], int | None, str | None]:
    """Every binary frame, the close code and the negotiated protocol of one exec."""
    frames: list[bytes] = []
    with anyio.fail_after(10):
        async with api.session.ws_connect(api.url + path, protocols=(protocol,)) as ws:
            async for message in ws:
                assert message.type == aiohttp.WSMsgType.BINARY
                frames.append(message.data)
            return frames, ws.close_code, ws.protocol


@pytest.mark.parametrize("offered", [V5, "v4.channel.k8s.io"])
async def test_stdout_and_success_status_then_close_1000(offered: str) -> None:
    async with served() as api:
        frames, code, protocol = await _frames(api, _exec_url("shell", "echo", "hi"), offered)
    assert protocol == offered
    assert frames == [b"\x01hi\n", b'\x03{"metadata":{},"status":"Success"}']
    assert code == 1000


async def test_stderr_channel_and_nonzero_exit_status() -> None:
    async with served() as api:
        path = _exec_url("shell", "sh", "-c", "echo%20out;%20echo%20err%20%3E%262;%20exit%203")
        frames, code, _ = await _frames(api, path)
    assert frames[:2] == [b"\x01out\n", b"\x02err\n"]
    assert frames[2][:1] == b"\x03"
    status = json.loads(frames[2][1:])
    assert status["status"] == "Failure"
    assert status["reason"] == "NonZeroExitCode"
    assert status["details"] == {"causes": [{"reason": "ExitCode", "message": "3"}]}
    assert "exit code" in status["message"]
    assert code == 1000


async def test_tty_sends_stderr_on_the_stdout_channel() -> None:
    async with served() as api:
        path = _exec_url("shell", "sh", "-c", "echo%20err%20%3E%262") + "&tty=true"
        frames, _, _ = await _frames(api, path)
    assert frames == [b"\x01err\n", b'\x03{"metadata":{},"status":"Success"}']


async def _refused(api: Served, path: str, headers: dict[str, str]) -> tuple[int, dict[str, object]]:
    async with api.session.get(api.url + path, headers=headers) as response:
        return response.status, await response.json(content_type=None)


WS_HEADERS = {
    "Upgrade": "websocket",
    "Connection": "Upgrade",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    "Sec-WebSocket-Version": "13",
    "Sec-WebSocket-Protocol": V5,
}


async def test_errors_before_the_upgrade_are_statuses() -> None:
    async with served() as api:
        await api.cluster.client.create(_pod("pending", selector={"nowhere": "true"}))
        code, body = await _refused(api, _exec_url("missing", "true"), WS_HEADERS)
        assert (code, body["reason"], body["message"]) == (404, "NotFound", 'pods "missing" not found')
        code, body = await _refused(api, _exec_url("shell", "true", container="db"), WS_HEADERS)
        assert (code, body["message"]) == (400, "container db is not valid for pod shell")
        code, body = await _refused(api, _exec_url("pending", "true"), WS_HEADERS)
        assert (code, body["message"]) == (400, 'pod "pending" is not scheduled to a node yet')
        spdy = {"Upgrade": "SPDY/3.1", "Connection": "Upgrade"}
        code, body = await _refused(api, _exec_url("shell", "true"), spdy)
        assert (code, body["reason"]) == (400, "BadRequest")
        code, body = await _refused(api, f"{BASE}/shell/exec?container=web", WS_HEADERS)
        assert (code, body["message"]) == (400, "you must specify at least 1 command")
        code, body = await _refused(api, _exec_url("shell", "cat") + "&stdin=true", WS_HEADERS)
        assert (code, body["reason"]) == (400, "BadRequest")
        assert "stdin is not supported" in str(body["message"])


async def test_kubectl_exec_prints_output_and_exits_with_the_command_code(tmp_path: Path) -> None:
    require_kubectl()
    async with served() as api:
        kubectl = Kubectl(write_kubeconfig(tmp_path, api.url), tmp_path / "cache")
        hi = await kubectl.run("exec", "shell", "--", "echo", "hi")
        assert (hi.code, hi.stdout) == (0, "hi\n"), hi.stderr
        failed = await kubectl.run("exec", "shell", "--", "sh", "-c", "exit 3")
        assert failed.code == 3, failed.stderr


async def test_pings_are_answered_while_a_long_command_runs() -> None:
    """kubectl gives up on a server that leaves its pings unanswered for about a minute."""
    async with served() as api:
        clock = api.cluster.clock
        assert isinstance(clock, FakeClock)
        url = api.url + _exec_url("shell", "sh", "-c", "sleep%20100;%20echo%20done")
        with anyio.fail_after(10):
            async with api.session.ws_connect(url, protocols=(V5,), autoping=False) as ws:
                await ws.ping(b"still there?")
                pong = await ws.receive()
                assert (pong.type, pong.data) == (aiohttp.WSMsgType.PONG, b"still there?")
                frames: list[bytes] = []

                async def receive() -> None:
                    frames.extend([(await ws.receive()).data for _ in range(2)])

                async with anyio.create_task_group() as group:
                    group.start_soon(receive)
                    await clock.run_until(lambda: len(frames) == 2)
    assert frames == [b"\x01done\n", b'\x03{"metadata":{},"status":"Success"}']


async def test_a_client_that_leaves_cancels_the_command() -> None:
    """The exec's `sleep 100000` stops waiting on the clock once the client closes the socket,
    without the clock moving (the FakeClock's sleeper list is the fake runtime's observable state)."""
    async with served() as api:
        clock = api.cluster.clock
        assert isinstance(clock, FakeClock)
        url = api.url + _exec_url("shell", "sleep", "100000")
        with anyio.fail_after(10):
            async with api.session.ws_connect(url, protocols=(V5,)) as ws:
                await _until(lambda: _sleeping_until(clock, 100000))
                await ws.close()
            await _until(lambda: not _sleeping_until(clock, 100000))


async def _until(condition: Callable[[], bool]) -> None:
    while not condition():
        await anyio.lowlevel.checkpoint()


def _sleeping_until(clock: FakeClock, seconds: float) -> bool:
    """Whether a task sleeps until `seconds` after the clock's start (the clock never moves here)."""
    return any(due == seconds and not event.is_set() for due, _, event in clock._sleepers)


async def test_kubectl_prints_the_reason_an_exec_is_refused(tmp_path: Path) -> None:
    """kubectl retries a refused WebSocket exec over SPDY and prints that second refusal: it must
    carry the real reason (a container not in the pod, stdin), not only 'SPDY is not supported'."""
    require_kubectl()
    async with served() as api:
        kubectl = Kubectl(write_kubeconfig(tmp_path, api.url), tmp_path / "cache")
        wrong = await kubectl.run("exec", "shell", "-c", "db", "--", "true")
        assert (wrong.code, wrong.stderr.strip()) == (
            1,
            "Error from server (BadRequest): container db is not valid for pod shell",
        )
        piped = await kubectl.run("exec", "-i", "shell", "--", "cat", stdin="input\n")
        assert piped.code == 1 and "stdin is not supported" in piped.stderr, piped.stderr
