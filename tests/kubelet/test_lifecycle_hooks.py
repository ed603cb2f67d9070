"""HTTP lifecycle hooks run like exec ones: a postStart or preStop `httpGet` sends one GET to
scheme://host:port/path (host defaulting to the pod IP, named ports resolved, `httpHeaders` sent,
User-Agent `kube-lifecycle/1.32`). As upstream's handler runner does, any HTTP answer counts as
success, a 500 too; only a request that gets no answer fails. A failing postStart hook is a
`FailedPostStartHook` event and kills the container, whose restart policy applies; a failing
preStop hook is a `FailedPreStopHook` event and the pod still terminates. Failure messages are the
kubelet's handler runner's; a sleep postStart holds the container back from running, and a
(deprecated) tcpSocket handler cannot run. Kubelets on the fake runtime send hooks over real
loopback sockets here (`SocketProber`), and on a fake node's pod network through the scripted
`FakeNetworkProber`. An HTTPS hook that a plain-HTTP server answers is retried over HTTP with a
`LifecycleHTTPFallback` warning, as upstream does since hooks honour their scheme."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from kubelite.api.core import (
    Container,
    ContainerPort,
    ExecAction,
    HTTPGetAction,
    HTTPHeader,
    Lifecycle,
    LifecycleHandler,
    Pod,
    SleepAction,
    TCPSocketAction,
)
from kubelite.cri import ExecResult
from kubelite.kubelet import SocketProber
from kubelite.kubelet.httpget import LIFECYCLE_AGENT, HTTPGetError, HTTPGetRequest, PlainHTTPResponse, fetch
from tests.kubelet.harness import IMAGE, Cluster, cluster, make_pod
from tests.kubelet.loopback import http_server, self_signed

pytestmark = pytest.mark.anyio


def _free_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _hooked(*, post_start: HTTPGetAction | None = None, pre_stop: HTTPGetAction | None = None) -> Container:
    lifecycle = Lifecycle(
        post_start=LifecycleHandler(http_get=post_start) if post_start else None,
        pre_stop=LifecycleHandler(http_get=pre_stop) if pre_stop else None,
    )
    return Container(
        name="main",
        image=IMAGE,
        command=["sleep", "3600"],
        ports=[ContainerPort(name="admin", container_port=9999)],
        lifecycle=lifecycle,
    )


def _running(c: Cluster, name: str) -> bool:
    pod = c.pod(name)
    return pod is not None and pod.status.phase == "Running"


def _restarts(pod: Pod | None) -> int:
    return pod.status.container_statuses[0].restart_count if pod and pod.status.container_statuses else 0


async def test_an_http_request_is_built_like_the_kubelets() -> None:
    action = HTTPGetAction(
        port=8080, path="ready", scheme="HTTPS", http_headers=[HTTPHeader(name="X-Hook", value="1")]
    )
    request = HTTPGetRequest.of(action, 8080, "10.244.0.7", LIFECYCLE_AGENT)
    assert request.url == "https://10.244.0.7:8080/ready"
    assert request.encode() == (
        b"GET /ready HTTP/1.1\r\nHost: 10.244.0.7:8080\r\nX-Hook: 1\r\n"
        b"User-Agent: kube-lifecycle/1.32\r\nAccept: */*\r\nConnection: close\r\n\r\n"
    )
    own = HTTPGetAction(port=80, host="example", http_headers=[HTTPHeader(name="user-agent", value="me")])
    assert HTTPGetRequest.of(own, 80, "10.244.0.7", LIFECYCLE_AGENT).encode() == (
        b"GET / HTTP/1.1\r\nHost: example:80\r\nuser-agent: me\r\nAccept: */*\r\nConnection: close\r\n\r\n"
    )


async def test_fetch_returns_any_status_and_fails_only_without_an_answer() -> None:
    async with http_server(b"HTTP/1.1 503 Busy") as server:
        assert await fetch(HTTPGetRequest("http", "127.0.0.1", server.port, "/x"), 1.0) == 503
    with pytest.raises(HTTPGetError) as refused:
        await fetch(HTTPGetRequest("http", "127.0.0.1", server.port, "/x"), 1.0)
    url = f"http://127.0.0.1:{server.port}/x"
    assert str(refused.value) == f'Get "{url}": dial tcp 127.0.0.1:{server.port}: connect: connection refused'
    async with http_server(b"SSH-2.0-OpenSSH") as server:
        with pytest.raises(HTTPGetError, match="malformed HTTP response"):
            await fetch(HTTPGetRequest("http", "127.0.0.1", server.port, "/"), 1.0)


async def test_fetch_speaks_https_without_verifying_the_certificate(tmp_path: Path) -> None:
    async with http_server(b"HTTP/1.1 204 No Content", tls=await self_signed(tmp_path)) as server:
        assert await fetch(HTTPGetRequest("https", "127.0.0.1", server.port, "/secure"), 2.0) == 204
    assert server.paths() == ["/secure"]


async def test_http_post_start_hook_runs_and_any_answer_is_success() -> None:
    async with http_server(b"HTTP/1.1 500 Oops") as server, cluster(prober=SocketProber()) as c:
        hook = HTTPGetAction(
            host="127.0.0.1",
            port=server.port,
            path="/started",
            http_headers=[HTTPHeader(name="X-Pod", value="a")],
        )
        await c.client.create(make_pod("hook", containers=[_hooked(post_start=hook)]))
        await c.until(lambda: bool(server.requests) and _running(c, "hook"))
        assert server.paths() == ["/started"]
        assert (
            b"X-Pod: a\r\n" in server.requests[0]
            and b"User-Agent: kube-lifecycle/1.32\r\n" in server.requests[0]
        )
        await c.run_for(30)
        assert _restarts(c.pod("hook")) == 0 and c.events("FailedPostStartHook") == []


async def test_a_failing_http_post_start_hook_kills_the_container_and_restart_policy_applies() -> None:
    port = _free_port()
    hook = HTTPGetAction(host="127.0.0.1", port=port, path="/started")
    async with cluster(prober=SocketProber()) as c:
        await c.client.create(make_pod("hook", containers=[_hooked(post_start=hook)]))
        await c.until(lambda: _restarts(c.pod("hook")) >= 1)
        pod = c.pod("hook")
        assert pod is not None
        last = pod.status.container_statuses[0].last_state.terminated
        assert last is not None and last.exit_code == 143  # killed with SIGTERM
        await c.until(lambda: bool(c.events("FailedPostStartHook")))
        [event, *_] = c.events("FailedPostStartHook")
        assert event.message == (
            f'HTTP lifecycle hook (/started) for Container "main" in Pod "hook_default({pod.metadata.uid})"'
            f' failed - error: Get "http://127.0.0.1:{port}/started": dial tcp 127.0.0.1:{port}:'
            " connect: connection refused"
        )
        assert event.type == "Warning"


async def test_never_restarts_after_a_failing_http_post_start_hook() -> None:
    hook = HTTPGetAction(port="admin", path="/started")  # the pod IP on the fake network
    async with cluster() as c:
        c.probes.answers[("10.244.0.1", 9999)] = False  # the first pod's IP
        await c.client.create(make_pod("hook", containers=[_hooked(post_start=hook)], restart_policy="Never"))
        await c.until(lambda: (p := c.pod("hook")) is not None and p.status.phase == "Failed")
        pod = c.pod("hook")
        assert pod is not None and pod.status.pod_ip == "10.244.0.1" and _restarts(pod) == 0
        await c.until(lambda: bool(c.events("FailedPostStartHook")))
        [event] = c.events("FailedPostStartHook")
        assert event.message.endswith(
            'failed - error: Get "http://10.244.0.1:9999/started": scripted to fail'
        )


async def test_kub12_http_pre_stop_hook_runs_before_sigterm() -> None:
    async with cluster(prober=SocketProber()) as c, http_server(watch=c) as server:
        hook = HTTPGetAction(host="127.0.0.1", port=server.port, path="/stopping")
        await c.client.create(make_pod("stop", containers=[_hooked(pre_stop=hook)]))
        await c.until(lambda: _running(c, "stop"))
        await c.client.delete(Pod, "stop", "default")
        await c.until(lambda: c.pod("stop") is None)
        assert server.paths() == ["/stopping"] and server.running_when_asked == [True]
        assert c.events("FailedPreStopHook") == []


async def test_a_failing_http_pre_stop_hook_is_an_event_and_the_pod_still_terminates() -> None:
    port = _free_port()
    hook = HTTPGetAction(host="127.0.0.1", port=port, path="/stopping")
    async with cluster(prober=SocketProber()) as c:
        created = await c.client.create(make_pod("stop", containers=[_hooked(pre_stop=hook)]))
        await c.until(lambda: _running(c, "stop"))
        await c.client.delete(Pod, "stop", "default")
        await c.until(lambda: c.pod("stop") is None and bool(c.events("FailedPreStopHook")))
        [event] = c.events("FailedPreStopHook")
        assert event.message == (
            f'HTTP lifecycle hook (/stopping) for Container "main" in Pod "stop_default({created.metadata.uid})"'
            f' failed - error: Get "http://127.0.0.1:{port}/stopping": dial tcp 127.0.0.1:{port}:'
            " connect: connection refused"
        )


async def test_a_sleep_post_start_hook_holds_the_container_back_from_running() -> None:
    """Upstream reports the container running only once its postStart hook has returned."""
    hook = Lifecycle(post_start=LifecycleHandler(sleep=SleepAction(seconds=5)))
    container = Container(name="main", image=IMAGE, command=["sleep", "3600"], lifecycle=hook)
    async with cluster() as c:
        begin = c.clock.monotonic()
        await c.client.create(make_pod("sleepy", containers=[container]))
        await c.until(lambda: _running(c, "sleepy"))
        assert c.clock.monotonic() - begin == pytest.approx(5, abs=0.5)


async def test_a_tcp_socket_hook_is_not_run_and_fails_as_upstream() -> None:
    """tcpSocket is deprecated in lifecycle handlers: the kubelet cannot run it, so postStart fails."""
    hook = Lifecycle(post_start=LifecycleHandler(tcp_socket=TCPSocketAction(port=80)))
    container = Container(name="main", image=IMAGE, command=["sleep", "3600"], lifecycle=hook)
    async with cluster() as c:
        await c.client.create(make_pod("tcp", containers=[container], restart_policy="Never"))
        await c.until(lambda: (p := c.pod("tcp")) is not None and p.status.phase == "Failed")
        await c.until(lambda: bool(c.events("FailedPostStartHook")))
        assert [e.message for e in c.events("FailedPostStartHook")] == ["Cannot run handler: invalid handler"]


async def test_a_failing_exec_pre_stop_hook_is_an_event_with_its_output() -> None:
    hook = Lifecycle(pre_stop=LifecycleHandler(exec=ExecAction(command=["drain", "--now"])))
    container = Container(name="main", image=IMAGE, command=["sleep", "3600"], lifecycle=hook)
    async with cluster() as c:
        c.runtime.set_exec_handler(
            lambda status, cmd: ExecResult(stdout=b"out\n", stderr=b"busy", exit_code=3)
        )
        created = await c.client.create(make_pod("drain", containers=[container]))
        await c.until(lambda: _running(c, "drain"))
        await c.client.delete(Pod, "drain", "default")
        await c.until(lambda: c.pod("drain") is None and bool(c.events("FailedPreStopHook")))
        [event] = c.events("FailedPreStopHook")
        assert event.message == (
            f'Exec lifecycle hook ([drain --now]) for Container "main" in Pod "drain_default({created.metadata.uid})"'
            " failed - error: command 'drain --now' exited with 3: busy, message: \"out\\nbusy\""
        )


async def test_https_to_a_plain_http_server_is_told_apart() -> None:
    async with http_server(b"HTTP/1.1 400 Bad Request", eager=True) as server:
        with pytest.raises(PlainHTTPResponse) as answered:
            await fetch(HTTPGetRequest("https", "127.0.0.1", server.port, "/x"), 2.0)
    url = f"https://127.0.0.1:{server.port}/x"
    assert str(answered.value) == f'Get "{url}": http: server gave HTTP response to HTTPS client'


async def test_an_https_hook_answered_in_plain_http_falls_back_to_http_with_a_warning() -> None:
    """Upstream's LifecycleHTTPFallback: retried over HTTP without the Authorization header."""
    async with http_server(eager=True) as server, cluster(prober=SocketProber()) as c:
        headers = [HTTPHeader(name="Authorization", value="Bearer x"), HTTPHeader(name="X-Hook", value="1")]
        hook = HTTPGetAction(
            host="127.0.0.1", port=server.port, path="/started", scheme="HTTPS", http_headers=headers
        )
        await c.client.create(make_pod("hook", containers=[_hooked(post_start=hook)]))
        await c.until(lambda: _running(c, "hook") and bool(c.events("LifecycleHTTPFallback")))
        [plain] = [request for request in server.requests if request.startswith(b"GET ")]
        assert plain.startswith(b"GET /started HTTP/1.1\r\n") and b"X-Hook: 1\r\n" in plain
        assert b"Authorization" not in plain
        [event] = c.events("LifecycleHTTPFallback")
        assert (event.type, event.message) == (
            "Warning",
            f"request to HTTPS lifecycle hook 127.0.0.1:{server.port} got HTTP response, retry with HTTP succeeded",
        )
        assert _restarts(c.pod("hook")) == 0 and c.events("FailedPostStartHook") == []
