"""`FakeRuntime`: an in-memory CRI `RuntimeService` whose containers interpret their commands.

Contract (beyond `kubelite.cri.service`):
- A container runs its command + args as a tiny shell (`kubelite.cri.fake.script`, `commands`):
  `sleep N` takes N seconds on the clock and exits 0, `true`/`false`/`exit N` exit at once, `echo`
  logs a line, `sh -c 'echo a; sleep 5; exit 3'` runs its steps over time (with redirections,
  `$?`, `if` and `while`). An empty command (the image's default) or any other command runs until
  stopped. A script using shell syntax the fake does not interpret (`for`, `case`, functions,
  command substitution, ...) makes `start_container` (and `exec_sync`) raise `InvalidConfig`
  naming it, and the container stays CREATED: it never runs something else instead.
- Timers need no background task: every method first fires the timers that are due on the clock
  (see `kubelite.cri.fake.ticker`), and event streams, followed logs and stops waiting out a grace
  period sleep on the clock until the next deadline. `run()` is an optional eager loop that fires
  timers when they fall due even when nobody is looking (start it in a task group to keep a
  sleeper on the clock at every deadline for `FakeClock.run_until`).
- SIGTERM (`stop_container`) kills a process at once with 143, unless it ignores SIGTERM: a script
  that ran `trap '' TERM`, or a container whose name was given to `ignore_sigterm` before it was
  created. Such a process gets SIGKILL (137) when the grace period is over on the clock, unless it
  exits by itself first. `trap 'ACTION' TERM` runs ACTION on SIGTERM (`exit N` in it ends the
  process with N). Stopping or removing a sandbox, and removing a running container, SIGKILL (137).
- Exit reasons: "Completed" for 0, "Error" otherwise, or whatever `crash` is given.
- Error injection: `fail_next(method, error, times)` makes the next calls of a protocol method
  raise before anything changes. `set_exec_handler` scripts `exec_sync` results.
- Slow calls: `set_latency(method, seconds)` makes `run_pod_sandbox`, `create_container` or
  `start_container` take effect at once but return only after `seconds` on the clock (as a busy
  runtime answers late), so a caller cancelled while waiting has changed the runtime unknowingly.
- Sandbox IPs come from the `PodNetwork` (shared between runtimes if given); host-network
  sandboxes get "". Stopping a sandbox releases its IP. Ids are random 64-hex-digit strings.
Scale: no task per container or sandbox; list filters by id or sandbox use indexes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import anyio
from anyio.abc import TaskStatus

from kubelite.clock import Clock
from kubelite.cri.container import (
    ContainerConfig,
    ContainerEventType,
    ContainerFilter,
    ContainerInfo,
    ContainerState,
    ContainerStatus,
    ExecResult,
    LogLine,
    LogOptions,
)
from kubelite.cri.errors import ContainerNotFound, CRIError, ImageNotFound, InvalidConfig, SandboxNotFound
from kubelite.cri.fake import logs, records, shell
from kubelite.cri.fake.engine import (
    Engine,
    command_program,
    keep_files,
    new_id,
    reason_for,
    scratch_files,
)
from kubelite.cri.fake.events import EventStream
from kubelite.cri.fake.faults import FaultPlan
from kubelite.cri.fake.images import FakeImageService
from kubelite.cri.fake.network import PodNetwork
from kubelite.cri.fake.records import ContainerRecord, SandboxRecord
from kubelite.cri.sandbox import (
    PodSandboxConfig,
    PodSandboxFilter,
    PodSandboxInfo,
    PodSandboxState,
    PodSandboxStatus,
)
from kubelite.cri.service import RuntimeVersion

ExecHandler = Callable[[ContainerStatus, list[str]], ExecResult | None]
SLOW_METHODS = frozenset({"run_pod_sandbox", "create_container", "start_container"})

RUNTIME_VERSION = "0.1.0"
METHODS = (
    "version",
    "run_pod_sandbox",
    "stop_pod_sandbox",
    "remove_pod_sandbox",
    "pod_sandbox_status",
    "list_pod_sandbox",
    "create_container",
    "start_container",
    "stop_container",
    "remove_container",
    "container_status",
    "list_containers",
    "exec_sync",
    "logs",
    "container_events",
)


class FakeRuntime:
    """Implements `kubelite.cri.RuntimeService` in memory, on an injectable clock."""

    def __init__(
        self,
        clock: Clock,
        *,
        images: FakeImageService,
        network: PodNetwork | None = None,
        name: str = "fake",
    ) -> None:
        self._engine = Engine(clock, images, network if network is not None else PodNetwork(), name)
        self._faults = FaultPlan(METHODS)
        self._exec_handler: ExecHandler | None = None
        self._latency: dict[str, float] = {}

    # -- scripting, for tests ------------------------------------------------------------------

    def fail_next(self, method: str, error: CRIError, times: int = 1) -> None:
        """The next `times` calls of protocol method `method` raise `error`, changing nothing."""
        self._faults.fail_next(method, error, times)

    def set_latency(self, method: str, seconds: float) -> None:
        """Calls of `method` (one of `SLOW_METHODS`) return `seconds` after taking effect; 0 resets."""
        if method not in SLOW_METHODS:
            raise ValueError(f"{method!r} cannot be slowed: {sorted(SLOW_METHODS)}")
        if seconds < 0:
            raise ValueError("latency must be ≥ 0")
        self._latency[method] = seconds

    def crash(self, container_id: str, exit_code: int = 1, reason: str = "Error") -> None:
        """End a running container now (e.g. `crash(id, 137, "OOMKilled")`)."""
        record = self._running(container_id)
        self._engine.finish(record, exit_code, reason, self._engine.ticker.monotonic())

    def ignore_sigterm(self, container_name: str) -> None:
        """Containers with this name (`metadata.name`), created from now on, ignore SIGTERM."""
        self._engine.ignoring_sigterm.add(container_name)

    def set_exec_handler(self, handler: ExecHandler | None) -> None:
        """Answer `exec_sync` with `handler(status, cmd)`; None from it falls back to interpreting."""
        self._exec_handler = handler

    def status_now(self, container_id: str) -> ContainerStatus:
        """`container_status` without awaiting (for `FakeClock.run_until` conditions)."""
        return records.container_status(self._container(container_id))

    async def run(self, *, task_status: TaskStatus[None] = anyio.TASK_STATUS_IGNORED) -> None:
        """Optional: fire timers as they fall due (see the module docstring). Runs until cancelled."""
        await self._engine.ticker.run(task_status=task_status)

    @property
    def network(self) -> PodNetwork:
        return self._engine.network

    @property
    def images(self) -> FakeImageService:
        return self._engine.images

    # -- sandboxes -----------------------------------------------------------------------------

    async def version(self) -> RuntimeVersion:
        self._enter("version")
        return RuntimeVersion(runtime_name=self._engine.name, runtime_version=RUNTIME_VERSION)

    async def run_pod_sandbox(self, config: PodSandboxConfig) -> str:
        self._enter("run_pod_sandbox")
        sandbox_id = new_id()
        ip = "" if config.host_network else self._engine.network.allocate(sandbox_id)
        self._engine.sandboxes[sandbox_id] = SandboxRecord(
            id=sandbox_id,
            config=config,
            labels=dict(config.labels),
            annotations=dict(config.annotations),
            created_at=self._engine.clock.now(),
            ip=ip,
        )
        await self._answer_late("run_pod_sandbox")
        return sandbox_id

    async def stop_pod_sandbox(self, sandbox_id: str) -> None:
        self._enter("stop_pod_sandbox")
        self._stop_sandbox(self._sandbox(sandbox_id))

    async def remove_pod_sandbox(self, sandbox_id: str) -> None:
        self._enter("remove_pod_sandbox")
        sandbox = self._sandbox(sandbox_id)
        self._stop_sandbox(sandbox)
        for container_id in list(sandbox.containers):
            self._remove(self._engine.containers[container_id])
        del self._engine.sandboxes[sandbox_id]

    async def pod_sandbox_status(self, sandbox_id: str) -> PodSandboxStatus:
        self._enter("pod_sandbox_status")
        return records.sandbox_status(self._sandbox(sandbox_id))

    async def list_pod_sandbox(self, filter: PodSandboxFilter | None = None) -> list[PodSandboxInfo]:
        self._enter("list_pod_sandbox")
        if filter is None:
            return [records.sandbox_info(record) for record in self._engine.sandboxes.values()]
        sandboxes = self._engine.sandboxes
        candidates = (
            [sandboxes[filter.id]] if filter.id in sandboxes else [] if filter.id else sandboxes.values()
        )
        return [
            records.sandbox_info(record) for record in candidates if records.sandbox_matches(record, filter)
        ]

    # -- containers ----------------------------------------------------------------------------

    async def create_container(
        self, sandbox_id: str, config: ContainerConfig, sandbox_config: PodSandboxConfig
    ) -> str:
        self._enter("create_container")
        sandbox = self._ready_sandbox(sandbox_id)
        image = self._engine.images.lookup(config.image)
        if image is None:
            raise ImageNotFound(f"image {config.image!r} is not present on {self._engine.name}")
        self._check_name_free(sandbox, config)
        record = ContainerRecord(
            id=new_id(),
            sandbox_id=sandbox_id,
            config=config,
            labels=dict(config.labels),
            annotations=dict(config.annotations),
            image_ref=image.id,
            created_at=self._engine.clock.now(),
        )
        self._engine.containers[record.id] = record
        sandbox.containers[record.id] = None
        self._engine.emit(ContainerEventType.CREATED, record, record.created_at)
        await self._answer_late("create_container")
        return record.id

    async def start_container(self, container_id: str) -> None:
        self._enter("start_container")
        record = self._container(container_id)
        if record.state is not ContainerState.CREATED:
            raise InvalidConfig(f"container {container_id} is {record.state.name}, not CREATED")
        self._ready_sandbox(record.sandbox_id)
        self._engine.start(record)
        await self._answer_late("start_container")

    async def stop_container(self, container_id: str, grace_period: float) -> None:
        self._enter("stop_container")
        record = self._container(container_id)
        if record.state is not ContainerState.RUNNING:
            return
        self._engine.terminate(record, grace_period)
        await self._engine.ticker.until(lambda: record.state is not ContainerState.RUNNING)

    async def remove_container(self, container_id: str) -> None:
        self._enter("remove_container")
        self._remove(self._container(container_id))

    async def container_status(self, container_id: str) -> ContainerStatus:
        self._enter("container_status")
        return records.container_status(self._container(container_id))

    async def list_containers(self, filter: ContainerFilter | None = None) -> list[ContainerInfo]:
        self._enter("list_containers")
        if filter is None:
            return [records.container_info(record) for record in self._engine.containers.values()]
        return [
            records.container_info(record)
            for record in self._candidates(filter)
            if records.container_matches(record, filter)
        ]

    async def exec_sync(self, container_id: str, cmd: list[str], timeout_seconds: float) -> ExecResult:
        self._enter("exec_sync")
        record = self._running(container_id)
        if not cmd:
            raise InvalidConfig("exec needs a command")
        if self._exec_handler is not None:
            scripted = self._exec_handler(records.container_status(record), list(cmd))
            if scripted is not None:
                return scripted
        env = tuple((pair.key, pair.value) for pair in record.config.envs)
        files = scratch_files(record)
        outcome = shell.run_exec(command_program(tuple(cmd), env), files)
        keep_files(record, files)
        if 0 < timeout_seconds < outcome.seconds:
            await self._engine.clock.sleep(timeout_seconds)
            raise CRIError(f"command {cmd} timed out after {timeout_seconds} s")
        if outcome.seconds > 0:
            await self._engine.clock.sleep(outcome.seconds)
        return ExecResult(stdout=outcome.stdout, stderr=outcome.stderr, exit_code=outcome.exit_code)

    async def logs(self, container_id: str, options: LogOptions) -> AsyncIterator[LogLine]:
        self._enter("logs")
        record = self._container(container_id)
        async for line in logs.follow(record, options, self._engine.ticker):
            yield line

    def container_events(self) -> EventStream:
        self._enter("container_events")
        return self._engine.hub.subscribe()

    # -- helpers -------------------------------------------------------------------------------

    def _enter(self, method: str) -> None:
        """Raise a scripted failure, else bring the state up to the clock's time."""
        self._faults.check(method)
        self._engine.ticker.catch_up()

    async def _answer_late(self, method: str) -> None:
        seconds = self._latency.get(method, 0.0)
        if seconds > 0:
            await self._engine.clock.sleep(seconds)

    def _sandbox(self, sandbox_id: str) -> SandboxRecord:
        found = self._engine.sandboxes.get(sandbox_id)
        if found is None:
            raise SandboxNotFound(f"pod sandbox {sandbox_id!r} not found")
        return found

    def _ready_sandbox(self, sandbox_id: str) -> SandboxRecord:
        sandbox = self._sandbox(sandbox_id)
        if sandbox.state is not PodSandboxState.READY:
            raise InvalidConfig(f"pod sandbox {sandbox_id} is not ready")
        return sandbox

    def _container(self, container_id: str) -> ContainerRecord:
        self._engine.ticker.catch_up()
        found = self._engine.containers.get(container_id)
        if found is None:
            raise ContainerNotFound(f"container {container_id!r} not found")
        return found

    def _running(self, container_id: str) -> ContainerRecord:
        record = self._container(container_id)
        if record.state is not ContainerState.RUNNING:
            raise InvalidConfig(f"container {container_id} is not running ({record.state.name})")
        return record

    def _check_name_free(self, sandbox: SandboxRecord, config: ContainerConfig) -> None:
        for container_id in sandbox.containers:
            if self._engine.containers[container_id].config.metadata == config.metadata:
                name, attempt = config.metadata.name, config.metadata.attempt
                raise InvalidConfig(f"container name {name!r} attempt {attempt} is already in use")

    def _candidates(self, filter: ContainerFilter) -> list[ContainerRecord]:
        containers = self._engine.containers
        if filter.id:
            found = containers.get(filter.id)
            return [] if found is None else [found]
        if filter.pod_sandbox_id:
            sandbox = self._engine.sandboxes.get(filter.pod_sandbox_id)
            return [] if sandbox is None else [containers[cid] for cid in sandbox.containers]
        return list(containers.values())

    def _stop_sandbox(self, sandbox: SandboxRecord) -> None:
        if sandbox.state is PodSandboxState.NOTREADY:
            return
        now = self._engine.ticker.monotonic()
        for container_id in sandbox.containers:
            record = self._engine.containers[container_id]
            if record.state is ContainerState.RUNNING:
                self._engine.finish(record, shell.SIGKILL_EXIT, reason_for(shell.SIGKILL_EXIT), now)
        sandbox.state = PodSandboxState.NOTREADY
        sandbox.ip = ""
        self._engine.network.release(sandbox.id)
        self._engine.ticker.notify()

    def _remove(self, record: ContainerRecord) -> None:
        if record.state is ContainerState.RUNNING:
            self._engine.finish(record, shell.SIGKILL_EXIT, "Error", self._engine.ticker.monotonic())
        del self._engine.containers[record.id]
        self._engine.sandboxes[record.sandbox_id].containers.pop(record.id, None)
        self._engine.emit(ContainerEventType.DELETED, record, self._engine.clock.now())
