"""The fake runtime's state and the life of its interpreted processes.

Contract: `Engine` owns the sandbox and container records of one fake runtime, its `Ticker`
(timers and waiters) and its `EventHub`. Every state change goes through `start`, `terminate`,
`finish` or `emit`, which publish the matching `ContainerEvent` and wake waiting tasks. A
process's output becomes `LogLine`s stamped with the time it was written, on the runtime's clock,
even when a timer is fired late (a sleep that ended at t logs what follows at t). Not thread-safe:
one event loop.
"""

from __future__ import annotations

import secrets

from kubelite.clock import Clock
from kubelite.cri.container import ContainerEvent, ContainerEventType, ContainerState, LogLine
from kubelite.cri.errors import InvalidConfig
from kubelite.cri.fake import shell
from kubelite.cri.fake.commands import Kind
from kubelite.cri.fake.events import EventHub
from kubelite.cri.fake.images import FakeImageService
from kubelite.cri.fake.network import PodNetwork
from kubelite.cri.fake.records import NO_TIMER, ContainerRecord, SandboxRecord
from kubelite.cri.fake.script import Program, UnsupportedScript, parse_command
from kubelite.cri.fake.ticker import Ticker

WAKE = 0  # a sleep step is over
KILL = 1  # a stop's grace period is over: SIGKILL


def reason_for(exit_code: int) -> str:
    return "Completed" if exit_code == 0 else "Error"


def new_id() -> str:
    """A fresh 64-hex-digit id, unique across runtimes (they may share one PodNetwork)."""
    return secrets.token_hex(32)


def command_program(argv: tuple[str, ...], env: tuple[tuple[str, str], ...]) -> Program:
    """The program `argv` runs; `InvalidConfig` for shell syntax the fake does not interpret."""
    try:
        return parse_command(argv, env)
    except UnsupportedScript as err:
        message = f"the fake runtime cannot interpret this command: {err} is not supported"
        raise InvalidConfig(message) from None


def scratch_files(record: ContainerRecord) -> dict[str, str]:
    """The container's files, or a new empty table (kept only if something is written to it)."""
    return record.files if record.files is not None else {}


def keep_files(record: ContainerRecord, files: dict[str, str]) -> None:
    if files and record.files is None:
        record.files = files


class Engine:
    """Records, timers and event fan-out of one fake runtime."""

    def __init__(self, clock: Clock, images: FakeImageService, network: PodNetwork, name: str) -> None:
        self.clock = clock
        self.images = images
        self.network = network
        self.name = name
        self.sandboxes: dict[str, SandboxRecord] = {}
        self.containers: dict[str, ContainerRecord] = {}
        self.ticker = Ticker(clock, self._fire)
        self.hub = EventHub(self.ticker)
        self.ignoring_sigterm: set[str] = set()

    def start(self, record: ContainerRecord) -> None:
        """CREATED → RUNNING, then run the process until it first blocks. A command the fake
        cannot interpret raises `InvalidConfig` (nothing changes): it never starts."""
        config = record.config
        env = tuple((pair.key, pair.value) for pair in config.envs)
        on_term = () if config.metadata.name in self.ignoring_sigterm else None
        program = command_program(config.command + config.args, env)
        record.shell = shell.Shell(program=program, on_term=on_term)
        record.state = ContainerState.RUNNING
        record.started_at = self.clock.now()
        self.emit(ContainerEventType.STARTED, record, record.started_at)
        self._advance(record, self.ticker.monotonic())

    def terminate(self, record: ContainerRecord, grace_period: float) -> None:
        """SIGTERM now; SIGKILL after `grace_period` unless the process is gone by then."""
        assert record.shell is not None
        now = self.ticker.monotonic()
        files = scratch_files(record)
        code = shell.terminate(record.shell, files, self._writer(record, now))
        keep_files(record, files)
        if code is not None:
            self.finish(record, code, reason_for(code), now)
        elif grace_period <= 0:
            self.finish(record, shell.SIGKILL_EXIT, "Error", now)
        elif record.kill_at == NO_TIMER or now + grace_period < record.kill_at:
            record.kill_at = now + grace_period
            self.ticker.schedule(record.kill_at, KILL, record.id)

    def finish(
        self, record: ContainerRecord, exit_code: int, reason: str, at: float, message: str = ""
    ) -> None:
        """RUNNING → EXITED at monotonic time `at`."""
        record.state = ContainerState.EXITED
        record.finished_at = self.ticker.wall(at)
        record.exit_code = exit_code
        record.reason = reason
        record.message = message
        record.shell = None
        record.wake_at = record.kill_at = NO_TIMER
        self.emit(ContainerEventType.STOPPED, record, record.finished_at)

    def emit(self, kind: ContainerEventType, record: ContainerRecord, at: float) -> None:
        """Publish a lifecycle event (only built when someone listens) and wake waiters."""
        if self.hub:
            self.hub.publish(
                ContainerEvent(
                    container_id=record.id, pod_sandbox_id=record.sandbox_id, type=kind, created_at=at
                )
            )
        self.ticker.notify()

    def _advance(self, record: ContainerRecord, at: float) -> None:
        """Run the process from monotonic time `at` until it sleeps, blocks or exits."""
        assert record.shell is not None
        files = scratch_files(record)
        outcome = shell.run(record.shell, files, self._writer(record, at))
        keep_files(record, files)
        if outcome.kind is Kind.SLEEP:
            record.wake_at = at + outcome.seconds
            self.ticker.schedule(record.wake_at, WAKE, record.id)
        elif outcome.kind is Kind.EXIT:
            self.finish(record, outcome.status, reason_for(outcome.status), at)

    def _fire(self, due: float, kind: int, key: str) -> None:
        record = self.containers.get(key)
        if record is None or record.state is not ContainerState.RUNNING:
            return  # the container ended or went away since this timer was set
        if kind == WAKE and record.wake_at == due:
            record.wake_at = NO_TIMER
            self._advance(record, due)
        elif kind == KILL and record.kill_at == due:
            self.finish(record, shell.SIGKILL_EXIT, "Error", due)

    def _writer(self, record: ContainerRecord, at: float) -> shell.Write:
        def write(stream: str, text: str) -> None:
            stamp = self.ticker.wall(at)
            lines = record.logs if record.logs is not None else []
            lines.extend(LogLine(time=stamp, stream=stream, text=line) for line in text.splitlines())
            record.logs = lines
            self.ticker.notify()  # log followers

        return write
