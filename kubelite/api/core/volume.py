"""Pod volumes and container volume mounts.

A `Volume` names exactly one source. kubelite models the sources real manifests use: `emptyDir`,
`hostPath`, `configMap`, `secret`, `persistentVolumeClaim`, `downwardAPI` and `projected` (the
service-account token, ConfigMap, Secret and downward API projections). A volume with no source
gets `emptyDir: {}` from defaulting, as in Kubernetes. File modes are decimal ints (0644 is 420).
"""

from __future__ import annotations

import msgspec

from kubelite.api.core.env import ObjectFieldSelector, ResourceFieldSelector
from kubelite.api.meta import Base


class VolumeMount(Base):
    name: str
    mount_path: str
    read_only: bool = False
    recursive_read_only: str | None = None
    sub_path: str = ""
    mount_propagation: str | None = None
    sub_path_expr: str = ""


class VolumeDevice(Base):
    name: str
    device_path: str


class KeyToPath(Base):
    key: str
    path: str
    mode: int | None = None


class EmptyDirVolumeSource(Base):
    medium: str = ""
    size_limit: str | None = None


class HostPathVolumeSource(Base):
    path: str
    type: str | None = None


class ConfigMapVolumeSource(Base):
    name: str = ""
    items: list[KeyToPath] = []
    default_mode: int | None = None
    optional: bool | None = None


class SecretVolumeSource(Base):
    secret_name: str = ""
    items: list[KeyToPath] = []
    default_mode: int | None = None
    optional: bool | None = None


class PersistentVolumeClaimVolumeSource(Base):
    claim_name: str
    read_only: bool = False


class DownwardAPIVolumeFile(Base):
    path: str
    field_ref: ObjectFieldSelector | None = None
    resource_field_ref: ResourceFieldSelector | None = None
    mode: int | None = None


class DownwardAPIVolumeSource(Base):
    items: list[DownwardAPIVolumeFile] = []
    default_mode: int | None = None


class ConfigMapProjection(Base):
    name: str = ""
    items: list[KeyToPath] = []
    optional: bool | None = None


class SecretProjection(Base):
    name: str = ""
    items: list[KeyToPath] = []
    optional: bool | None = None


class DownwardAPIProjection(Base):
    items: list[DownwardAPIVolumeFile] = []


class ServiceAccountTokenProjection(Base):
    path: str
    audience: str = ""
    expiration_seconds: int | None = None


class VolumeProjection(Base):
    secret: SecretProjection | None = None
    downward_api: DownwardAPIProjection | None = msgspec.field(default=None, name="downwardAPI")
    config_map: ConfigMapProjection | None = None
    service_account_token: ServiceAccountTokenProjection | None = None


class ProjectedVolumeSource(Base):
    sources: list[VolumeProjection] = []
    default_mode: int | None = None


class Volume(Base):
    name: str
    host_path: HostPathVolumeSource | None = None
    empty_dir: EmptyDirVolumeSource | None = None
    secret: SecretVolumeSource | None = None
    persistent_volume_claim: PersistentVolumeClaimVolumeSource | None = None
    downward_api: DownwardAPIVolumeSource | None = msgspec.field(default=None, name="downwardAPI")
    config_map: ConfigMapVolumeSource | None = None
    projected: ProjectedVolumeSource | None = None

    def has_source(self) -> bool:
        """Whether any volume source is set (a sourceless volume defaults to `emptyDir`)."""
        return any(
            source is not None
            for source in (
                self.host_path,
                self.empty_dir,
                self.secret,
                self.persistent_volume_claim,
                self.downward_api,
                self.config_map,
                self.projected,
            )
        )
