"""One pod's worker: makes the runtime match the pod, and the pod's status match the runtime.

Contract: the kubelet runs one `PodWorker` task per pod bound to its node (as upstream's pod
workers do). `update(pod)` hands it the latest object and `wake()` asks for a sync (pod events,
container events); otherwise it syncs when its next deadline is due on the clock (a back-off
ending, a probe period, the active deadline, a periodic resync). A sync is level-based:

1. A pod gone from the API: kill its containers, remove its sandbox and volumes; the worker ends.
2. A pod with `deletionTimestamp`: run `preStop` hooks, stop the containers with the remaining
   grace (at least 2 s between SIGTERM and SIGKILL), write the terminal phase (Succeeded iff all
   exited 0), then DELETE with grace 0 and a UID precondition (KUB-12).
3. A terminal pod (Succeeded/Failed): stop its sandbox (its IP is released); nothing restarts.
   A worker started for a pod whose ready sandbox already exists in the runtime (the kubelet
   restarted) adopts it and its containers instead of starting new ones.
4. Otherwise: admission on first sight (SCH-10), `activeDeadlineSeconds` (KUB-13), the sandbox,
   init containers one at a time (KUB-8), app containers with restart policy and crash-loop
   back-off (KUB-5, KUB-6), image pulls (KUB-3), probes (KUB-10); then the status (KUB-4, KUB-7,
   KUB-11, KUB-14) is written when it differs from the stored one (and once before the sandbox
   exists, on first sight).

A DELETE (or the pod leaving the API) cancels the start-up part of a sync in flight (sandbox
creation, image pulls, container creation and starts, probes, postStart hooks): the worker goes
straight to termination and the cancelled work is not carried on, so a container whose image was
still being pulled is never created. A DELETE seen while the status before the sandbox is written
skips the start-up altogether. A cancel may leave a created-but-not-started container (the
teardown removes it with the sandbox) or, on a runtime that was mid-call, a sandbox the worker
never learnt of (termination adopts it by the pod's UID label; the kubelet's periodic cleanup
removes any left once the worker has ended).

A sync that raises is logged and retried with back-off (1 s doubling to 30 s); the worker itself
never dies of it.
"""

from __future__ import annotations

import anyio
import structlog

from kubelite.api.core import Pod
from kubelite.clock import parse_rfc3339
from kubelite.cri import ContainerStatus as CRIStatus
from kubelite.kubelet.context import NodeContext
from kubelite.kubelet.phase import FAILED, TERMINAL
from kubelite.kubelet.startorder import StartOrderMixin
from kubelite.kubelet.termination import TerminationMixin

log = structlog.get_logger("kubelite.kubelet")


class PodWorker(TerminationMixin, StartOrderMixin):
    """One pod's worker task; see the module docstring."""

    def __init__(self, ctx: NodeContext, pod: Pod) -> None:
        super().__init__(ctx, pod)

    def update(self, pod: Pod) -> None:
        old_deadline = self.pod.metadata.deletion_timestamp
        self.pod = pod
        new_deadline = pod.metadata.deletion_timestamp
        if self._stopping is not None and old_deadline and new_deadline and new_deadline < old_deadline:
            self._stopping.cancel()  # a later DELETE shortened the grace period: stop again, sooner
        if new_deadline and not old_deadline:
            self._cancel_start_up()
        self.wake()

    def remove(self) -> None:
        self.removed = True
        self._cancel_start_up()
        self.wake()

    async def run(self) -> None:
        while not self.done:
            self._pending = False
            delay = await self._sync_safely()
            if self.done or self._pending:
                continue
            with anyio.CancelScope() as scope:
                self._scope = scope
                if delay is None:
                    await anyio.sleep_forever()
                else:
                    await self.ctx.clock.sleep(delay)
            self._scope = None

    async def _sync_safely(self) -> float | None:
        try:
            delay = await self.sync()
        except Exception as err:  # logged and retried: a worker never dies silently
            self._errors += 1
            log.warning("pod sync failed", pod=self._key(), error=repr(err), attempt=self._errors)
            return float(min(2 ** (self._errors - 1), 30))
        self._errors = 0
        return delay

    async def sync(self) -> float | None:
        pod, now = self.pod, self.ctx.clock.now()
        if self.removed:
            await self._teardown()
            return None
        if self.terminal is not None:
            await self._stop_sandbox()
            if pod.metadata.deletion_timestamp is not None:
                await self._final_delete()
            return None
        if pod.metadata.deletion_timestamp is not None:
            await self._terminate()
            return None
        if not await self._admit():
            return None
        self._wakes = [self.ctx.config.pod_resync_period]
        if await self._past_deadline(now):
            return None
        await self._report_before_sandbox()
        if self.removed or self.pod.metadata.deletion_timestamp is not None:
            return 0.0  # deleted (or gone) while the status was written: no start-up, terminate
        current: dict[str, CRIStatus] | None = None
        with anyio.CancelScope() as scope:
            self._starting = scope
            current = await self._start_up()
        self._starting = None
        if current is None:  # cancelled by a DELETE (sync again now), or no sandbox yet
            return 0.0 if scope.cancel_called else max(0.0, min(self._wakes))
        phase = await self._report(current)
        if phase in TERMINAL:
            self.terminal = phase
            self.ctx.admission.release(self.uid)
            await self._stop_sandbox()
            return None
        return max(0.0, min(self._wakes))

    async def _start_up(self) -> dict[str, CRIStatus] | None:
        """Sandbox, probes, pulls and container starts: the part of a sync that a DELETE (or the
        pod leaving the API) cancels. It returns what runs now, or None without a sandbox."""
        if not await self._ensure_sandbox():
            return None
        current = await self.observe()
        if await self._probe(current):
            current = await self.observe()
        await self._drive(current)
        return await self.observe()

    def _cancel_start_up(self) -> None:
        if self._starting is not None:
            self._starting.cancel()

    async def _admit(self) -> bool:
        if self.uid in self.ctx.admission:
            return True
        status = self.pod.status
        accepted = status.start_time is not None and status.host_ip == self.ctx.config.node_ip
        rejection = self.ctx.admission.admit(self.pod, already_running=accepted)
        if rejection is None:
            started = self.pod.status.start_time
            self.start_time = parse_rfc3339(started) if started else self.ctx.clock.now()
            return True
        self.ctx.record(self.pod, "Warning", rejection.reason, rejection.message)
        await self._write_terminal(FAILED, rejection.reason, f"Pod was rejected: {rejection.message}")
        return False

    async def _past_deadline(self, now: float) -> bool:
        seconds = self.pod.spec.active_deadline_seconds
        if seconds is None or self.start_time is None:
            return False
        deadline = self.start_time + seconds
        if now < deadline:
            self._wakes.append(deadline - now)
            return False
        message = "Pod was active on the node longer than the specified deadline"
        self.ctx.record(self.pod, "Normal", "DeadlineExceeded", message)
        await self._stop_containers(self._grace())
        await self._write_terminal(FAILED, "DeadlineExceeded", message)
        self.ctx.admission.release(self.uid)
        await self._stop_sandbox()
        return True
