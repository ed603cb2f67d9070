"""`PodStreams`: how the HTTP transport reaches a pod's containers (`pods/log`, `pods/exec`).

The cluster implements it by routing to the kubelet of the pod's node. `logs` yields the log as
raw bytes (lines end in newlines; with `timestamps` each line starts with an RFC 3339 time and a
space, as the kubelet writes them); with `follow` it keeps yielding until the container stops or the
caller stops iterating. Failures are `kubelite.api.errors.APIError`s (a pod that is not running on any
node is a 404 or 400, as the kubelet reports it); the transport answers them with a Status when
nothing was sent yet.

`exec` is awaited first: that checks the pod and container and raises the `APIError` the transport
answers before upgrading the connection (a container not in the pod or not running is a 400). The
iterator it returns then yields `ExecOutput` chunks (stdout or stderr) and ends with exactly one
`ExecExit` carrying the command's exit code. `stdin` is None when the request asked for none; an
implementation that cannot feed stdin raises `BadRequest` from the awaited call.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol


@dataclass(frozen=True, slots=True)
class ExecOutput:
    """A chunk of the command's output on stream 1 (stdout) or 2 (stderr)."""

    stream: Literal[1, 2]
    data: bytes


@dataclass(frozen=True, slots=True)
class ExecExit:
    """The command ended with `code` (the last item of an exec's output)."""

    code: int


ExecItem = ExecOutput | ExecExit


class PodStreams(Protocol):
    def logs(
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
        """The container's log; `container` is "" when the request named none."""
        ...

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
        """Run `command` in the container; raises an `APIError` before anything runs."""
        ...
