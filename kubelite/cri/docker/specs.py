"""Docker create bodies (`POST /containers/create`) for pod sandboxes and app containers.

Contract (pure functions, no I/O):
- A sandbox is a container running `command` from `image`, and holds the pod's namespaces: its own
  network namespace in `network` mode (Docker's "none" gives it only a loopback), or the host's for a
  host-network pod (no hostname or DNS settings then: those belong to the node). Its IPC namespace
  is shareable. DNS servers and searches go to the sandbox,
  and app containers share its resolv.conf, hosts and hostname through its network namespace.
- An app container joins the sandbox's network and IPC namespaces (`container:<sandbox id>`), so
  the pod's containers share 127.0.0.1. `command` replaces the image's entrypoint and `args` its
  cmd; an empty `command` keeps the image's entrypoint, and with it the image's cmd when `args` is
  empty too (Kubernetes' rule). Mounts are bind mounts of existing host paths. Logs use the
  json-file driver, so `docker logs` can read them back whatever the daemon's default is.
- Resources (`ContainerConfig.resources`) become the cgroup settings of the container's host config:
  `CpuShares`, `CpuQuota`/`CpuPeriod` and `Memory`, with `MemorySwap` (memory plus swap) when set;
  unset fields (0) are left to the daemon's defaults. The daemon enforces them: a process that
  exceeds `Memory` is OOM-killed.
- Port mappings are not applied: a sandbox without a pod network has nothing to publish.
"""

from __future__ import annotations

from typing import Any

from kubelite.cri.container import ContainerConfig, LinuxContainerResources
from kubelite.cri.sandbox import PodSandboxConfig

HOST = "host"
LOG_CONFIG = {"Type": "json-file", "Config": {}}


def sandbox_spec(
    config: PodSandboxConfig, *, image: str, command: list[str], network: str, labels: dict[str, str]
) -> dict[str, Any]:
    host_config: dict[str, Any] = {
        "NetworkMode": HOST if config.host_network else network,
        "IpcMode": "shareable",
    }
    spec: dict[str, Any] = {
        "Image": image,
        "Entrypoint": list(command),
        "Cmd": [],
        "Labels": labels,
        "HostConfig": host_config,
    }
    if not config.host_network:
        if config.hostname:
            spec["Hostname"] = config.hostname
        if config.dns_servers:
            host_config["Dns"] = list(config.dns_servers)
        if config.dns_searches:
            host_config["DnsSearch"] = list(config.dns_searches)
    return spec


def container_spec(config: ContainerConfig, *, sandbox_id: str, labels: dict[str, str]) -> dict[str, Any]:
    host_config: dict[str, Any] = {
        "NetworkMode": f"container:{sandbox_id}",
        "IpcMode": f"container:{sandbox_id}",
        "Mounts": [_mount(m.host_path, m.container_path, m.readonly) for m in config.mounts],
        "LogConfig": LOG_CONFIG,
        **_resources(config.resources),
    }
    return {
        "Image": config.image,
        "Entrypoint": list(config.command) if config.command else None,
        "Cmd": list(config.args) if config.args else ([] if config.command else None),
        "Env": [f"{pair.key}={pair.value}" for pair in config.envs],
        "WorkingDir": config.working_dir,
        "Labels": labels,
        "Tty": config.tty,
        "OpenStdin": config.stdin,
        "HostConfig": host_config,
    }


def _resources(resources: LinuxContainerResources | None) -> dict[str, int]:
    if resources is None:
        return {}
    fields = {
        "CpuShares": resources.cpu_shares,
        "CpuQuota": resources.cpu_quota,
        "CpuPeriod": resources.cpu_period,
        "Memory": resources.memory_limit_in_bytes,
        "MemorySwap": resources.memory_swap_limit_in_bytes,
    }
    return {name: value for name, value in fields.items() if value}


def _mount(source: str, target: str, readonly: bool) -> dict[str, Any]:
    return {"Type": "bind", "Source": source, "Target": target, "ReadOnly": readonly}
