"""Liveness, readiness and startup probes (KUB-9, KUB-10).

Contract: `ProbeTracker` holds the state of one probe of one container instance: its result
(initially Failure for readiness, Success for liveness, unknown for startup), the consecutive
success and failure counts, and when it is next due (no probe before `startedAt +
initialDelaySeconds`, then every `periodSeconds`). `record(ok)` applies `successThreshold` /
`failureThreshold` and reports whether the result flipped. The pod worker runs due probes through
`run_probe`: exec probes through the CRI `exec_sync` (exit 0 is success), HTTP GET (status
200–399; the action's scheme, HTTPS unverified, and headers, as `kubelite.kubelet.httpget` builds
the request) and TCP (a connection) through a `NetworkProber`, which also sends lifecycle hooks' HTTP
GETs (`request`). A timeout is a failure. `SocketProber`
talks to real sockets (the Docker backend); `FakeNetworkProber` answers from a table (fake nodes
have no reachable pod network): unlisted targets succeed while the container runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import anyio

from kubelite.api.core import Container, Probe
from kubelite.cri import CRIError, RuntimeService
from kubelite.kubelet.httpget import PROBE_AGENT, HTTPGetError, HTTPGetRequest, fetch

LIVENESS, READINESS, STARTUP = "liveness", "readiness", "startup"
_AGENT = (("User-Agent", PROBE_AGENT),)


@dataclass(frozen=True, slots=True)
class ProbeSettings:
    """A probe with KUB-9's defaults filled in."""

    probe: Probe
    initial_delay: float
    period: float
    timeout: float
    success_threshold: int
    failure_threshold: int

    @classmethod
    def of(cls, probe: Probe) -> ProbeSettings:
        return cls(
            probe=probe,
            initial_delay=probe.initial_delay_seconds,
            period=probe.period_seconds or 10,
            timeout=probe.timeout_seconds or 1,
            success_threshold=probe.success_threshold or 1,
            failure_threshold=probe.failure_threshold or 3,
        )


@dataclass(slots=True)
class ProbeTracker:
    kind: str
    settings: ProbeSettings
    next_due: float
    result: bool | None = None
    successes: int = 0
    failures: int = 0

    @classmethod
    def start(cls, kind: str, probe: Probe, started_at: float) -> ProbeTracker:
        settings = ProbeSettings.of(probe)
        initial = {LIVENESS: True, READINESS: False, STARTUP: None}[kind]
        return cls(kind=kind, settings=settings, next_due=started_at + settings.initial_delay, result=initial)

    def record(self, ok: bool, now: float) -> bool:
        """Count one probe outcome at `now`; True when the result flipped."""
        self.next_due = now + self.settings.period
        if ok:
            self.successes, self.failures = self.successes + 1, 0
            flip = self.successes >= self.settings.success_threshold and self.result is not True
        else:
            self.failures, self.successes = self.failures + 1, 0
            flip = self.failures >= self.settings.failure_threshold and self.result is not False
        if flip:
            self.result = ok
        return flip


@dataclass(slots=True)
class ContainerProbes:
    """The probes of one container instance (reset when the container restarts)."""

    container_id: str
    trackers: dict[str, ProbeTracker] = field(default_factory=dict)

    @classmethod
    def of(cls, container: Container, container_id: str, started_at: float) -> ContainerProbes:
        probes = cls(container_id)
        for kind, probe in (
            (STARTUP, container.startup_probe),
            (LIVENESS, container.liveness_probe),
            (READINESS, container.readiness_probe),
        ):
            if probe is not None:
                probes.trackers[kind] = ProbeTracker.start(kind, probe, started_at)
        return probes

    @property
    def started(self) -> bool:
        startup = self.trackers.get(STARTUP)
        return startup is None or startup.result is True

    @property
    def ready(self) -> bool:
        if not self.started:
            return False
        readiness = self.trackers.get(READINESS)
        return readiness is None or readiness.result is True

    def due(self, now: float) -> list[ProbeTracker]:
        """Trackers due at `now`; only the startup probe until it succeeds (KUB-10)."""
        if not self.started:
            return [t for t in (self.trackers[STARTUP],) if t.next_due <= now]
        return [t for kind, t in self.trackers.items() if kind != STARTUP and t.next_due <= now]

    def next_due(self) -> float | None:
        if not self.started:
            return self.trackers[STARTUP].next_due
        times = [t.next_due for kind, t in self.trackers.items() if kind != STARTUP]
        return min(times) if times else None


class NetworkProber(Protocol):
    async def http_get(self, host: str, port: int, path: str, within: float) -> bool: ...

    async def request(self, request: HTTPGetRequest, within: float) -> int:
        """The status code of one HTTP GET; `HTTPGetError` when no answer comes (lifecycle hooks)."""
        ...

    async def tcp(self, host: str, port: int, within: float) -> bool: ...


class SocketProber:
    """HTTP GET and TCP connect over real sockets (HTTP through `kubelite.kubelet.httpget`)."""

    async def http_get(self, host: str, port: int, path: str, within: float) -> bool:
        path = path if path.startswith("/") else f"/{path}"
        try:
            status = await self.request(HTTPGetRequest("http", host, port, path, _AGENT), within)
        except HTTPGetError:
            return False
        return 200 <= status < 400

    async def request(self, request: HTTPGetRequest, within: float) -> int:
        return await fetch(request, within)

    async def tcp(self, host: str, port: int, within: float) -> bool:
        with anyio.move_on_after(within):
            try:
                stream = await anyio.connect_tcp(host, port)
            except OSError:
                return False
            await stream.aclose()
            return True
        return False


class FakeNetworkProber:
    """Scripted answers keyed by (host, port); anything unscripted succeeds."""

    def __init__(self) -> None:
        self.answers: dict[tuple[str, int], bool] = {}

    async def http_get(self, host: str, port: int, path: str, within: float) -> bool:
        return self.answers.get((host, port), True)

    async def tcp(self, host: str, port: int, within: float) -> bool:
        return self.answers.get((host, port), True)

    async def request(self, request: HTTPGetRequest, within: float) -> int:
        """200, or no answer (`HTTPGetError`) for a target scripted False."""
        if not self.answers.get((request.host, request.port), True):
            raise HTTPGetError(f'Get "{request.url}": scripted to fail')
        return 200


def resolve_port(port: int | str, container: Container) -> int:
    if isinstance(port, int):
        return port
    if port.isdigit():
        return int(port)
    for declared in container.ports:
        if declared.name == port:
            return declared.container_port
    raise ValueError(f"port {port!r} not found in container {container.name!r}")


async def run_probe(
    settings: ProbeSettings,
    container: Container,
    container_id: str,
    pod_ip: str,
    runtime: RuntimeService,
    network: NetworkProber,
) -> bool:
    """One probe attempt; any error or timeout is a failure."""
    probe = settings.probe
    try:
        if probe.exec is not None:
            result = await runtime.exec_sync(container_id, list(probe.exec.command), settings.timeout)
            return result.exit_code == 0
        if probe.http_get is not None:
            action = probe.http_get
            request = HTTPGetRequest.of(action, resolve_port(action.port, container), pod_ip, PROBE_AGENT)
            return 200 <= await network.request(request, settings.timeout) < 400
        if probe.tcp_socket is not None:
            port = resolve_port(probe.tcp_socket.port, container)
            return await network.tcp(probe.tcp_socket.host or pod_ip, port, settings.timeout)
    except (CRIError, ValueError, HTTPGetError):
        return False
    return True  # gRPC probes are not modelled: treated as passing
