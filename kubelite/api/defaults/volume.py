"""Volume defaults, part of the pod-spec defaults (so templates get them too).

- A volume with no source becomes `emptyDir: {}`.
- ConfigMap, Secret, downward API and projected volumes get `defaultMode: 420` (0644).
- `hostPath.type` becomes "" (Kubernetes' explicit "unset" value).
- Projected service-account tokens expire after 3600 s.
- Downward API `fieldRef`s get apiVersion `v1`.
Mutates in place; idempotent.
"""

from __future__ import annotations

from typing import Protocol

from kubelite.api.core import DownwardAPIVolumeFile, EmptyDirVolumeSource, Volume
from kubelite.api.defaults.container import default_field_ref

DEFAULT_MODE = 0o644
TOKEN_EXPIRATION_SECONDS = 3600


class _HasDefaultMode(Protocol):
    default_mode: int | None


def default_volume(volume: Volume) -> None:
    if not volume.has_source():
        volume.empty_dir = EmptyDirVolumeSource()
    if volume.host_path is not None and volume.host_path.type is None:
        volume.host_path.type = ""
    moded: tuple[_HasDefaultMode | None, ...] = (
        volume.config_map,
        volume.secret,
        volume.downward_api,
        volume.projected,
    )
    for source in moded:
        if source is not None and source.default_mode is None:
            source.default_mode = DEFAULT_MODE
    for item in _downward_items(volume):
        if item.field_ref is not None:
            default_field_ref(item.field_ref)
    _default_projections(volume)


def _default_projections(volume: Volume) -> None:
    if volume.projected is None:
        return
    for projection in volume.projected.sources:
        token = projection.service_account_token
        if token is not None and token.expiration_seconds is None:
            token.expiration_seconds = TOKEN_EXPIRATION_SECONDS


def _downward_items(volume: Volume) -> list[DownwardAPIVolumeFile]:
    items: list[DownwardAPIVolumeFile] = []
    if volume.downward_api is not None:
        items.extend(volume.downward_api.items)
    if volume.projected is not None:
        for projection in volume.projected.sources:
            if projection.downward_api is not None:
                items.extend(projection.downward_api.items)
    return items
