"""The pod status a worker reports: container statuses (KUB-4), phase (KUB-7), conditions (KUB-11),
IPs and start time (KUB-14).

Contract: the status is derived from the worker's latest copy of the pod (other writers' conditions
and fields are kept) and written only when it differs from the stored one, as a full update of the
`status` subresource with the copy's resourceVersion as precondition. A full update expresses
removals (a condition that turns True loses its old reason and message) and is the cheapest write
through the apiserver (no patch to apply, no unknown-field walk). On a 409 Conflict the worker reads
the pod again and derives the status anew (up to `WRITE_ATTEMPTS` times; then the Conflict is
raised and the sync is retried with back-off); a pod that is gone (or replaced by one with another
UID) marks the worker removed. An answer never replaces a copy the watch delivered while the call
was under way: that copy may be newer (e.g. carry the deletionTimestamp of a DELETE whose event
overtook the answer), and an older one is corrected by the next event or conflict.

`_report_before_sandbox()` writes the status a pod has while it has no ready sandbox, before one
is created (upstream's kubelet reports before it starts anything): on first sight Pending,
PodReadyToStartContainers False, no pod IP, containers waiting; after the sandbox died,
PodReadyToStartContainers False and the containers as they ended. A pod reported terminal gives its
sandbox back first, so its final status shows PodReadyToStartContainers False too.
"""

from __future__ import annotations

from collections.abc import Callable

import msgspec

from kubelite.api.core import Container, ContainerStatus, HostIP, Pod, PodIP, PodStatus
from kubelite.client.errors import Conflict, NotFound
from kubelite.clock import rfc3339
from kubelite.cri import ContainerState, CRIError, PodSandboxState
from kubelite.cri import ContainerStatus as CRIStatus
from kubelite.kubelet.conditions import pod_conditions
from kubelite.kubelet.phase import TERMINAL, pod_phase
from kubelite.kubelet.podstatus import container_status, init_succeeded, qos_class
from kubelite.kubelet.probing import ProbesMixin, is_sidecar
from kubelite.kubelet.sandboxes import SandboxMixin

WRITE_ATTEMPTS = 5


class StatusMixin(ProbesMixin, SandboxMixin):
    """The status-reporting part of a pod worker (see the module docstring)."""

    def _probe_flags(self, container: Container, status: CRIStatus | None, probed: bool) -> tuple[bool, bool]:
        """(ready, started) of the container instance from its probes (KUB-10)."""
        if status is None or status.state is not ContainerState.RUNNING:
            return False, False
        if not probed:
            return False, True  # a regular init container: ready only once it has exited 0
        probes = self._instance_probes(container, status)
        return probes.ready, probes.started

    def _one(self, container: Container, current: dict[str, CRIStatus], *, init: bool) -> ContainerStatus:
        ctx, status = self.ctx, current.get(container.name)
        previous = self.previous.get(container.name)
        regular_init = init and not is_sidecar(container)
        ready, started = self._probe_flags(container, status, probed=not regular_init)
        api = container_status(
            container,
            status,
            container_id=ctx.container_id(status.id) if status is not None else "",
            waiting=self.waiting.get(container.name),
            previous=previous,
            previous_id=ctx.container_id(previous.id) if previous is not None else "",
            ready=ready,
            started=started,
            default_waiting="PodInitializing" if self.pod.spec.init_containers else "ContainerCreating",
        )
        if regular_init and init_succeeded(api):
            api = msgspec.structs.replace(api, ready=True)  # a finished init container is ready
        return api

    def _container_statuses(
        self, current: dict[str, CRIStatus]
    ) -> tuple[list[ContainerStatus], list[ContainerStatus]]:
        spec = self.pod.spec
        init = [self._one(c, current, init=True) for c in spec.init_containers]
        return init, [self._one(c, current, init=False) for c in spec.containers]

    def _phase(self, init: list[ContainerStatus], app: list[ContainerStatus]) -> str:
        spec = self.pod.spec
        sidecars = {c.name for c in spec.init_containers if is_sidecar(c)}
        return pod_phase(spec.restart_policy or "Always", init, app, sidecars=sidecars)

    async def _report_before_sandbox(self) -> None:
        """Before a sandbox is (re)created: the status without one (see the module docstring)."""
        if self.sandbox_id:
            try:
                alive = (await self.ctx.runtime.pod_sandbox_status(self.sandbox_id)).state
            except CRIError:
                alive = PodSandboxState.NOTREADY
            if alive is not PodSandboxState.READY:
                await self._report(await self.observe(), sandbox_ready=False)
            return
        status = self.pod.status
        if not (status.container_statuses or status.init_container_statuses):
            await self._report({}, sandbox_ready=False)  # first sight (not a kubelet restart)

    async def _report(
        self, current: dict[str, CRIStatus], *, phase: str | None = None, sandbox_ready: bool = True
    ) -> str:
        init, app = self._container_statuses(current)
        if phase is None:
            phase = self._phase(init, app)
        if phase in TERMINAL:
            await self._stop_sandbox()
        ready = sandbox_ready and bool(self.sandbox_id) and phase not in TERMINAL
        now = self.ctx.clock.now()
        await self._write(lambda: self._status(phase, init, app, ready, now))
        return phase

    def _status(
        self,
        phase: str,
        init: list[ContainerStatus],
        app: list[ContainerStatus],
        sandbox_ready: bool,
        now: float,
    ) -> PodStatus:
        pod, node_ip = self.pod, self.ctx.config.node_ip
        conditions = pod_conditions(
            pod, sandbox_ready=sandbox_ready, init=init, app=app, phase=phase, now=now
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

    async def _write(self, build: Callable[[], PodStatus]) -> None:
        """Write `build()` (derived from `self.pod`) unless unchanged; see the module docstring."""
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            status = build()
            sent = self.pod
            if status == sent.status:
                return
            try:
                updated = await self.ctx.client.update_status(msgspec.structs.replace(sent, status=status))
            except NotFound:
                self.removed = True
                return
            except Conflict:
                if attempt == WRITE_ATTEMPTS:
                    raise
                if not await self._reread():
                    return
                continue
            self._adopt(sent, updated)
            return

    async def _reread(self) -> bool:
        """The latest stored copy of this pod into `self.pod`; False (and removed) if it is gone."""
        asked = self.pod
        try:
            fresh = await self.ctx.client.get(Pod, asked.metadata.name, asked.metadata.namespace)
        except NotFound:
            fresh = None
        if fresh is None or fresh.metadata.uid != self.uid:
            self.removed = True
            return False
        self._adopt(asked, fresh)
        return True

    def _adopt(self, before: Pod, answer: Pod) -> None:
        """Take an API answer as the worker's copy, unless a newer copy came from the watch while
        the call was under way (`update()` replaced `before`): the answer may then predate it (a
        DELETE's event can overtake the answer to a status write) and would undo the deletion."""
        if self.pod is before and answer.metadata.uid == self.uid:
            self.pod = answer

    async def _write_terminal(self, phase: str, reason: str, message: str) -> None:
        current = await self.observe()
        init, app = self._container_statuses(current)
        await self._stop_sandbox()
        now = self.ctx.clock.now()

        def build() -> PodStatus:
            status = self._status(phase, init, app, False, now)
            return msgspec.structs.replace(status, reason=reason, message=message)

        await self._write(build)
        self.terminal = phase
