"""`pods/log` through the `PodStreams` seam: query options reach it, bytes stream as text/plain."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import anyio
import pytest

from kubelite.api.core import Pod
from kubelite.api.errors import BadRequest
from tests.apiserver.conftest import pod
from tests.http.conftest import make_api

pytestmark = pytest.mark.anyio


@dataclass
class ScriptedStreams:
    """A PodStreams that answers from a script; `follow` streams until `more` is closed."""

    calls: list[dict[str, Any]] = field(default_factory=list)
    send: Any = None
    receive: Any = None

    def __post_init__(self) -> None:
        self.send, self.receive = anyio.create_memory_object_stream[bytes](10)

    async def logs(
        self,
        namespace: str,
        name: str,
        container: str,
        *,
        tail_lines: int | None,
        timestamps: bool,
        follow: bool,
        previous: bool,
    ) -> AsyncIterator[bytes]:
        self.calls.append(
            {
                "namespace": namespace,
                "name": name,
                "container": container,
                "tail_lines": tail_lines,
                "timestamps": timestamps,
                "follow": follow,
                "previous": previous,
            }
        )
        if container == "nope":
            raise BadRequest("container nope is not valid for pod a")
        yield b"one\n"
        yield b"two\n"
        if follow:
            async for chunk in self.receive:
                yield chunk


async def test_logs_pass_options_and_return_text() -> None:
    streams = ScriptedStreams()
    async with make_api(pod_streams=streams) as api:
        await api.server.create(Pod, pod("a", node="n1"), "default")
        path = "/api/v1/namespaces/default/pods/a/log?container=app&tailLines=2&timestamps=true"
        async with api.session.get(api.url + path) as response:
            assert response.status == 200
            assert response.headers["Content-Type"].startswith("text/plain")
            assert await response.read() == b"one\ntwo\n"
        assert streams.calls == [
            {
                "namespace": "default",
                "name": "a",
                "container": "app",
                "tail_lines": 2,
                "timestamps": True,
                "follow": False,
                "previous": False,
            }
        ]


async def test_follow_streams_until_the_log_ends() -> None:
    streams = ScriptedStreams()
    async with make_api(pod_streams=streams) as api:
        await api.server.create(Pod, pod("a", node="n1"), "default")
        url = api.url + "/api/v1/namespaces/default/pods/a/log?follow=true"
        async with api.session.get(url) as response:
            with anyio.fail_after(5):
                assert await response.content.readline() == b"one\n"
                assert await response.content.readline() == b"two\n"
                await streams.send.send(b"three\n")
                assert await response.content.readline() == b"three\n"
                streams.send.close()
                assert await response.content.read() == b""


async def test_log_errors_are_statuses() -> None:
    async with make_api(pod_streams=ScriptedStreams()) as api:
        code, status = await api.call("GET", "/api/v1/namespaces/default/pods/missing/log")
        assert (code, status["reason"], status["message"]) == (404, "NotFound", 'pods "missing" not found')
        await api.server.create(Pod, pod("a", node="n1"), "default")
        code, status = await api.call("GET", "/api/v1/namespaces/default/pods/a/log?container=nope")
        assert (code, status["reason"]) == (400, "BadRequest")
        code, status = await api.call("GET", "/api/v1/namespaces/default/pods/a/log?tailLines=-1")
        assert (code, status["reason"]) == (400, "BadRequest")
        code, status = await api.call("POST", "/api/v1/namespaces/default/pods/a/log", {})
        assert (code, status["reason"]) == (405, "MethodNotAllowed")


@dataclass
class StampedStreams:
    """A PodStreams whose lines carry kubelet timestamps (RFC 3339, nanoseconds) when asked."""

    lines: list[tuple[float, bytes]]
    asked: list[bool] = field(default_factory=list)

    async def logs(self, *_: Any, timestamps: bool, follow: bool, **__: Any) -> AsyncIterator[bytes]:
        self.asked.append(timestamps)
        text = b"".join((stamp(at) + b" " if timestamps else b"") + line for at, line in self.lines)
        for start in range(0, len(text), 7):  # chunks that cut lines anywhere
            yield text[start : start + 7]
        if follow:
            await anyio.sleep_forever()


def stamp(at: float) -> bytes:
    whole = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(int(at)))
    return f"{whole}.{round((at % 1) * 1e9):09d}Z".encode()


async def test_since_seconds_and_since_time_keep_later_lines() -> None:
    """sinceSeconds / sinceTime keep the lines logged at or after the time (as the kubelet does),
    with or without their timestamps as the request asked."""
    async with make_api() as probe:
        now = probe.clock.now()
    lines = [(now - 20.5, b"old\n"), (now - 10, b"edge\n"), (now - 2.25, b"new\n")]
    streams = StampedStreams(lines)
    async with make_api(pod_streams=streams) as api:
        await api.server.create(Pod, pod("a", node="n1"), "default")
        log = "/api/v1/namespaces/default/pods/a/log?"
        assert await api.call("GET", log + "sinceSeconds=10") == (200, "edge\nnew\n")
        since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now - 15))
        stamped = stamp(now - 10) + b" edge\n" + stamp(now - 2.25) + b" new\n"
        assert await api.call("GET", log + f"sinceTime={since}&timestamps=true") == (200, stamped.decode())
        assert await api.call("GET", log + "sinceSeconds=60") == (200, "old\nedge\nnew\n")
    assert streams.asked == [True, True, True]


async def test_limit_bytes_cuts_the_log_and_ends_a_follow() -> None:
    """limitBytes ends the body after that many bytes, mid-line if need be, even when following."""
    async with make_api(pod_streams=ScriptedStreams()) as api:
        await api.server.create(Pod, pod("a", node="n1"), "default")
        log = "/api/v1/namespaces/default/pods/a/log?"
        assert await api.call("GET", log + "limitBytes=5") == (200, "one\nt")
        with anyio.fail_after(5):
            assert await api.call("GET", log + "limitBytes=6&follow=true") == (200, "one\ntw")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("limitBytes=0", "limitBytes: Invalid value: 0: must be greater than 0"),
        ("sinceSeconds=-1", "sinceSeconds: Invalid value: -1: must be greater than 0"),
        (
            "sinceSeconds=5&sinceTime=2026-01-01T00:00:00Z",
            "at most one of `sinceTime` or `sinceSeconds` may be specified",
        ),
        ("sinceTime=yesterday", 'invalid value for sinceTime: "yesterday": must be an RFC 3339 time'),
    ],
)
async def test_bad_since_and_limit_values_are_400(query: str, message: str) -> None:
    async with make_api(pod_streams=ScriptedStreams()) as api:
        await api.server.create(Pod, pod("a", node="n1"), "default")
        code, body = await api.call("GET", "/api/v1/namespaces/default/pods/a/log?" + query)
        assert (code, body["reason"], body["message"]) == (400, "BadRequest", message)
