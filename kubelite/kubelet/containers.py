"""Starting one container (which ones, and when: `kubelite.kubelet.startorder`); restarts with
crash-loop back-off (KUB-6: the first restart is immediate, then 10 s doubling to 300 s, shown as
`CrashLoopBackOff` with upstream's message); image pulls by policy (KUB-3); CPU and memory
requests and limits as cgroup settings (`kubelite.kubelet.resources`); environment and volumes (a
missing ConfigMap or Secret is `CreateContainerConfigError`); postStart hooks, exec, httpGet or
sleep (`kubelite.kubelet.hooks`; a failure kills the container). A runtime that refuses to create
or start a container shows as the waiting reason `CreateContainerError` / `RunContainerError`
with the runtime's message and a Warning `Failed` event "Error: <message>", as upstream's kubelet
reports them; the pod worker tries again after 10 s.
"""

from __future__ import annotations

import msgspec

from kubelite.api.core import Container, Pod
from kubelite.cri import (
    ContainerConfig,
    ContainerMetadata,
    CRIError,
    KeyValue,
)
from kubelite.cri import ContainerStatus as CRIStatus
from kubelite.kubelet.context import fetcher
from kubelite.kubelet.env import ConfigError, resolve_env
from kubelite.kubelet.hooks import run_hook
from kubelite.kubelet.podstate import CONTAINER_NAME_LABEL
from kubelite.kubelet.resources import container_resources
from kubelite.kubelet.sandboxes import SandboxMixin

RUNTIME_RETRY = 10.0
"""Seconds before a pod worker retries after a failed runtime call (upstream's backOffPeriod)."""


def go_duration(seconds: float) -> str:
    """Go's `time.Duration` text for whole seconds: 10s, 1m20s, 5m0s."""
    whole = int(seconds)
    minutes, rest = divmod(whole, 60)
    return f"{minutes}m{rest}s" if minutes else f"{rest}s"


def should_restart(policy: str, exit_code: int) -> bool:
    """KUB-5."""
    return policy == "Always" or (policy == "OnFailure" and exit_code != 0)


class ContainersMixin(SandboxMixin):
    """The container-starting part of a pod worker (see the module docstring)."""

    async def _restart(self, container: Container, status: CRIStatus) -> None:
        """KUB-6: the first restart is immediate, later ones wait out the back-off."""
        backoff, key = self.ctx.crash_backoff, f"{self.uid}/{container.name}"
        if backoff.in_backoff_since(key, status.finished_at):
            delay = backoff.delay(key)
            meta = self.pod.metadata
            pod_ref = f"{meta.name}_{meta.namespace}({self.uid})"
            message = (
                f"back-off {go_duration(delay)} restarting failed container={container.name} pod={pod_ref}"
            )
            if self.waiting.get(container.name, ("",))[0] != "CrashLoopBackOff":
                self.ctx.record(
                    self.pod,
                    "Warning",
                    "BackOff",
                    f"Back-off restarting failed container {container.name} in pod {pod_ref}",
                )
            self.waiting[container.name] = ("CrashLoopBackOff", message)
            self._wakes.append(backoff.remaining(key, status.finished_at))
            return
        backoff.next(key, status.finished_at)
        if await self._start(container, status.metadata.attempt + 1):
            older = self.previous.get(container.name)
            self.previous[container.name] = status
            if older is not None:
                await self._remove_quietly(older.id)

    async def _start(self, container: Container, attempt: int) -> bool:
        """Pull, configure, create and start one container; False (and a waiting reason) if not."""
        ctx, pod = self.ctx, self.pod
        if self._holding(container.name):
            return False

        def record(type: str, reason: str, message: str) -> None:
            ctx.record(pod, type, reason, message)

        waiting = await ctx.images.ensure(pod, container, record)
        if waiting is not None:
            self.waiting[container.name] = (waiting.reason, waiting.message)
            if waiting.retry_in is not None:
                self._wakes.append(waiting.retry_in)
            return False
        try:
            envs = await resolve_env(container, self._with_ips(), fetcher(ctx.client, pod.metadata.namespace))
            mounts = await ctx.volumes.mounts(pod, container)
        except ConfigError as err:
            return self._runtime_failed(container, "CreateContainerConfigError", str(err))
        config = ContainerConfig(
            metadata=ContainerMetadata(name=container.name, attempt=attempt),
            image=container.image,
            command=tuple(container.command),
            args=tuple(container.args),
            working_dir=container.working_dir,
            envs=tuple(KeyValue(key=k, value=v) for k, v in envs),
            mounts=mounts,
            labels={**self._labels(), CONTAINER_NAME_LABEL: container.name},
            stdin=container.stdin,
            tty=container.tty,
            resources=container_resources(container),
        )
        try:
            container_id = await ctx.runtime.create_container(self.sandbox_id, config, self._sandbox_config())
        except CRIError as err:
            return self._runtime_failed(container, "CreateContainerError", str(err))
        record("Normal", "Created", f"Created container {container.name}")
        return await self._start_created(container, container_id)

    async def _start_created(self, container: Container, container_id: str) -> bool:
        """Start a created container and run its postStart hook; a start the runtime refuses is
        `RunContainerError` (the container stays created; the next try is in 10 s)."""
        if self._holding(container.name):
            return False
        try:
            await self.ctx.runtime.start_container(container_id)
        except CRIError as err:
            return self._runtime_failed(container, "RunContainerError", str(err))
        self.ctx.record(self.pod, "Normal", "Started", f"Started container {container.name}")
        self.waiting.pop(container.name, None)
        await self._post_start(container, container_id)
        return True

    def _runtime_failed(self, container: Container, reason: str, message: str) -> bool:
        """As upstream: the container waits with `reason` and the runtime's message, a Warning
        `Failed` event says "Error: <message>", and the pod worker tries again after 10 s."""
        self.waiting[container.name] = (reason, message)
        self.ctx.record(self.pod, "Warning", "Failed", f"Error: {message}")
        self._hold(container.name, RUNTIME_RETRY)
        return False

    async def _post_start(self, container: Container, container_id: str) -> None:
        """Run the postStart hook; a failing one kills the container (restart policy applies)."""
        hook = container.lifecycle.post_start if container.lifecycle is not None else None
        if hook is None:
            return
        failure = await run_hook(
            self.ctx, self.pod, container, container_id, self.sandbox_ip, hook, self._grace()
        )
        if failure:
            self.ctx.record(self.pod, "Warning", "FailedPostStartHook", failure)
            await self.ctx.runtime.stop_container(container_id, self._grace())

    def _with_ips(self) -> Pod:
        status = msgspec.structs.replace(
            self.pod.status, pod_ip=self.sandbox_ip, host_ip=self.ctx.config.node_ip
        )
        return msgspec.structs.replace(self.pod, status=status)
