"""A node whose pods run in real Docker containers: a kubelet over the Docker CRI backend.

Contract: `async with docker_node(client, dispatcher, data_dir=..., sandbox_image=...) as kubelet:`
opens an `aiodocker` client to `url` (None: `DOCKER_HOST`, else the default local socket), checks
that the daemon answers (`RuntimeUnavailable` otherwise), and yields a `Kubelet` for `node_name`
whose capacity is the host's CPUs and memory (`KubeletConfig.for_host`), whose runtime is a
`DockerRuntime` named "docker" (container IDs read `docker://<id>`), whose probes use real sockets
and whose volumes live under `data_dir`. The caller runs `kubelet.run()`; leaving the block closes
the client. The sandbox image must be present in the daemon or pullable; `sandbox_command` is its
command (None: the runtime's default). `docker_answers(url)`
says whether a daemon answers there (the `auto` runtime choice).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

import aiodocker

from kubelite.client import Client, EventRecorder
from kubelite.clock import Clock
from kubelite.cri import RuntimeUnavailable
from kubelite.cri.docker import DockerImageService, DockerRuntime
from kubelite.cri.docker.runtime import SANDBOX_COMMAND
from kubelite.kubelet.config import KubeletConfig
from kubelite.kubelet.dispatch import PodDispatcher
from kubelite.kubelet.kubelet import Kubelet
from kubelite.kubelet.prober import SocketProber


async def docker_answers(url: str | None = None) -> bool:
    try:
        async with aiodocker.Docker(url=url) as docker:
            await docker.version()
    except (aiodocker.DockerError, OSError, ValueError, AssertionError):
        # aiodocker asserts when DOCKER_HOST is unset and no default socket exists
        return False
    return True


@asynccontextmanager
async def docker_node(
    client: Client,
    dispatcher: PodDispatcher,
    *,
    data_dir: Path,
    sandbox_image: str,
    url: str | None = None,
    node_name: str = "docker-node",
    clock: Clock | None = None,
    recorder: EventRecorder | None = None,
    sandbox_command: Sequence[str] | None = None,
) -> AsyncIterator[Kubelet]:
    async with aiodocker.Docker(url=url) as docker:
        try:
            await docker.version()
        except (aiodocker.DockerError, OSError) as err:
            raise RuntimeUnavailable(
                f"docker: no daemon answers at {url or 'the default socket'}: {err}"
            ) from err
        runtime = DockerRuntime(
            docker,
            data_dir=data_dir / "docker",
            sandbox_image=sandbox_image,
            sandbox_command=tuple(sandbox_command) if sandbox_command is not None else SANDBOX_COMMAND,
            name="docker",
        )
        yield Kubelet(
            client,
            runtime,
            DockerImageService(docker),
            KubeletConfig.for_host(node_name),
            dispatcher,
            clock=clock,
            recorder=recorder,
            network=SocketProber(),
            data_dir=data_dir,
        )
