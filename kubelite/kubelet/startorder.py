"""Which of a pod's containers to start, restart or stop now (KUB-5, KUB-8, sidecars).

Contract: `_drive(current)` takes the latest CRI status of each container in the pod's sandbox and
acts once per sync:

- Init containers run in order. A regular one must exit 0 before the next starts; a failed one
  restarts with back-off (KUB-6) unless the pod's policy is `Never`. A sidecar (an init container
  with `restartPolicy: Always`, Kubernetes v1.29+) only has to be running and *started* (its
  startup probe passed, if it has one) before the next init container starts; it keeps running
  beside the app containers, and is restarted with back-off whatever the pod's restart policy.
- Once an app container exists in the sandbox the pod is initialized: regular init containers are
  not looked at again, and sidecars that stop are restarted without holding anything back.
- App containers start together after initialization and restart by the pod's policy (KUB-5).
- When every app container has exited for good (policy `Never`, or `OnFailure` after exit 0), the
  sidecars are stopped, the last started first, and not restarted, so the pod can complete.
"""

from __future__ import annotations

from kubelite.api.core import Container
from kubelite.cri import ContainerState
from kubelite.cri import ContainerStatus as CRIStatus
from kubelite.kubelet.containers import ContainersMixin, should_restart
from kubelite.kubelet.probing import ProbesMixin, is_sidecar


class StartOrderMixin(ProbesMixin, ContainersMixin):
    """The start-order part of a pod worker (see the module docstring)."""

    async def _drive(self, current: dict[str, CRIStatus]) -> None:
        """Start what should run now; stop the sidecars of a pod whose app containers are done."""
        policy = self.pod.spec.restart_policy or "Always"
        finished = self._app_finished(current, policy)
        if not await self._drive_init(current, policy, finished):
            return
        for container in self.pod.spec.containers:
            status = current.get(container.name)
            if status is None:
                await self._start(container, 0)
            elif status.state is ContainerState.CREATED:
                await self._start_created(container, status.id)
            elif status.state is ContainerState.EXITED and should_restart(policy, status.exit_code):
                await self._restart(container, status)
        if finished:
            await self._stop_sidecars(current)

    async def _drive_init(self, current: dict[str, CRIStatus], policy: str, finished: bool) -> bool:
        """Init containers (KUB-8, sidecars); True once the pod is initialized."""
        initialized = any(c.name in current for c in self.pod.spec.containers)
        for container in self.pod.spec.init_containers:
            status = current.get(container.name)
            if is_sidecar(container):
                if not finished and not await self._keep_sidecar(container, status) and not initialized:
                    return False
            elif not initialized and not await self._run_init(container, status, policy):
                return False
        return True

    async def _run_init(self, container: Container, status: CRIStatus | None, policy: str) -> bool:
        """Start or restart a regular init container; True once it has exited 0."""
        if status is None:
            await self._start(container, 0)
            return False
        if status.state is not ContainerState.EXITED:
            if status.state is ContainerState.CREATED:
                await self._start_created(container, status.id)
            return False
        if status.exit_code == 0:
            return True
        if policy != "Never":
            await self._restart(container, status)
        return False

    async def _keep_sidecar(self, container: Container, status: CRIStatus | None) -> bool:
        """Start or restart a sidecar; True when it runs and has started (KUB-10)."""
        if status is None:
            await self._start(container, 0)
            return False
        if status.state is ContainerState.CREATED:
            await self._start_created(container, status.id)
            return False
        if status.state is ContainerState.EXITED:
            await self._restart(container, status)
            return False
        return self._instance_probes(container, status).started

    def _app_finished(self, current: dict[str, CRIStatus], policy: str) -> bool:
        """Every app container has exited and none will be restarted (the pod is completing)."""
        if policy == "Always":
            return False
        for container in self.pod.spec.containers:
            status = current.get(container.name)
            if status is None or status.state is not ContainerState.EXITED:
                return False
            if should_restart(policy, status.exit_code):
                return False
        return True

    async def _stop_sidecars(self, current: dict[str, CRIStatus]) -> None:
        for container in reversed(self.pod.spec.init_containers):
            status = current.get(container.name)
            if is_sidecar(container) and status is not None and status.state is ContainerState.RUNNING:
                await self.ctx.runtime.stop_container(status.id, self._grace())
