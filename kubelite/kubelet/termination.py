"""Graceful termination (KUB-12): preStop hooks (exec, httpGet or sleep, `kubelite.kubelet.hooks`;
a failing one is a `FailedPreStopHook` event and the stop goes on), SIGTERM, SIGKILL when the grace
period runs out (at least 2 s after SIGTERM), a shortened deadline honoured at once, the terminal
phase reported (Succeeded iff every container exited 0), then DELETE with grace 0 and a UID
precondition.
"""

from __future__ import annotations

import contextlib

import anyio

from kubelite.api.core import Container, LifecycleHandler, Pod
from kubelite.api.meta import DeleteOptions, Preconditions
from kubelite.client.errors import Conflict, NotFound
from kubelite.cri import ContainerState, CRIError
from kubelite.cri import ContainerStatus as CRIStatus
from kubelite.kubelet.hooks import run_hook
from kubelite.kubelet.phase import terminated_phase
from kubelite.kubelet.sandboxes import SandboxMixin
from kubelite.kubelet.statusreport import StatusMixin


class TerminationMixin(StatusMixin, SandboxMixin):
    """The termination part of a pod worker (see the module docstring)."""

    async def _terminate(self) -> None:
        """KUB-12: stop everything within the grace period, report the end, delete the object.

        A later DELETE that moves the deadline earlier interrupts the stop, which starts over with
        the new, shorter grace period (as the kubelet does; never extended). A worker that starts
        here (the kubelet restarted mid-termination) first adopts the pod's sandbox, so what runs
        in it is stopped before the object goes."""
        if not self.sandbox_id:
            await self._adopt_sandbox()
        grace = self._grace()
        while True:
            with anyio.CancelScope() as scope:
                self._stopping = scope
                await self._stop_containers(grace)
            self._stopping = None
            if not scope.cancel_called:
                break
            grace = max(0.0, min(grace, self._grace()))
        current = await self.observe()
        _, app = self._container_statuses(current)
        phase = terminated_phase(app)
        await self._stop_sandbox()
        self.ctx.admission.release(self.uid)
        await self._report(current, phase=phase)
        self.terminal = phase
        await self._final_delete()

    async def _stop_containers(self, grace: float) -> None:
        current = await self.observe()
        by_name = {c.name: c for c in [*self.pod.spec.init_containers, *self.pod.spec.containers]}
        running = [s for s in current.values() if s.state is ContainerState.RUNNING]
        async with anyio.create_task_group() as group:
            for status in running:
                group.start_soon(self._kill, by_name.get(status.metadata.name), status, grace)

    async def _kill(self, container: Container | None, status: CRIStatus, grace: float) -> None:
        ctx = self.ctx
        name = status.metadata.name
        ctx.record(self.pod, "Normal", "Killing", f"Stopping container {name}")
        started = ctx.clock.now()
        hook = container.lifecycle.pre_stop if container is not None and container.lifecycle else None
        if container is not None and hook is not None and grace > 0:
            await self._pre_stop(container, hook, status, grace)
        left = max(grace - (ctx.clock.now() - started), ctx.config.minimum_grace_period if grace > 0 else 0)
        with contextlib.suppress(CRIError):
            await ctx.runtime.stop_container(status.id, left)

    async def _pre_stop(
        self, container: Container, hook: LifecycleHandler, status: CRIStatus, grace: float
    ) -> None:
        """Run the preStop hook within the grace period; a failure is an event, and the stop goes on."""
        failure = await run_hook(self.ctx, self.pod, container, status.id, self.sandbox_ip, hook, grace)
        if failure:
            self.ctx.record(self.pod, "Warning", "FailedPreStopHook", failure)

    async def _final_delete(self) -> None:
        meta = self.pod.metadata
        options = DeleteOptions(grace_period_seconds=0, preconditions=Preconditions(uid=self.uid))
        with contextlib.suppress(NotFound, Conflict):
            await self.ctx.client.delete(Pod, meta.name, meta.namespace, options=options)
