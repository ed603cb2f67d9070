"""Probes and lifecycle hooks: the handler kinds are flattened into the probe, as in Kubernetes.

A `Probe` or `LifecycleHandler` carries exactly one of its handlers (`exec`, `httpGet`,
`tcpSocket`, `grpc` for probes; `exec`, `httpGet`, `tcpSocket`, `sleep` for hooks). Ports are
int-or-string (a number or a container port name). Unset thresholds are 0 here and get Kubernetes'
defaults from `kubelite.api.defaults` (timeout 1 s, period 10 s, success 1, failure 3).
"""

from __future__ import annotations

from kubelite.api.meta import Base


class ExecAction(Base):
    command: list[str] = []


class HTTPHeader(Base):
    name: str
    value: str


class HTTPGetAction(Base):
    port: int | str
    path: str = ""
    host: str = ""
    scheme: str = ""
    http_headers: list[HTTPHeader] = []


class TCPSocketAction(Base):
    port: int | str
    host: str = ""


class GRPCAction(Base):
    port: int
    service: str | None = None


class SleepAction(Base):
    seconds: int


class Probe(Base):
    exec: ExecAction | None = None
    http_get: HTTPGetAction | None = None
    tcp_socket: TCPSocketAction | None = None
    grpc: GRPCAction | None = None
    initial_delay_seconds: int = 0
    timeout_seconds: int = 0
    period_seconds: int = 0
    success_threshold: int = 0
    failure_threshold: int = 0
    termination_grace_period_seconds: int | None = None


class LifecycleHandler(Base):
    exec: ExecAction | None = None
    http_get: HTTPGetAction | None = None
    tcp_socket: TCPSocketAction | None = None
    sleep: SleepAction | None = None


class Lifecycle(Base):
    post_start: LifecycleHandler | None = None
    pre_stop: LifecycleHandler | None = None
