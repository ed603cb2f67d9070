"""Running a pod's due probes (KUB-10): startup first, then liveness and readiness; a liveness or
startup failure at its threshold kills the container (event `Killing`), and the restart policy
decides what follows. The next due time joins the worker's wake-ups.

Probe state belongs to one container *instance*: `_instance_probes(container, status)` returns the
trackers of the instance `status` describes, starting fresh ones (readiness Failure, startup
unknown) the first time an instance is seen, so a container that just started or restarted is not
ready, and not started while it has a startup probe, until its probes say so. App containers and
sidecars (init containers with `restartPolicy: Always`) are probed; regular init containers have no
probes.
"""

from __future__ import annotations

from kubelite.api.core import Container
from kubelite.cri import ContainerState
from kubelite.cri import ContainerStatus as CRIStatus
from kubelite.kubelet.podstate import PodState
from kubelite.kubelet.prober import LIVENESS, STARTUP, ContainerProbes, run_probe


def is_sidecar(container: Container) -> bool:
    """An init container that keeps running beside the app containers (restartPolicy Always)."""
    return container.restart_policy == "Always"


class ProbesMixin(PodState):
    """The probing part of a pod worker (see the module docstring)."""

    def _probed(self) -> list[Container]:
        spec = self.pod.spec
        return [*(c for c in spec.init_containers if is_sidecar(c)), *spec.containers]

    def _instance_probes(self, container: Container, status: CRIStatus) -> ContainerProbes:
        """The probe state of the container instance `status` describes (fresh for a new one)."""
        probes = self.probes.get(container.name)
        if probes is None or probes.container_id != status.id:
            probes = ContainerProbes.of(container, status.id, status.started_at)
            self.probes[container.name] = probes
            due = probes.next_due()
            if due is not None:
                self._wakes.append(max(0.0, due - self.ctx.clock.now()))
        return probes

    async def _probe(self, current: dict[str, CRIStatus]) -> bool:
        """Run due probes; True when a container was killed for failing one (KUB-10)."""
        killed = False
        for container in self._probed():
            status = current.get(container.name)
            if status is None or status.state is not ContainerState.RUNNING:
                self.probes.pop(container.name, None)
                continue
            probes = self._instance_probes(container, status)
            killed |= await self._run_due(container, status, probes)
            due = probes.next_due()
            if due is not None:
                self._wakes.append(due - self.ctx.clock.now())
        return killed

    async def _run_due(self, container: Container, status: CRIStatus, probes: ContainerProbes) -> bool:
        ctx = self.ctx
        for tracker in probes.due(ctx.clock.now()):
            ok = await run_probe(
                tracker.settings, container, status.id, self.sandbox_ip, ctx.runtime, ctx.network
            )
            flipped = tracker.record(ok, ctx.clock.now())
            if not ok:
                kind = tracker.kind.capitalize()
                ctx.record(self.pod, "Warning", "Unhealthy", f"{kind} probe failed")
            if flipped and not ok and tracker.kind in (LIVENESS, STARTUP):
                message = f"Container {container.name} failed {tracker.kind} probe, will be restarted"
                ctx.record(self.pod, "Normal", "Killing", message)
                await ctx.runtime.stop_container(status.id, self._grace())
                return True
        return False
