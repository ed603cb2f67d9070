"""A pod's sandbox: created once per pod (again only if it dies), adopted after a kubelet restart,
stopped when the pod ends (releasing its IP), removed with everything else when the pod is gone
from the API (KUB-14). A sandbox the runtime refuses to create is reported as upstream does: a
Warning `FailedCreatePodSandBox` event "Failed to create pod sandbox: <error>", the pod stays
Pending with its containers `ContainerCreating`, and the worker tries again after 10 s.
"""

from __future__ import annotations

import contextlib

from kubelite.cri import (
    CRIError,
    PodSandboxConfig,
    PodSandboxFilter,
    PodSandboxMetadata,
    PodSandboxState,
    PortMapping,
)
from kubelite.kubelet.podstate import POD_UID_LABEL, PodState

SANDBOX_RETRY = 10.0
"""Seconds before a pod worker tries again to create a sandbox the runtime refused."""


class SandboxMixin(PodState):
    """The sandbox part of a pod worker (see the module docstring)."""

    def _sandbox_config(self) -> PodSandboxConfig:
        pod = self.pod
        ports = tuple(
            PortMapping(
                protocol=port.protocol or "TCP",
                container_port=port.container_port,
                host_port=port.host_port,
                host_ip=port.host_ip,
            )
            for container in pod.spec.containers
            for port in container.ports
            if port.host_port
        )
        return PodSandboxConfig(
            metadata=PodSandboxMetadata(
                name=pod.metadata.name,
                uid=self.uid,
                namespace=pod.metadata.namespace,
                attempt=self.sandbox_attempt,
            ),
            hostname=pod.spec.hostname or pod.metadata.name,
            host_network=pod.spec.host_network,
            port_mappings=ports,
            labels=self._labels(),
        )

    async def _ensure_sandbox(self) -> bool:
        """A ready sandbox: adopted, kept, or created; False (and a FailedCreatePodSandBox event,
        the next try in 10 s) when the runtime cannot create one."""
        runtime = self.ctx.runtime
        if not self.sandbox_id:
            await self._adopt_sandbox()
        if self.sandbox_id:
            status = await runtime.pod_sandbox_status(self.sandbox_id)
            if status.state is PodSandboxState.READY:
                return True
            await runtime.remove_pod_sandbox(self.sandbox_id)  # it died: start over (KUB-14)
            self.sandbox_attempt += 1
        self.ctx.wakers.pop(self.sandbox_id, None)
        self.sandbox_id = self.sandbox_ip = ""
        if self._holding(""):
            return False
        try:
            self.sandbox_id = await runtime.run_pod_sandbox(self._sandbox_config())
        except CRIError as err:
            message = f"Failed to create pod sandbox: {err}"
            self.ctx.record(self.pod, "Warning", "FailedCreatePodSandBox", message)
            self._hold("", SANDBOX_RETRY)
            return False
        self.ctx.wakers[self.sandbox_id] = self.wake
        status = await runtime.pod_sandbox_status(self.sandbox_id)
        self.sandbox_ip = self.ctx.config.node_ip if self.pod.spec.host_network else status.ip
        return True

    async def _adopt_sandbox(self) -> None:
        """After a kubelet restart: take over the pod's ready sandbox from the runtime, if any."""
        wanted = PodSandboxFilter(state=PodSandboxState.READY, label_selector={POD_UID_LABEL: self.uid})
        found = await self.ctx.runtime.list_pod_sandbox(wanted)
        if found:
            latest = max(found, key=lambda info: info.metadata.attempt)
            self.sandbox_id, self.sandbox_attempt = latest.id, latest.metadata.attempt
            self.ctx.wakers[self.sandbox_id] = self.wake
            status = await self.ctx.runtime.pod_sandbox_status(self.sandbox_id)
            self.sandbox_ip = self.ctx.config.node_ip if self.pod.spec.host_network else status.ip

    async def _stop_sandbox(self) -> None:
        if self.sandbox_id:
            with contextlib.suppress(CRIError):
                await self.ctx.runtime.stop_pod_sandbox(self.sandbox_id)

    async def _teardown(self) -> None:
        """The pod is gone from the API: kill and remove everything it had."""
        if self.sandbox_id:
            with contextlib.suppress(CRIError):
                await self.ctx.runtime.remove_pod_sandbox(self.sandbox_id)
        self.ctx.admission.release(self.uid)
        self.ctx.crash_backoff.forget_prefix(self.uid + "/")
        self.ctx.images.forget(self.uid)
        self.ctx.volumes.cleanup(self.uid)
        self.ctx.wakers.pop(self.sandbox_id, None)
        self.done = True
