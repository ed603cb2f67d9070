"""CRI-shaped container runtime protocols and their fake and Docker backends.

`kubelite.cri.service` holds the `RuntimeService` and `ImageService` protocols; `sandbox`,
`container` and `image` hold their typed requests and statuses; `errors` the failures a runtime
reports. Backends live in `kubelite.cri.fake` and `kubelite.cri.docker`. Only `kubelite.kubelet`
uses this package (layering).
"""

from kubelite.cri.container import (
    ContainerConfig,
    ContainerEvent,
    ContainerEventType,
    ContainerFilter,
    ContainerInfo,
    ContainerMetadata,
    ContainerState,
    ContainerStatus,
    ExecResult,
    KeyValue,
    LinuxContainerResources,
    LogLine,
    LogOptions,
    Mount,
)
from kubelite.cri.errors import (
    ContainerNotFound,
    CRIError,
    ImageNotFound,
    ImagePullError,
    InvalidConfig,
    RuntimeUnavailable,
    SandboxNotFound,
)
from kubelite.cri.image import ImageFilter, ImageInfo, ImageSpec
from kubelite.cri.sandbox import (
    PodSandboxConfig,
    PodSandboxFilter,
    PodSandboxInfo,
    PodSandboxMetadata,
    PodSandboxState,
    PodSandboxStatus,
    PortMapping,
)
from kubelite.cri.service import ImageService, RuntimeService, RuntimeVersion

__all__ = [
    "CRIError",
    "ContainerConfig",
    "ContainerEvent",
    "ContainerEventType",
    "ContainerFilter",
    "ContainerInfo",
    "ContainerMetadata",
    "ContainerNotFound",
    "ContainerState",
    "ContainerStatus",
    "ExecResult",
    "ImageFilter",
    "ImageInfo",
    "ImageNotFound",
    "ImagePullError",
    "ImageService",
    "ImageSpec",
    "InvalidConfig",
    "KeyValue",
    "LinuxContainerResources",
    "LogLine",
    "LogOptions",
    "Mount",
    "PodSandboxConfig",
    "PodSandboxFilter",
    "PodSandboxInfo",
    "PodSandboxMetadata",
    "PodSandboxState",
    "PodSandboxStatus",
    "PortMapping",
    "RuntimeService",
    "RuntimeUnavailable",
    "RuntimeVersion",
    "SandboxNotFound",
]
