"""`pods/log` through the `PodStreams` seam: query options reach it, bytes stream as text/plain."""

from __future__ import annotations

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
