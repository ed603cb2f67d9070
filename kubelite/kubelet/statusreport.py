"""The pod status a worker reports: container statuses (KUB-4), phase (KUB-7), conditions (KUB-11),
IPs and start time (KUB-14), written with a strategic merge patch only when it differs from the
stored status (so other writers' conditions survive and a no-op sync writes nothing).
"""

from __future__ import annotations

import msgspec

from kubelite.api.core import Container, ContainerStatus, HostIP, Pod, PodIP, PodStatus
from kubelite.client import PatchType
from kubelite.client.errors import NotFound
from kubelite.clock import rfc3339
from kubelite.cri import ContainerState
from kubelite.cri import ContainerStatus as CRIStatus
from kubelite.kubelet.conditions import pod_conditions
from kubelite.kubelet.phase import pod_phase
from kubelite.kubelet.podstate import PodState
from kubelite.kubelet.podstatus import container_status, qos_class


class StatusMixin(PodState):
    """The status-reporting part of a pod worker (see the module docstring)."""

    def _container_statuses(
        self, current: dict[str, CRIStatus]
    ) -> tuple[list[ContainerStatus], list[ContainerStatus]]:
        ctx = self.ctx
        init_running = any(
            current.get(c.name) is None
            or current[c.name].state is not ContainerState.EXITED
            or current[c.name].exit_code != 0
            for c in self.pod.spec.init_containers
        )

        def one(container: Container, default: str) -> ContainerStatus:
            status = current.get(container.name)
            previous = self.previous.get(container.name)
            probes = self.probes.get(container.name)
            return container_status(
                container,
                status,
                container_id=ctx.container_id(status.id) if status is not None else "",
                waiting=self.waiting.get(container.name),
                previous=previous,
                previous_id=ctx.container_id(previous.id) if previous is not None else "",
                ready=probes.ready if probes is not None else True,
                started=probes.started if probes is not None else True,
                default_waiting=default,
            )

        init = [one(c, "PodInitializing") for c in self.pod.spec.init_containers]
        app_default = "PodInitializing" if init_running else "ContainerCreating"
        app = [one(c, app_default) for c in self.pod.spec.containers]
        return init, app

    async def _report(self, current: dict[str, CRIStatus], *, phase: str | None = None) -> str:
        init, app = self._container_statuses(current)
        policy = self.pod.spec.restart_policy or "Always"
        if phase is None:
            phase = pod_phase(policy, init, app)
        now = self.ctx.clock.now()
        status = self._status(phase, init, app, now)
        await self._write(status)
        return phase

    def _status(
        self, phase: str, init: list[ContainerStatus], app: list[ContainerStatus], now: float
    ) -> PodStatus:
        pod, node_ip = self.pod, self.ctx.config.node_ip
        conditions = pod_conditions(
            pod, sandbox_ready=bool(self.sandbox_id), init=init, app=app, phase=phase, now=now
        )
        ip = self.sandbox_ip
        return msgspec.structs.replace(
            pod.status,
            phase=phase,
            conditions=conditions,
            host_ip=node_ip,
            host_ips=[HostIP(ip=node_ip)],
            pod_ip=ip,
            pod_ips=[PodIP(ip=ip)] if ip else [],
            start_time=rfc3339(self.start_time) if self.start_time is not None else None,
            init_container_statuses=init,
            container_statuses=app,
            qos_class=pod.status.qos_class or qos_class(pod),
        )

    async def _write(self, status: PodStatus) -> None:
        if status == self.pod.status:
            return
        body = {"status": msgspec.to_builtins(status)}
        meta = self.pod.metadata
        try:
            updated = await self.ctx.client.patch_status(
                Pod, meta.name, body, meta.namespace, patch_type=PatchType.STRATEGIC
            )
        except NotFound:
            self.removed = True
            return
        if updated.metadata.uid == self.uid:
            self.pod = updated

    async def _write_terminal(self, phase: str, reason: str, message: str) -> None:
        current = await self.observe()
        init, app = self._container_statuses(current)
        status = self._status(phase, init, app, self.ctx.clock.now())
        await self._write(msgspec.structs.replace(status, reason=reason, message=message))
        self.terminal = phase
