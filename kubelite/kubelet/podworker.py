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
   KUB-11, KUB-14) is written with a strategic merge patch when it differs from the stored one.

A sync that raises is logged and retried with back-off (1 s doubling to 30 s); the worker itself
never dies of it.
"""

from __future__ import annotations

import contextlib

import anyio
import msgspec
import structlog

from kubelite.api.core import Container, ContainerStatus, HostIP, LifecycleHandler, Pod, PodIP, PodStatus
from kubelite.api.meta import DeleteOptions, Preconditions
from kubelite.client import PatchType
from kubelite.client.errors import Conflict, NotFound
from kubelite.clock import parse_rfc3339, rfc3339
from kubelite.cri import (
    ContainerConfig,
    ContainerFilter,
    ContainerMetadata,
    ContainerState,
    CRIError,
    KeyValue,
    PodSandboxConfig,
    PodSandboxFilter,
    PodSandboxMetadata,
    PodSandboxState,
    PortMapping,
)
from kubelite.cri import ContainerStatus as CRIStatus
from kubelite.kubelet.conditions import pod_conditions
from kubelite.kubelet.context import NodeContext, fetcher
from kubelite.kubelet.env import ConfigError, resolve_env
from kubelite.kubelet.phase import FAILED, TERMINAL, pod_phase, terminated_phase
from kubelite.kubelet.podstatus import container_status, qos_class
from kubelite.kubelet.prober import LIVENESS, STARTUP, ContainerProbes, run_probe

log = structlog.get_logger("kubelite.kubelet")

POD_UID_LABEL = "io.kubernetes.pod.uid"
POD_NAME_LABEL = "io.kubernetes.pod.name"
POD_NAMESPACE_LABEL = "io.kubernetes.pod.namespace"
CONTAINER_NAME_LABEL = "io.kubernetes.container.name"


def go_duration(seconds: float) -> str:
    """Go's `time.Duration` text for whole seconds: 10s, 1m20s, 5m0s."""
    whole = int(seconds)
    minutes, rest = divmod(whole, 60)
    return f"{minutes}m{rest}s" if minutes else f"{rest}s"


def should_restart(policy: str, exit_code: int) -> bool:
    """KUB-5."""
    return policy == "Always" or (policy == "OnFailure" and exit_code != 0)


class PodWorker:
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
        self._errors = 0

    # -- the loop ------------------------------------------------------------------------------

    def update(self, pod: Pod) -> None:
        old_deadline = self.pod.metadata.deletion_timestamp
        self.pod = pod
        new_deadline = pod.metadata.deletion_timestamp
        if self._stopping is not None and old_deadline and new_deadline and new_deadline < old_deadline:
            self._stopping.cancel()  # a later DELETE shortened the grace period: stop again, sooner
        self.wake()

    def remove(self) -> None:
        self.removed = True
        self.wake()

    def wake(self) -> None:
        self._pending = True
        if self._scope is not None:
            self._scope.cancel()

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

    def _key(self) -> str:
        return f"{self.pod.metadata.namespace}/{self.pod.metadata.name}"

    # -- one sync ------------------------------------------------------------------------------

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
        await self._ensure_sandbox()
        current = await self.observe()
        if await self._probe(current):
            current = await self.observe()
        await self._drive(current)
        current = await self.observe()
        phase = await self._report(current)
        if phase in TERMINAL:
            self.terminal = phase
            self.ctx.admission.release(self.uid)
            await self._stop_sandbox()
            return None
        return max(0.0, min(self._wakes))

    # -- admission and deadlines ---------------------------------------------------------------

    async def _admit(self) -> bool:
        if self.uid in self.ctx.admission:
            return True
        rejection = self.ctx.admission.admit(self.pod)
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

    # -- sandbox -------------------------------------------------------------------------------

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

    def _labels(self) -> dict[str, str]:
        meta = self.pod.metadata
        return {POD_UID_LABEL: self.uid, POD_NAME_LABEL: meta.name, POD_NAMESPACE_LABEL: meta.namespace}

    async def _ensure_sandbox(self) -> None:
        runtime = self.ctx.runtime
        if not self.sandbox_id:
            await self._adopt_sandbox()
        if self.sandbox_id:
            status = await runtime.pod_sandbox_status(self.sandbox_id)
            if status.state is PodSandboxState.READY:
                return
            await runtime.remove_pod_sandbox(self.sandbox_id)  # it died: start over (KUB-14)
            self.sandbox_attempt += 1
        self.ctx.wakers.pop(self.sandbox_id, None)
        self.sandbox_id = await runtime.run_pod_sandbox(self._sandbox_config())
        self.ctx.wakers[self.sandbox_id] = self.wake
        status = await runtime.pod_sandbox_status(self.sandbox_id)
        self.sandbox_ip = self.ctx.config.node_ip if self.pod.spec.host_network else status.ip

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

    # -- containers ----------------------------------------------------------------------------

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

    async def _drive(self, current: dict[str, CRIStatus]) -> None:
        """Start what should run: init containers in order, then the app containers."""
        policy = self.pod.spec.restart_policy or "Always"
        for container in self.pod.spec.init_containers:
            status = current.get(container.name)
            if status is None:
                await self._start(container, 0)
                return
            if status.state is not ContainerState.EXITED:
                if status.state is ContainerState.CREATED:
                    await self.ctx.runtime.start_container(status.id)
                return
            if status.exit_code == 0:
                continue
            if policy != "Never":
                await self._restart(container, status)
            return
        for container in self.pod.spec.containers:
            status = current.get(container.name)
            if status is None:
                await self._start(container, 0)
            elif status.state is ContainerState.CREATED:
                await self.ctx.runtime.start_container(status.id)
            elif status.state is ContainerState.EXITED and should_restart(policy, status.exit_code):
                await self._restart(container, status)

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

    async def _remove_quietly(self, container_id: str) -> None:
        with contextlib.suppress(CRIError):
            await self.ctx.runtime.remove_container(container_id)

    async def _start(self, container: Container, attempt: int) -> bool:
        """Pull, configure, create and start one container; False (and a waiting reason) if not."""
        ctx, pod = self.ctx, self.pod

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
            self.waiting[container.name] = ("CreateContainerConfigError", str(err))
            record("Warning", "Failed", f"Error: {err}")
            self._wakes.append(10.0)
            return False
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
        )
        container_id = await ctx.runtime.create_container(self.sandbox_id, config, self._sandbox_config())
        record("Normal", "Created", f"Created container {container.name}")
        await ctx.runtime.start_container(container_id)
        record("Normal", "Started", f"Started container {container.name}")
        self.waiting.pop(container.name, None)
        await self._post_start(container, container_id)
        return True

    async def _post_start(self, container: Container, container_id: str) -> None:
        """Run a postStart exec hook; a failing one kills the container (restart policy applies)."""
        hook = container.lifecycle.post_start if container.lifecycle is not None else None
        if hook is None or hook.exec is None:
            return
        try:
            result = await self.ctx.runtime.exec_sync(container_id, list(hook.exec.command), self._grace())
            failed = result.exit_code != 0
        except CRIError:
            failed = True
        if failed:
            message = f"PostStartHook failed for container {container.name}"
            self.ctx.record(self.pod, "Warning", "FailedPostStartHook", message)
            await self.ctx.runtime.stop_container(container_id, self._grace())

    def _with_ips(self) -> Pod:
        status = msgspec.structs.replace(
            self.pod.status, pod_ip=self.sandbox_ip, host_ip=self.ctx.config.node_ip
        )
        return msgspec.structs.replace(self.pod, status=status)

    # -- probes --------------------------------------------------------------------------------

    async def _probe(self, current: dict[str, CRIStatus]) -> bool:
        """Run due probes; True when a container was killed for failing one (KUB-10)."""
        killed = False
        for container in self.pod.spec.containers:
            status = current.get(container.name)
            if status is None or status.state is not ContainerState.RUNNING:
                self.probes.pop(container.name, None)
                continue
            probes = self.probes.get(container.name)
            if probes is None or probes.container_id != status.id:
                probes = ContainerProbes.of(container, status.id, status.started_at)
                self.probes[container.name] = probes
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

    # -- status --------------------------------------------------------------------------------

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

    # -- termination ---------------------------------------------------------------------------

    def _grace(self) -> float:
        meta, spec = self.pod.metadata, self.pod.spec
        if meta.deletion_grace_period_seconds is not None:
            return float(meta.deletion_grace_period_seconds)
        grace = spec.termination_grace_period_seconds
        return float(30 if grace is None else grace)

    async def _terminate(self) -> None:
        """KUB-12: stop everything within the grace period, report the end, delete the object.

        A later DELETE that moves the deadline earlier interrupts the stop, which starts over with
        the time left until the new deadline (never extended)."""
        grace = self._grace()
        while True:
            with anyio.CancelScope() as scope:
                self._stopping = scope
                await self._stop_containers(grace)
            self._stopping = None
            if not scope.cancel_called:
                break
            deadline = self.pod.metadata.deletion_timestamp
            left = parse_rfc3339(deadline) - self.ctx.clock.now() if deadline else 0.0
            grace = max(0.0, min(grace, left))
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
        if hook is not None and grace > 0:
            await self._run_hook(hook, status, grace)
        left = max(grace - (ctx.clock.now() - started), ctx.config.minimum_grace_period if grace > 0 else 0)
        with contextlib.suppress(CRIError):
            await ctx.runtime.stop_container(status.id, left)

    async def _run_hook(self, hook: LifecycleHandler, status: CRIStatus, grace: float) -> None:
        try:
            if hook.exec is not None:
                await self.ctx.runtime.exec_sync(status.id, list(hook.exec.command), grace)
            elif hook.sleep is not None:
                await self.ctx.clock.sleep(min(hook.sleep.seconds, grace))
        except CRIError:
            pass

    async def _final_delete(self) -> None:
        meta = self.pod.metadata
        options = DeleteOptions(grace_period_seconds=0, preconditions=Preconditions(uid=self.uid))
        with contextlib.suppress(NotFound, Conflict):
            await self.ctx.client.delete(Pod, meta.name, meta.namespace, options=options)
