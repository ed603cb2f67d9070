"""`PodStreams`: how the HTTP transport reaches a pod's containers (`pods/log`; `pods/exec` later).

The cluster implements it by routing to the kubelet of the pod's node. `logs` yields the log as
raw bytes (lines end in newlines; with `timestamps` each line starts with an RFC 3339 time and a
space, as the kubelet writes them); with `follow` it keeps yielding until the container stops or the
caller stops iterating. Failures are `kubelite.api.errors.APIError`s (a pod that is not running on any
node is a 404 or 400, as the kubelet reports it); the transport answers them with a Status when
nothing was sent yet.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol


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
