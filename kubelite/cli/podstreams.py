"""`ClusterPodStreams`: the HTTP transport's `PodStreams` for a `LocalCluster`.

A request is routed to the kubelet of the node the pod is bound to (`LocalCluster.kubelet`). A pod
that does not exist is a 404; one not bound to a node yet, or bound to a node this process does
not run, is a 400 (as kube-apiserver answers when it cannot reach a kubelet); the kubelet's own
errors (unknown container, container not started) pass through. Each line is yielded as bytes
ending in a newline, with `timestamps` prefixed by its RFC 3339 time with nanoseconds and a space
(the CRI log format). Closing the iterator closes the kubelet's log stream.

`exec` runs the command through the kubelet's buffered CRI exec (`exec_sync`): the checks (pod,
node, container) happen when it is awaited, the command runs when the returned iterator is first
read, and its whole stdout, then stderr, then exit code are yielded once it ends. Stdin is not
supported: asking for it is a 400 before anything runs.
"""

from __future__ import annotations

import datetime
from collections.abc import AsyncIterator, Sequence
from contextlib import aclosing
from typing import Protocol

from kubelite.api.core import Pod
from kubelite.api.errors import BadRequest
from kubelite.apiserver.http.streams import ExecExit, ExecItem, ExecOutput
from kubelite.cli.cluster import LocalCluster
from kubelite.kubelet import Kubelet


def rfc3339_nano(seconds: float) -> str:
    moment = datetime.datetime.fromtimestamp(seconds, datetime.UTC)
    nanos = round((seconds - int(seconds)) * 1e9) % 1_000_000_000
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{nanos:09d}Z"


class _Line(Protocol):
    """A CRI log line (`kubelite.cri.LogLine`: the cli layer does not import the CRI)."""

    @property
    def time(self) -> float: ...

    @property
    def text(self) -> str: ...


def _render(line: _Line, timestamps: bool) -> bytes:
    text = f"{rfc3339_nano(line.time)} {line.text}\n" if timestamps else f"{line.text}\n"
    return text.encode()


class ClusterPodStreams:
    def __init__(self, cluster: LocalCluster) -> None:
        self._cluster = cluster

    async def _kubelet_for(self, namespace: str, name: str) -> Kubelet:
        pod = await self._cluster.client.get(Pod, name, namespace)
        node = pod.spec.node_name
        if not node:
            raise BadRequest(f'pod "{name}" is not scheduled to a node yet')
        try:
            return self._cluster.kubelet(node)
        except KeyError:
            raise BadRequest(f'pod "{name}" is on node "{node}", which this server does not run') from None

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
        kubelet = await self._kubelet_for(namespace, name)
        lines = kubelet.log_lines(
            namespace, name, container, tail_lines=tail_lines, follow=follow, previous=previous
        )
        # log_lines is an async generator, typed as the AsyncIterator it promises: closed here.
        async with aclosing(lines):  # type: ignore[type-var]
            async for line in lines:
                yield _render(line, timestamps)

    async def exec(
        self,
        namespace: str,
        name: str,
        container: str,
        command: Sequence[str],
        *,
        stdin: AsyncIterator[bytes] | None,
        tty: bool,
    ) -> AsyncIterator[ExecItem]:
        if stdin is not None:
            raise BadRequest("stdin is not supported by this server's exec (it runs commands without input)")
        kubelet = await self._kubelet_for(namespace, name)
        await kubelet.check_exec(namespace, name, container)
        return _exec_items(kubelet, namespace, name, container, list(command))


async def _exec_items(
    kubelet: Kubelet, namespace: str, name: str, container: str, command: list[str]
) -> AsyncIterator[ExecItem]:
    result = await kubelet.exec(namespace, name, container, command)
    if result.stdout:
        yield ExecOutput(1, result.stdout)
    if result.stderr:
        yield ExecOutput(2, result.stderr)
    yield ExecExit(result.exit_code)
