"""Volumes on the node: the host directories a pod's volume mounts point at.

Contract: `VolumeManager(root, fetch)` prepares a pod's volumes under
`<root>/pods/<uid>/volumes/<name>`: `emptyDir` is an empty directory, `configMap` and `secret`
are directories holding one file per key (or per `items` entry, at its `path`), written fresh at
each container start; `hostPath` is the node path itself (created as a directory when its type is
`DirectoryOrCreate`). `mounts(pod, container)` returns the CRI mounts for a container's
`volumeMounts` (`subPath` joins below the volume). A mount naming an unknown volume, or a
missing ConfigMap/Secret that is not optional, raises `ConfigError`. With `root=None` (fake
nodes) nothing is written and mounts point at the would-be paths. `cleanup(uid)` removes a pod's
directories; `pod_uids()` lists the pods that have some.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from kubelite.api.core import Container, KeyToPath, Pod, Volume
from kubelite.cri import Mount
from kubelite.kubelet.env import ConfigError, Fetch, data_of

_FAKE_ROOT = Path("/var/lib/kubelite")


FetchIn = Callable[[str], Fetch]
"""`fetch_in(namespace)`: a `Fetch` reading ConfigMaps and Secrets of that namespace."""


class VolumeManager:
    def __init__(self, root: Path | None, fetch_in: FetchIn) -> None:
        self._root = root
        self._fetch_in = fetch_in

    def pod_dir(self, uid: str) -> Path:
        return (self._root or _FAKE_ROOT) / "pods" / uid

    async def mounts(self, pod: Pod, container: Container) -> tuple[Mount, ...]:
        volumes = {volume.name: volume for volume in pod.spec.volumes}
        found: list[Mount] = []
        for mount in container.volume_mounts:
            volume = volumes.get(mount.name)
            if volume is None:
                raise ConfigError(f"volume {mount.name!r} is not defined in the pod")
            host = await self._prepare(pod, volume)
            if mount.sub_path:
                host = host / mount.sub_path
            found.append(
                Mount(container_path=mount.mount_path, host_path=str(host), readonly=mount.read_only)
            )
        return tuple(found)

    def cleanup(self, uid: str) -> None:
        if self._root is not None:
            shutil.rmtree(self.pod_dir(uid), ignore_errors=True)

    def pod_uids(self) -> list[str]:
        """The UIDs of the pods that have a directory on this node (none on fake nodes)."""
        if self._root is None or not (self._root / "pods").is_dir():
            return []
        return sorted(entry.name for entry in (self._root / "pods").iterdir() if entry.is_dir())

    async def _prepare(self, pod: Pod, volume: Volume) -> Path:
        if volume.host_path is not None:
            path = Path(volume.host_path.path)
            if self._root is not None and volume.host_path.type == "DirectoryOrCreate":
                _write(path, {})
            return path
        target = self.pod_dir(pod.metadata.uid) / "volumes" / volume.name
        files = await self._files(volume, self._fetch_in(pod.metadata.namespace))
        if self._root is not None:
            _write(target, files)
        return target

    async def _files(self, volume: Volume, fetch: Fetch) -> dict[str, str]:
        if volume.config_map is not None:
            source = volume.config_map
            return await _keyed(fetch, "configmap", source.name, source.items, bool(source.optional))
        if volume.secret is not None:
            secret = volume.secret
            return await _keyed(fetch, "secret", secret.secret_name, secret.items, bool(secret.optional))
        return {}  # emptyDir and kinds not modelled: an empty directory


async def _keyed(
    fetch: Fetch, kind: str, name: str, items: list[KeyToPath], optional: bool
) -> dict[str, str]:
    found = await fetch(kind, name)
    if found is None:
        if optional:
            return {}
        raise ConfigError(f'{kind} "{name}" not found')
    data = data_of(found)
    if not items:
        return data
    missing = [item.key for item in items if item.key not in data]
    if missing and not optional:
        raise ConfigError(f"couldn't find key {missing[0]} in {kind} {name}")
    return {item.path: data[item.key] for item in items if item.key in data}


def _write(directory: Path, files: dict[str, str]) -> None:
    """Create `directory` and write `files` (relative path → text) into it (small, local writes)."""
    directory.mkdir(parents=True, exist_ok=True)
    for relative, content in files.items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
