"""The `server` command's settings: its flags parsed into typed, validated, frozen objects.

`server_settings(args)` turns the argparse namespace into a `ServerSettings` or raises
`SettingsError` with a message naming the flag and the bad value (the command prints it and exits
2, as argparse does for its own errors). Validation here is everything that can be decided before
anything starts: the listen address, `--insecure-http` only on a loopback address, `--nodes ≥ 0`,
`--plugin module:attr`, the sandbox command's shell syntax. Nothing here touches the disk.
"""

from __future__ import annotations

import argparse
import ipaddress
import shlex
from dataclasses import dataclass, field
from pathlib import Path

PAUSE_IMAGE = "registry.k8s.io/pause:3.10"
"""The standard pod sandbox image (kubeadm's default for Kubernetes 1.32)."""

PAUSE_COMMAND = ("/pause",)
"""The pause image's own program: it sleeps until signalled and reaps zombies."""

DEFAULT_LISTEN = "127.0.0.1:6443"
RUNTIMES = ("auto", "fake", "docker")
STORES = ("sqlite", "memory")
LOG_FORMATS = ("console", "json")
LOG_LEVELS = ("debug", "info", "warning", "error", "critical")
MAX_NODES = 10_000


class SettingsError(ValueError):
    """A flag's value is unusable; the message says which flag and why."""


@dataclass(frozen=True, slots=True)
class ListenAddress:
    host: str
    """An IP address or host name; `0.0.0.0` or `::` listens on every interface."""
    port: int
    """0 picks a free port (the kubeconfig names the one bound)."""

    @property
    def is_loopback(self) -> bool:
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False


@dataclass(frozen=True, slots=True)
class DockerRuntimeSettings:
    host: str | None = None
    """The Docker daemon URL; None: `DOCKER_HOST`, else the default socket."""
    sandbox_image: str = PAUSE_IMAGE
    """Each pod's sandbox container image; present in the daemon or pullable."""
    sandbox_command: tuple[str, ...] | None = PAUSE_COMMAND
    """The sandbox's command; None: the Docker runtime's default (a long `sleep`)."""


@dataclass(frozen=True, slots=True)
class LogSettings:
    format: str = "console"
    """"console" (human readable, to stderr) or "json" (one object a line)."""
    level: str = "info"
    """The least severe level printed."""


@dataclass(frozen=True, slots=True)
class ServerSettings:
    data_dir: Path = field(default_factory=lambda: Path("~/.kubelite").expanduser())
    """Holds the database, the PKI, the token and (by default) the kubeconfig."""
    listen: ListenAddress = field(default_factory=lambda: parse_listen(DEFAULT_LISTEN))
    """Where the API is served."""
    runtime: str = "auto"
    """"fake", "docker", or "auto" (Docker when its socket answers, else fake)."""
    docker: DockerRuntimeSettings = field(default_factory=DockerRuntimeSettings)
    """The Docker node's daemon and pod sandbox."""
    nodes: int = 1
    """Fake nodes to run (with Docker, the one node is this host)."""
    store: str = "sqlite"
    """"sqlite" (durable, `<data-dir>/kubelite.db`) or "memory" (gone on exit)."""
    kubeconfig: Path | None = None
    """Where the admin kubeconfig is written; None: `<data-dir>/kubeconfig.yaml`."""
    plugins: tuple[str, ...] = ()
    """`module:attr` plugin references (loaded by the plugins work; accepted now)."""
    log: LogSettings = field(default_factory=LogSettings)
    """Log output."""
    insecure_http: bool = False
    """Plain HTTP without authentication; only allowed on a loopback address."""

    @property
    def kubeconfig_path(self) -> Path:
        return self.kubeconfig if self.kubeconfig is not None else self.data_dir / "kubeconfig.yaml"


def parse_listen(text: str) -> ListenAddress:
    """`HOST:PORT` (IPv6 as `[::1]:6443`) into a `ListenAddress`."""
    host, sep, port_text = text.rpartition(":")
    if not sep or not host:
        raise SettingsError(f"invalid --listen {text!r}: expected HOST:PORT, e.g. 127.0.0.1:6443")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    elif ":" in host:
        raise SettingsError(f"invalid --listen {text!r}: write an IPv6 address in brackets, e.g. [::1]:6443")
    if not port_text.isdigit() or not 0 <= int(port_text) <= 65535:
        raise SettingsError(f"invalid --listen {text!r}: the port must be a number from 0 to 65535")
    return ListenAddress(host, int(port_text))


def _nodes(value: int) -> int:
    if not 0 <= value <= MAX_NODES:
        raise SettingsError(f"invalid --nodes {value}: must be between 0 and {MAX_NODES}")
    return value


def _plugins(values: list[str] | None) -> tuple[str, ...]:
    for value in values or []:
        module, sep, attr = value.partition(":")
        if not sep or not module or not attr:
            raise SettingsError(f"invalid --plugin {value!r}: expected module:attr")
    return tuple(values or [])


def _sandbox_command(text: str | None, image: str) -> tuple[str, ...] | None:
    if text is None:
        return PAUSE_COMMAND if image == PAUSE_IMAGE else None
    try:
        words = tuple(shlex.split(text))
    except ValueError as err:
        raise SettingsError(f"invalid --sandbox-command {text!r}: {err}") from None
    if not words:
        raise SettingsError("invalid --sandbox-command '': it must name a program")
    return words


def server_settings(args: argparse.Namespace) -> ServerSettings:
    """The settings the parsed flags describe; `SettingsError` for a value that cannot work."""
    listen = parse_listen(args.listen)
    if args.insecure_http and not listen.is_loopback:
        raise SettingsError(
            f"--insecure-http serves the API without TLS or authentication and is only allowed on a "
            f"loopback address (127.0.0.1, ::1, localhost), not {listen.host!r}"
        )
    docker = DockerRuntimeSettings(
        host=args.docker_host,
        sandbox_image=args.sandbox_image,
        sandbox_command=_sandbox_command(args.sandbox_command, args.sandbox_image),
    )
    return ServerSettings(
        data_dir=Path(args.data_dir).expanduser(),
        listen=listen,
        runtime=args.runtime,
        docker=docker,
        nodes=_nodes(args.nodes),
        store=args.store,
        kubeconfig=Path(args.kubeconfig).expanduser() if args.kubeconfig else None,
        plugins=_plugins(args.plugin),
        log=LogSettings(format=args.log_format, level=args.log_level.lower()),
        insecure_http=args.insecure_http,
    )


def add_server_arguments(parser: argparse.ArgumentParser) -> None:
    """The `server` flags (names fixed by the issue: other tools rely on them)."""
    add = parser.add_argument
    add("--data-dir", default="~/.kubelite", help="database, PKI, token and kubeconfig (default ~/.kubelite)")
    add("--listen", default=DEFAULT_LISTEN, help=f"HOST:PORT to serve on (default {DEFAULT_LISTEN})")
    add("--runtime", choices=RUNTIMES, default="auto", help="auto: Docker when its socket answers, else fake")
    add("--docker-host", default=None, help="Docker daemon URL (default DOCKER_HOST or the local socket)")
    add("--sandbox-image", default=PAUSE_IMAGE, help=f"pod sandbox image (default {PAUSE_IMAGE})")
    add("--sandbox-command", default=None, help="pod sandbox command (default the pause image's /pause)")
    add("--nodes", type=int, default=1, help="fake nodes (default 1; with Docker the one node is this host)")
    add("--store", choices=STORES, default="sqlite", help="sqlite (durable, default) or memory")
    add(
        "--kubeconfig",
        default=None,
        help="where to write the admin kubeconfig (default <data-dir>/kubeconfig.yaml)",
    )
    add("--plugin", action="append", default=None, metavar="MODULE:ATTR", help="load a plugin (repeatable)")
    add("--log-format", choices=LOG_FORMATS, default="console", help="console (default) or json")
    add("--log-level", type=str.lower, choices=LOG_LEVELS, default="info", help="default info")
    add("--insecure-http", action="store_true", help="plain HTTP without auth; loopback addresses only")
