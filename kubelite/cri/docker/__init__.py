"""The Docker backend of the CRI protocols: `DockerRuntime` (RuntimeService) and
`DockerImageService` (ImageService) over an `aiodocker.Docker` client.

Pods are a sandbox container holding the network and IPC namespaces plus app containers that join
them; all state is kept in the daemon as `io.kubelite.*` labels. See `kubelite.cri.docker.runtime`
for the contract, `views` for exit reasons and sandbox IPs, `labels` for the label scheme.
"""

from kubelite.cri.docker.images import DockerImageService
from kubelite.cri.docker.runtime import SANDBOX_COMMAND, DockerRuntime

__all__ = ["SANDBOX_COMMAND", "DockerImageService", "DockerRuntime"]
