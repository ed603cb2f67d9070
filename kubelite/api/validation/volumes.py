"""Validation of pod volumes and container volume mounts.

Volume names are unique DNS-1123 labels and each volume names exactly one source (`must specify a
volume type`, `may not specify more than 1 volume type`); sources need their key field (hostPath
`path`, secret `secretName`, configMap `name`, persistentVolumeClaim `claimName`).
`validate_volumes` returns the errors and the names of the volumes that are valid, which mounts
may refer to: a mount of an undeclared volume is `Not found`, mount paths are unique, and subPaths
are relative paths without `..`. Paths and messages follow Kubernetes, including its quirks (the
forbidden path `downwarAPI`, subPath errors reported on the unindexed mounts path). Pure functions.
"""

from __future__ import annotations

import posixpath

from kubelite.api.core.volume import Volume, VolumeMount
from kubelite.api.errors import FieldError, duplicate, forbidden, invalid, required
from kubelite.api.validation import names
from kubelite.api.validation.fields import messages, not_found


def validate_volumes(volumes: list[Volume], path: str) -> tuple[set[str], list[FieldError]]:
    valid: set[str] = set()
    errors: list[FieldError] = []
    for index, volume in enumerate(volumes):
        item = f"{path}[{index}]"
        problems = _source(volume, item)
        if not volume.name:
            problems.append(required(f"{item}.name"))
        else:
            problems += messages(volume.name, f"{item}.name", names.is_dns1123_label(volume.name))
        if volume.name in valid:
            problems.append(duplicate(volume.name, f"{item}.name"))
        if problems:
            errors += problems
        else:
            valid.add(volume.name)
    return valid, errors


def _sources(volume: Volume) -> list[tuple[str, object | None]]:
    """The set sources in Kubernetes' checking order, with the path name it reports them under."""
    return [
        ("emptyDir", volume.empty_dir),
        ("hostPath", volume.host_path),
        ("secret", volume.secret),
        ("persistentVolumeClaim", volume.persistent_volume_claim),
        ("downwarAPI", volume.downward_api),
        ("configMap", volume.config_map),
        ("projected", volume.projected),
    ]


def _source(volume: Volume, path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    count = 0
    for name, source in _sources(volume):
        if source is None:
            continue
        if count:
            errors.append(forbidden(f"{path}.{name}", "may not specify more than 1 volume type"))
            continue
        count += 1
        errors += _source_fields(volume, path)
    if not count:
        errors.append(required(path, "must specify a volume type"))
    return errors


def _source_fields(volume: Volume, path: str) -> list[FieldError]:
    if volume.host_path is not None and not volume.host_path.path:
        return [required(f"{path}.hostPath.path")]
    if volume.secret is not None and not volume.secret.secret_name:
        return [required(f"{path}.secret.secretName")]
    if volume.config_map is not None and not volume.config_map.name:
        return [required(f"{path}.configMap.name")]
    claim = volume.persistent_volume_claim
    if claim is not None and not claim.claim_name.strip():
        return [required(f"{path}.persistentVolumeClaim.claimName")]
    return []


def validate_volume_mounts(mounts: list[VolumeMount], volumes: set[str], path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    mount_paths: set[str] = set()
    for index, mount in enumerate(mounts):
        item = f"{path}[{index}]"
        if not mount.name:
            errors.append(required(f"{item}.name"))
        if mount.name not in volumes:
            errors.append(not_found(mount.name, f"{item}.name"))
        if not mount.mount_path:
            errors.append(required(f"{item}.mountPath"))
        if mount.mount_path in mount_paths:
            errors.append(invalid(mount.mount_path, f"{item}.mountPath", "must be unique"))
        mount_paths.add(mount.mount_path)
        if mount.sub_path:
            errors += local_descending_path(mount.sub_path, f"{path}.subPath")
        if mount.sub_path_expr:
            if mount.sub_path:
                detail = "subPathExpr and subPath are mutually exclusive"
                errors.append(invalid(mount.sub_path_expr, f"{item}.subPathExpr", detail))
            errors += local_descending_path(mount.sub_path_expr, f"{path}.subPathExpr")
    return errors


def local_descending_path(target: str, path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    if posixpath.isabs(target):
        errors.append(invalid(target, path, "must be a relative path"))
    if ".." in target.replace("\\", "/").split("/"):
        errors.append(invalid(target, path, "must not contain '..'"))
    return errors
