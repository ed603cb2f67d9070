"""Typed views of the Docker Engine API responses this backend reads.

Contract: `decode(data, type)` turns a parsed JSON response (as aiodocker returns it) into one of
the structs below, keeping only the fields named here and ignoring the rest; a response of the
wrong shape raises `CRIError`. Field names follow the Engine API (v1.41 and later). Times are the
daemon's RFC 3339 strings, converted by `kubelite.cri.docker.times`.
"""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec

from kubelite.cri.errors import CRIError

T = TypeVar("T")


class State(msgspec.Struct, frozen=True):
    status: str = msgspec.field(name="Status", default="")
    running: bool = msgspec.field(name="Running", default=False)
    exit_code: int = msgspec.field(name="ExitCode", default=0)
    oom_killed: bool = msgspec.field(name="OOMKilled", default=False)
    error: str = msgspec.field(name="Error", default="")
    started_at: str = msgspec.field(name="StartedAt", default="")
    finished_at: str = msgspec.field(name="FinishedAt", default="")


class Config(msgspec.Struct, frozen=True):
    image: str = msgspec.field(name="Image", default="")
    labels: dict[str, str] | None = msgspec.field(name="Labels", default=None)
    tty: bool = msgspec.field(name="Tty", default=False)


class HostConfig(msgspec.Struct, frozen=True):
    """The cgroup settings a container was created with (0: not set)."""

    cpu_shares: int = msgspec.field(name="CpuShares", default=0)
    cpu_quota: int = msgspec.field(name="CpuQuota", default=0)
    cpu_period: int = msgspec.field(name="CpuPeriod", default=0)
    memory: int = msgspec.field(name="Memory", default=0)
    memory_swap: int = msgspec.field(name="MemorySwap", default=0)


class Endpoint(msgspec.Struct, frozen=True):
    ip_address: str = msgspec.field(name="IPAddress", default="")


class NetworkSettings(msgspec.Struct, frozen=True):
    networks: dict[str, Endpoint] | None = msgspec.field(name="Networks", default=None)


class Inspect(msgspec.Struct, frozen=True):
    """`GET /containers/{id}/json`."""

    id: str = msgspec.field(name="Id")
    created: str = msgspec.field(name="Created", default="")
    image: str = msgspec.field(name="Image", default="")
    state: State = msgspec.field(name="State", default_factory=State)
    config: Config = msgspec.field(name="Config", default_factory=Config)
    host_config: HostConfig = msgspec.field(name="HostConfig", default_factory=HostConfig)
    network_settings: NetworkSettings = msgspec.field(name="NetworkSettings", default_factory=NetworkSettings)

    @property
    def labels(self) -> dict[str, str]:
        return self.config.labels or {}


class Row(msgspec.Struct, frozen=True):
    """One item of `GET /containers/json`; `created` is whole epoch seconds."""

    id: str = msgspec.field(name="Id")
    created: int = msgspec.field(name="Created", default=0)
    state: str = msgspec.field(name="State", default="")
    image_id: str = msgspec.field(name="ImageID", default="")
    labels: dict[str, str] | None = msgspec.field(name="Labels", default=None)


class Actor(msgspec.Struct, frozen=True):
    id: str = msgspec.field(name="ID", default="")
    attributes: dict[str, str] | None = msgspec.field(name="Attributes", default=None)


class Event(msgspec.Struct, frozen=True):
    """One message of `GET /events`."""

    type: str = msgspec.field(name="Type", default="")
    action: str = msgspec.field(name="Action", default="")
    actor: Actor = msgspec.field(name="Actor", default_factory=Actor)
    time_nano: int = msgspec.field(name="timeNano", default=0)


class Image(msgspec.Struct, frozen=True):
    """`GET /images/{name}/json` and the items of `GET /images/json`."""

    id: str = msgspec.field(name="Id")
    repo_tags: list[str] | None = msgspec.field(name="RepoTags", default=None)
    repo_digests: list[str] | None = msgspec.field(name="RepoDigests", default=None)
    size: int = msgspec.field(name="Size", default=0)


class ExecInspect(msgspec.Struct, frozen=True):
    """`GET /exec/{id}/json`."""

    running: bool = msgspec.field(name="Running", default=False)
    exit_code: int | None = msgspec.field(name="ExitCode", default=None)


def decode(data: Any, type: type[T]) -> T:
    """`data` (parsed JSON) as `type`; `CRIError` when the daemon answered something else."""
    try:
        return msgspec.convert(data, type)
    except msgspec.ValidationError as error:
        raise CRIError(f"unexpected answer from the Docker daemon: {error}") from error
