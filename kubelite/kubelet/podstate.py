"""The state one pod worker keeps, and the reads every part of a sync shares.

Contract: `PodState` holds what the kubelet knows of one pod beyond the API object: its sandbox
(id, IP, attempt), start time, terminal phase once reached, per-container waiting reasons (image,
config and crash-loop errors), the previous termination of each container, and probe state. The
sync itself is split by concern into mixins over this state (`sandboxes`, `containers`,
`probing`, `statusreport`, `termination`), combined in `kubelite.kubelet.podworker.PodWorker`.
"""

from __future__ import annotations

import contextlib

import anyio

from kubelite.api.core import Pod
from kubelite.cri import ContainerFilter, CRIError
from kubelite.cri import ContainerStatus as CRIStatus
from kubelite.kubelet.context import NodeContext
from kubelite.kubelet.phase import TERMINAL
from kubelite.kubelet.prober import ContainerProbes

POD_UID_LABEL = "io.kubernetes.pod.uid"
POD_NAME_LABEL = "io.kubernetes.pod.name"
POD_NAMESPACE_LABEL = "io.kubernetes.pod.namespace"
CONTAINER_NAME_LABEL = "io.kubernetes.container.name"


class PodState:
    """One pod's worker state; see the module docstring."""

    def __init__(self, ctx: NodeContext, pod: Pod) -> None:
        self.ctx = ctx
        self.pod = pod
        self.uid = pod.metadata.uid
        self.removed = False
        self.done = False
        self.sandbox_id = ""
        self.sandbox_ip = ""
        self.sandbox_attempt = 0
        self.start_time: float | None = None
        self.terminal: str | None = pod.status.phase if pod.status.phase in TERMINAL else None
        self.waiting: dict[str, tuple[str, str]] = {}
        self.previous: dict[str, CRIStatus] = {}
        self.probes: dict[str, ContainerProbes] = {}
        self._wakes: list[float] = []
        self._pending = True
        self._scope: anyio.CancelScope | None = None
        self._stopping: anyio.CancelScope | None = None
        self._starting: anyio.CancelScope | None = None
        self._retry_at: dict[str, float] = {}
        self._errors = 0

    def wake(self) -> None:
        self._pending = True
        if self._scope is not None:
            self._scope.cancel()

    def _hold(self, key: str, seconds: float) -> None:
        """A runtime call for `key` (a container name; "" for the sandbox) failed: wait `seconds`
        before trying it again, whatever wakes the worker meanwhile."""
        self._retry_at[key] = self.ctx.clock.now() + seconds
        self._wakes.append(seconds)

    def _holding(self, key: str) -> bool:
        """Whether `key` is still waiting out a `_hold` (the worker is woken when it ends)."""
        at = self._retry_at.get(key)
        if at is None:
            return False
        left = at - self.ctx.clock.now()
        if left > 0:
            self._wakes.append(left)
            return True
        del self._retry_at[key]
        return False

    def _key(self) -> str:
        return f"{self.pod.metadata.namespace}/{self.pod.metadata.name}"

    def _labels(self) -> dict[str, str]:
        meta = self.pod.metadata
        return {POD_UID_LABEL: self.uid, POD_NAME_LABEL: meta.name, POD_NAMESPACE_LABEL: meta.namespace}

    def _grace(self) -> float:
        meta, spec = self.pod.metadata, self.pod.spec
        if meta.deletion_grace_period_seconds is not None:
            return float(meta.deletion_grace_period_seconds)
        grace = spec.termination_grace_period_seconds
        return float(30 if grace is None else grace)

    async def observe(self) -> dict[str, CRIStatus]:
        """The latest attempt of each container in the sandbox."""
        if not self.sandbox_id:
            return {}
        infos = await self.ctx.runtime.list_containers(ContainerFilter(pod_sandbox_id=self.sandbox_id))
        latest: dict[str, tuple[int, str]] = {}
        for info in infos:
            name, attempt = info.metadata.name, info.metadata.attempt
            if name not in latest or attempt > latest[name][0]:
                latest[name] = (attempt, info.id)
        found: dict[str, CRIStatus] = {}
        for name, (_, container_id) in latest.items():
            try:
                found[name] = await self.ctx.runtime.container_status(container_id)
            except CRIError:
                continue
        return found

    async def _remove_quietly(self, container_id: str) -> None:
        with contextlib.suppress(CRIError):
            await self.ctx.runtime.remove_container(container_id)
