"""Probe handlers (KUB-9, KUB-10): HTTP GET (200–399 is success; the action's scheme and headers)
and TCP over real loopback sockets, exec through the runtime, and on fake nodes HTTP/TCP answered
from the prober's table; a startup probe holds back liveness and readiness until it succeeds."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
import anyio.abc
import pytest

from kubelite.api.core import (
    Container,
    ContainerPort,
    ExecAction,
    HTTPGetAction,
    HTTPHeader,
    Pod,
    Probe,
    TCPSocketAction,
)
from kubelite.clock import FakeClock
from kubelite.cri import ContainerStatus, ExecResult
from kubelite.cri.fake import FakeImageService, FakeRuntime
from kubelite.kubelet import SocketProber
from kubelite.kubelet.prober import ProbeSettings, resolve_port, run_probe
from tests.kubelet import loopback
from tests.kubelet.harness import IMAGE, cluster, make_pod

pytestmark = pytest.mark.anyio


@asynccontextmanager
async def http_server(status_line: bytes) -> AsyncIterator[int]:
    """A one-route HTTP server on 127.0.0.1 answering every request with `status_line`."""
    listener = await anyio.create_tcp_listener(local_host="127.0.0.1", local_port=0)

    async def answer(stream: anyio.abc.SocketStream) -> None:
        async with stream:
            await stream.receive(1024)
            await stream.send(status_line + b"\r\nContent-Length: 0\r\n\r\n")

    async with listener, anyio.create_task_group() as group:
        group.start_soon(listener.serve, answer)
        yield listener.extra(anyio.abc.SocketAttribute.local_port)
        group.cancel_scope.cancel()


@pytest.mark.parametrize(
    ("status_line", "ok"),
    [
        (b"HTTP/1.1 200 OK", True),
        (b"HTTP/1.1 302 Found", True),
        (b"HTTP/1.1 404 Not Found", False),
        (b"HTTP/1.1 500 Oops", False),
    ],
)
async def test_kub9_http_get_succeeds_for_200_to_399(status_line: bytes, ok: bool) -> None:
    async with http_server(status_line) as port:
        assert await SocketProber().http_get("127.0.0.1", port, "/healthz", 1.0) is ok


async def test_kub9_tcp_probe_needs_a_listener() -> None:
    async with http_server(b"HTTP/1.1 200 OK") as port:
        assert await SocketProber().tcp("127.0.0.1", port, 1.0)
    assert not await SocketProber().tcp("127.0.0.1", port, 1.0)  # closed now
    assert not await SocketProber().http_get("127.0.0.1", port, "/", 1.0)


async def test_kub9_an_https_probe_sends_its_headers_and_skips_certificate_checks(tmp_path: Path) -> None:
    """As the kubelet's prober: the action's scheme and `httpHeaders`, no certificate verification."""
    headers = [HTTPHeader(name="X-Probe", value="1")]
    runtime = FakeRuntime(FakeClock(), images=FakeImageService(FakeClock()))
    async with loopback.http_server(b"HTTP/1.1 200 OK", tls=await loopback.self_signed(tmp_path)) as server:
        action = HTTPGetAction(port=server.port, path="healthz", scheme="HTTPS", http_headers=headers)
        probe = ProbeSettings.of(Probe(http_get=action))
        assert await run_probe(probe, Container(name="main"), "", "127.0.0.1", runtime, SocketProber())
    assert server.paths() == ["/healthz"]
    assert (
        b"X-Probe: 1\r\n" in server.requests[0] and b"User-Agent: kube-probe/1.32\r\n" in server.requests[0]
    )


def test_named_probe_ports_resolve_from_the_container() -> None:
    container = Container(name="c", ports=[ContainerPort(name="http", container_port=8080)])
    assert resolve_port("http", container) == 8080
    assert resolve_port(9090, container) == 9090
    with pytest.raises(ValueError, match="port 'grpc' not found"):
        resolve_port("grpc", container)


async def test_kub9_exec_probe_timeout_is_a_failure() -> None:
    async with cluster() as c:
        await c.client.create(make_pod("x", "sleep", "3600"))
        await c.until(lambda: (p := c.pod("x")) is not None and p.status.phase == "Running")
        container_id = c.pod("x").status.container_statuses[0].container_id.removeprefix("fake://")  # type: ignore[union-attr]
        probe = ProbeSettings.of(Probe(exec=ExecAction(command=["sleep", "5"]), timeout_seconds=1))
        outcome: list[bool] = []

        async def probe_once() -> None:
            outcome.append(
                await run_probe(probe, Container(name="main"), container_id, "", c.runtime, c.probes)
            )

        c.group.start_soon(probe_once)
        await c.until(lambda: bool(outcome))
        assert outcome == [False]


async def test_kub10_http_readiness_probe_on_a_fake_node_follows_the_table() -> None:
    http = Probe(http_get=HTTPGetAction(port="web", path="/ready"))
    container = Container(
        name="main",
        image=IMAGE,
        command=["sleep", "3600"],
        ports=[ContainerPort(name="web", container_port=80)],
        readiness_probe=http,
    )
    async with cluster() as c:
        await c.client.create(make_pod("web", containers=[container]))
        await c.until(lambda: _ready(c.pod("web")) == "True")
        pod_ip = c.pod("web").status.pod_ip  # type: ignore[union-attr]
        c.probes.answers[(pod_ip, 80)] = False
        await c.until(lambda: _ready(c.pod("web")) == "False")
        c.probes.answers[(pod_ip, 80)] = True
        await c.until(lambda: _ready(c.pod("web")) == "True")


async def test_kub10_startup_probe_holds_back_liveness_until_it_succeeds() -> None:
    container = Container(
        name="main",
        image=IMAGE,
        command=["sleep", "3600"],
        startup_probe=Probe(tcp_socket=TCPSocketAction(port=80), period_seconds=5, failure_threshold=30),
        liveness_probe=Probe(exec=ExecAction(command=["alive"])),
    )
    liveness_calls: list[float] = []
    async with cluster() as c:

        def answer(status: ContainerStatus, cmd: list[str]) -> ExecResult:
            liveness_calls.append(c.clock.monotonic())
            return ExecResult(exit_code=0)

        c.runtime.set_exec_handler(answer)
        c.probes.answers[("10.244.0.1", 80)] = False
        await c.client.create(make_pod("slow", containers=[container]))
        await c.until(lambda: (p := c.pod("slow")) is not None and p.status.phase == "Running")
        await c.run_for(60)
        pod = c.pod("slow")
        assert pod is not None
        assert pod.status.container_statuses[0].started is False and _ready(pod) == "False"
        assert liveness_calls == []
        c.probes.answers[("10.244.0.1", 80)] = True
        await c.until(
            lambda: (p := c.pod("slow")) is not None and p.status.container_statuses[0].started is True
        )
        await c.until(lambda: bool(liveness_calls))
        assert _ready(c.pod("slow")) == "True"
        assert c.pod("slow").status.container_statuses[0].restart_count == 0  # type: ignore[union-attr]


def _ready(pod: Pod | None) -> str:
    if pod is None:
        return ""
    return next((x.status for x in pod.status.conditions if x.type == "Ready"), "")
