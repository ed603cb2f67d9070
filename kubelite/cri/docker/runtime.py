"""`DockerRuntime`: the CRI `RuntimeService` over a Docker daemon (through aiodocker).

Contract (beyond `kubelite.cri.service`):
- A pod sandbox is a container running `sandbox_command` from `sandbox_image` that holds the pod's
  network and IPC namespaces; app containers join them (see `kubelite.cri.docker.specs`), so the
  containers of a pod share 127.0.0.1. Ids are the daemon's container ids.
- State lives in the daemon only: every container carries `io.kubelite.*` labels (see
  `kubelite.cri.docker.labels`) naming this runtime (`name`), so lists are daemon-side label
  filters, a restarted kubelite finds its pods again, and runtimes with different names can share one
  daemon. An id that belongs to another runtime, or is a sandbox where a container is expected (or
  the reverse), is not found.
- `stop_container(id, grace)` is the daemon's stop: SIGTERM, SIGKILL once `grace` seconds (rounded up
  to whole seconds, the API's unit) have passed on the daemon's real clock; it returns when the
  container has stopped. Stopping a sandbox SIGKILLs its running containers and then the sandbox
  (the kubelet stops containers gracefully before); removing one force-removes its containers and
  then itself. Removing a running container SIGKILLs it.
- `start_container` accepts only a CREATED container in a READY sandbox; `create_container` needs a
  READY sandbox and a present image (else `ImageNotFound`; this runtime never pulls app images). A
  missing sandbox image is pulled once (`ImagePullError` if that fails).
- Exit codes, reasons and times, and the sandbox IP rules, are in `kubelite.cri.docker.views`;
  logs in `...docker.logs`, exec in `...docker.execs`, events in `...docker.events`.
- Failures are `kubelite.cri.errors` types (see `kubelite.cri.docker.failures`): 404 becomes
  `ContainerNotFound` / `SandboxNotFound` / `ImageNotFound`, an unreachable daemon
  `RuntimeUnavailable`.
- `data_dir` is this runtime's directory for per-pod files; everything this backend needs is kept
  in the daemon, so it only records it.
The caller owns the `aiodocker.Docker` client and closes it.
"""

from __future__ import annotations

import math
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiodocker
from aiodocker.exceptions import DockerError

from kubelite.cri.container import (
    ContainerConfig,
    ContainerEvent,
    ContainerFilter,
    ContainerInfo,
    ContainerState,
    ContainerStatus,
    ExecResult,
    LogLine,
    LogOptions,
)
from kubelite.cri.docker import events, execs, logs, views
from kubelite.cri.docker import labels as kl
from kubelite.cri.docker.endpoints import get_json
from kubelite.cri.docker.failures import daemon_errors
from kubelite.cri.docker.images import DockerImageService
from kubelite.cri.docker.specs import container_spec, sandbox_spec
from kubelite.cri.docker.wire import Inspect, Row, decode
from kubelite.cri.errors import (
    ContainerNotFound,
    CRIError,
    ImageNotFound,
    InvalidConfig,
    SandboxNotFound,
)
from kubelite.cri.image import ImageSpec
from kubelite.cri.sandbox import (
    PodSandboxConfig,
    PodSandboxFilter,
    PodSandboxInfo,
    PodSandboxStatus,
)
from kubelite.cri.service import RuntimeVersion

SANDBOX_COMMAND = ("sleep", "2147483647")
"""Sleeps for 68 years. As PID 1 it ignores SIGTERM, so the sandbox is always SIGKILLed."""


class DockerRuntime:
    """Implements `kubelite.cri.RuntimeService` on the daemon `docker` talks to."""

    def __init__(
        self,
        docker: aiodocker.Docker,
        *,
        data_dir: Path,
        sandbox_image: str,
        sandbox_command: tuple[str, ...] | list[str] = SANDBOX_COMMAND,
        network: str = "none",
        name: str = "docker",
    ) -> None:
        self._docker = docker
        self._sandbox_image = sandbox_image
        self._sandbox_command = list(sandbox_command)
        self._network = network
        self._name = name
        self.data_dir = data_dir

    @property
    def name(self) -> str:
        return self._name

    async def version(self) -> RuntimeVersion:
        with daemon_errors():
            found = await self._docker.version()
        return RuntimeVersion(runtime_name=self._name, runtime_version=str(found.get("Version", "unknown")))

    # -- sandboxes -----------------------------------------------------------------------------

    async def run_pod_sandbox(self, config: PodSandboxConfig) -> str:
        spec = sandbox_spec(
            config,
            image=self._sandbox_image,
            command=self._sandbox_command,
            network=self._network,
            labels=kl.sandbox_labels(self._name, config),
        )
        name = kl.docker_name(self._name, kl.SANDBOX, config.metadata, None)
        try:
            sandbox_id = await self._create(spec, name)
        except ImageNotFound:
            await DockerImageService(self._docker).pull_image(ImageSpec(image=self._sandbox_image))
            sandbox_id = await self._create(spec, name)
        await self._start_or_discard(sandbox_id)
        return sandbox_id

    async def stop_pod_sandbox(self, sandbox_id: str) -> None:
        await self._inspect(sandbox_id, kl.SANDBOX)
        for row in await self._rows(kl.CONTAINER, own={kl.SANDBOX_ID: sandbox_id}):
            if views.container_state(row.state) is ContainerState.RUNNING:
                await self._kill(row.id, ContainerNotFound)
        await self._kill(sandbox_id, SandboxNotFound)

    async def remove_pod_sandbox(self, sandbox_id: str) -> None:
        await self._inspect(sandbox_id, kl.SANDBOX)
        for row in await self._rows(kl.CONTAINER, own={kl.SANDBOX_ID: sandbox_id}):
            await self._delete(row.id, missing_ok=True)
        await self._delete(sandbox_id, missing_ok=False, not_found=SandboxNotFound)

    async def pod_sandbox_status(self, sandbox_id: str) -> PodSandboxStatus:
        return views.sandbox_status(await self._inspect(sandbox_id, kl.SANDBOX))

    async def list_pod_sandbox(self, filter: PodSandboxFilter | None = None) -> list[PodSandboxInfo]:
        filter = filter or PodSandboxFilter()
        rows = await self._rows(kl.SANDBOX, selector=filter.label_selector, id=filter.id)
        found = [views.sandbox_info(row) for row in rows]
        return [info for info in found if filter.state is None or info.state is filter.state]

    # -- containers ----------------------------------------------------------------------------

    async def create_container(
        self, sandbox_id: str, config: ContainerConfig, sandbox_config: PodSandboxConfig
    ) -> str:
        sandbox = await self._inspect(sandbox_id, kl.SANDBOX)
        if not sandbox.state.running:
            raise InvalidConfig(f"pod sandbox {sandbox_id} is not ready")
        if await DockerImageService(self._docker).image_status(ImageSpec(image=config.image)) is None:
            raise ImageNotFound(f"image {config.image!r} is not present on {self._name}")
        labels = kl.container_labels(self._name, sandbox_id, config, sandbox_config)
        spec = container_spec(config, sandbox_id=sandbox_id, labels=labels)
        name = kl.docker_name(self._name, kl.CONTAINER, sandbox_config.metadata, config.metadata)
        return await self._create(spec, name)

    async def start_container(self, container_id: str) -> None:
        found = await self._inspect(container_id, kl.CONTAINER)
        state = views.container_state(found.state.status)
        if state is not ContainerState.CREATED:
            raise InvalidConfig(f"container {container_id} is {state.name}, not CREATED")
        sandbox = await self._inspect(found.labels.get(kl.SANDBOX_ID, ""), kl.SANDBOX)
        if not sandbox.state.running:
            raise InvalidConfig(f"pod sandbox {sandbox.id} is not ready")
        with daemon_errors(ContainerNotFound):
            await self._docker.containers.container(container_id).start()

    async def stop_container(self, container_id: str, grace_period: float) -> None:
        found = await self._inspect(container_id, kl.CONTAINER)
        if views.container_state(found.state.status) is not ContainerState.RUNNING:
            return
        with daemon_errors(ContainerNotFound):
            await self._docker.containers.container(container_id).stop(t=math.ceil(max(0.0, grace_period)))

    async def remove_container(self, container_id: str) -> None:
        await self._inspect(container_id, kl.CONTAINER)
        await self._delete(container_id, missing_ok=False, not_found=ContainerNotFound)

    async def container_status(self, container_id: str) -> ContainerStatus:
        return views.container_status(await self._inspect(container_id, kl.CONTAINER))

    async def list_containers(self, filter: ContainerFilter | None = None) -> list[ContainerInfo]:
        filter = filter or ContainerFilter()
        own = {kl.SANDBOX_ID: filter.pod_sandbox_id} if filter.pod_sandbox_id else {}
        rows = await self._rows(kl.CONTAINER, selector=filter.label_selector, own=own, id=filter.id)
        found = [views.container_info(row) for row in rows]
        return [info for info in found if filter.state is None or info.state is filter.state]

    async def exec_sync(self, container_id: str, cmd: list[str], timeout_seconds: float) -> ExecResult:
        if not cmd:
            raise InvalidConfig("exec needs a command")
        found = await self._inspect(container_id, kl.CONTAINER)
        if not found.state.running:
            raise InvalidConfig(f"container {container_id} is not running ({found.state.status})")
        with daemon_errors(ContainerNotFound):
            return await execs.run(self._docker, container_id, list(cmd), timeout_seconds)

    async def logs(self, container_id: str, options: LogOptions) -> AsyncIterator[LogLine]:
        found = await self._inspect(container_id, kl.CONTAINER)
        with daemon_errors(ContainerNotFound):
            async for line in logs.read_logs(self._docker, container_id, options, tty=found.config.tty):
                yield line

    def container_events(self) -> AsyncIterator[ContainerEvent]:
        return self._events(time.time())

    async def _events(self, since: float) -> AsyncIterator[ContainerEvent]:
        with daemon_errors():
            async for event in events.watch(self._docker, self._name, since):
                yield event

    # -- helpers -------------------------------------------------------------------------------

    async def _inspect(self, container_id: str, kind: str) -> Inspect:
        """The daemon's view of one of this runtime's `kind`s; NotFound for any other id."""
        not_found = ContainerNotFound if kind == kl.CONTAINER else SandboxNotFound
        with daemon_errors(not_found):
            data = await self._docker.containers.container(container_id).show()
        found = decode(data, Inspect)
        if found.id != container_id or not kl.is_own(found.labels, self._name, kind):
            raise not_found(
                f"{'container' if kind == kl.CONTAINER else 'pod sandbox'} {container_id!r} not found"
            )
        return found

    async def _rows(
        self,
        kind: str,
        *,
        selector: dict[str, str] | None = None,
        own: dict[str, str] | None = None,
        id: str = "",
    ) -> list[Row]:
        filters: dict[str, Any] = kl.filters(self._name, kind, selector or {}, own)
        if id:
            filters["id"] = [id]
        with daemon_errors():
            data = await get_json(self._docker, "containers/json", {"all": "1", "filters": filters})
        rows = [decode(item, Row) for item in data]
        return [row for row in rows if not id or row.id == id]

    async def _create(self, spec: dict[str, Any], name: str) -> str:
        with daemon_errors(ImageNotFound):
            created = await self._docker.containers.create(spec, name=name)
        return created.id

    async def _start_or_discard(self, container_id: str) -> None:
        try:
            with daemon_errors(SandboxNotFound):
                await self._docker.containers.container(container_id).start()
        except CRIError:
            await self._delete(container_id, missing_ok=True)
            raise

    async def _kill(self, container_id: str, not_found: Callable[[str], CRIError]) -> None:
        """SIGKILL, then wait until the container is no longer running (a stopped one is left)."""
        container = self._docker.containers.container(container_id)
        try:
            with daemon_errors(not_found):
                await container.kill(signal="SIGKILL")
        except InvalidConfig:
            pass  # 409: not running
        with daemon_errors(not_found):
            await container.wait(condition="not-running")

    async def _delete(
        self, container_id: str, *, missing_ok: bool, not_found: Callable[[str], CRIError] = ContainerNotFound
    ) -> None:
        with daemon_errors(not_found):
            try:
                await self._docker.containers.container(container_id).delete(force=True, v=True)
            except DockerError as error:
                if not (missing_ok and error.status == 404):
                    raise
