"""The runtime protocols, shaped after the Kubernetes CRI's RuntimeService and ImageService.

Contract for every backend:
- Calls are async and raise only `kubelite.cri.errors` types.
- Ids are opaque strings chosen by the runtime; they are never reused.
- `stop_pod_sandbox` stops every container in the sandbox; `remove_pod_sandbox` removes them too.
  Both are idempotent; so are `stop_container` and `remove_container` on a container already in the
  target state. Removing an unknown id raises the matching NotFound error.
- `stop_container(id, grace_period)` sends SIGTERM, waits up to `grace_period` seconds on the runtime's clock,
  then SIGKILLs; the container ends EXITED with 143 or 137 unless its process exited first.
- `container_events()` yields every lifecycle change from the moment it is called, in order. The
  kubelet uses it to learn of exits without polling; `list_containers` remains the source of truth.
- `logs` yields the container's output lines; with `follow` it keeps yielding until the container
  exits. Logs survive until the container is removed.
- `exec_sync` runs a command in a running container and waits at most `timeout_seconds`
  (a timeout raises `CRIError`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol

import msgspec

from kubelite.cri.container import (
    ContainerConfig,
    ContainerEvent,
    ContainerFilter,
    ContainerInfo,
    ContainerStatus,
    ExecResult,
    LogLine,
    LogOptions,
)
from kubelite.cri.image import ImageFilter, ImageInfo, ImageSpec
from kubelite.cri.sandbox import PodSandboxConfig, PodSandboxFilter, PodSandboxInfo, PodSandboxStatus


class RuntimeVersion(msgspec.Struct, kw_only=True, frozen=True):
    runtime_name: str
    runtime_version: str
    runtime_api_version: str = "v1"


class RuntimeService(Protocol):
    """Pod sandboxes and containers."""

    async def version(self) -> RuntimeVersion: ...

    async def run_pod_sandbox(self, config: PodSandboxConfig) -> str: ...

    async def stop_pod_sandbox(self, sandbox_id: str) -> None: ...

    async def remove_pod_sandbox(self, sandbox_id: str) -> None: ...

    async def pod_sandbox_status(self, sandbox_id: str) -> PodSandboxStatus: ...

    async def list_pod_sandbox(self, filter: PodSandboxFilter | None = None) -> list[PodSandboxInfo]: ...

    async def create_container(
        self, sandbox_id: str, config: ContainerConfig, sandbox_config: PodSandboxConfig
    ) -> str: ...

    async def start_container(self, container_id: str) -> None: ...

    async def stop_container(self, container_id: str, grace_period: float) -> None: ...

    async def remove_container(self, container_id: str) -> None: ...

    async def container_status(self, container_id: str) -> ContainerStatus: ...

    async def list_containers(self, filter: ContainerFilter | None = None) -> list[ContainerInfo]: ...

    async def exec_sync(self, container_id: str, cmd: list[str], timeout_seconds: float) -> ExecResult: ...

    def logs(self, container_id: str, options: LogOptions) -> AsyncIterator[LogLine]: ...

    def container_events(self) -> AsyncIterator[ContainerEvent]: ...


class ImageService(Protocol):
    """Images on the node."""

    async def list_images(self, filter: ImageFilter | None = None) -> list[ImageInfo]: ...

    async def image_status(self, image: ImageSpec) -> ImageInfo | None: ...

    async def pull_image(self, image: ImageSpec) -> str: ...

    async def remove_image(self, image: ImageSpec) -> None: ...
