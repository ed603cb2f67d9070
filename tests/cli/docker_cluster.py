"""Test support: the whole local cluster in this process with its one node on the real Docker daemon
(`local_cluster(..., nodes=0, docker=DockerSettings(...))`, as `python -m kubelite server --runtime
docker` runs it), served over HTTP with pod logs and exec, and the real kubectl against it.

The daemon is the session's (`tests.docker_support.docker_daemon`) and the pods' image and sandbox
image is `TEST_IMAGE`. Containers run on the real clock, so the cluster does too; tests wait on
informer state with `until` (bounded by `anyio.fail_after`, woken by every watched event), never on a
sleep. At the end every container of the node's runtime (named "docker") is force-removed, so the
next test's kubelet starts on an empty daemon.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import aiodocker
import aiohttp
import anyio

from kubelite.api.batch import Job
from kubelite.api.core import Endpoints, Pod
from kubelite.api.discovery import EndpointSlice
from kubelite.api.meta import Object
from kubelite.api.policy import PodDisruptionBudget
from kubelite.apiserver.http import build_app, serve
from kubelite.cli.cluster import DockerSettings, LocalCluster, local_cluster
from kubelite.cli.podstreams import ClusterPodStreams
from kubelite.clock import SystemClock
from kubelite.cri.docker import labels as docker_labels
from kubelite.informers import EventHandlers, Lister, SharedInformerFactory
from kubelite.store.memory import MemoryStorage
from tests.docker_support import TEST_IMAGE, DockerDaemon, DockerHarness
from tests.http.kubectl import Kubectl, Result, require_kubectl, write_kubeconfig

STOPPED = frozenset({"exited", "removing", "dead"})
"""Docker states of a container that no longer runs."""
WITHIN = 60.0
"""Bound on every wait: real containers on a machine shared by several suites."""
RUNTIME = "docker"
"""The runtime name `kubelite.kubelet.dockernode` gives the node's `DockerRuntime`."""
T = TypeVar("T", bound=Object)
WATCHED: tuple[type[Object], ...] = (Pod, Job, Endpoints, EndpointSlice, PodDisruptionBudget)


@dataclass
class DockerCluster:
    cluster: LocalCluster
    kubectl: Kubectl
    url: str
    session: aiohttp.ClientSession
    factory: SharedInformerFactory
    docker: aiodocker.Docker
    changed: anyio.Event = field(default_factory=anyio.Event)
    disruptions: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    """Per pod name, the (status, reason, message) of a DisruptionTarget condition it was seen with."""

    finished: dict[str, str] = field(default_factory=dict)
    """Per Job name, the terminal condition (Complete or Failed) it was seen with."""

    def _saw(self, obj: object) -> None:
        if isinstance(obj, Job):
            for cond in obj.status.conditions:
                if cond.type in ("Complete", "Failed") and cond.status == "True":
                    self.finished[obj.metadata.name] = cond.type
        if isinstance(obj, Pod):
            for cond in obj.status.conditions:
                if cond.type == "DisruptionTarget":
                    self.disruptions[obj.metadata.name] = (cond.status, cond.reason, cond.message)

    def lister(self, kind: type[T]) -> Lister[T]:
        return self.factory.lister(kind)

    async def until(self, done: Callable[[], bool], within: float = WITHIN) -> None:
        with anyio.fail_after(within):
            while not done():
                self.changed = anyio.Event()
                await self.changed.wait()

    async def run(self, *args: str, stdin: str | None = None) -> Result:
        result = await self.kubectl.run(*args, stdin=stdin)
        assert result.code == 0, f"kubectl {args} failed {result.code}: {result.stderr}"
        return result

    async def post(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        async with self.session.post(self.url + path, json=body) as response:
            return response.status, await response.json(content_type=None)

    async def containers(self, pod: Pod) -> list[str]:
        """The Docker states ("running", "exited" …) of every container the node made for `pod`."""
        wanted = [f"{docker_labels.RUNTIME}={RUNTIME}", f"{docker_labels.POD_UID}={pod.metadata.uid}"]
        rows = await self.docker.containers.list(all=True, filters=json.dumps({"label": wanted}))
        return sorted(row["State"] for row in rows)

    async def stopped(self, pod: Pod) -> bool:
        """Whether none of `pod`'s containers runs any more: each has exited, or the kubelet's
        cleanup is already removing it (Docker's "removing", then "dead" if removal failed)."""
        return set(await self.containers(pod)) <= STOPPED

    def pods(self, **labels: str) -> list[Pod]:
        """The pods carrying every given label, by name."""
        found = (
            p
            for p in self.lister(Pod).list()
            if all(p.metadata.labels.get(k) == v for k, v in labels.items())
        )
        return sorted(found, key=lambda p: p.metadata.name)


@asynccontextmanager
async def docker_cluster(tmp_path: Path, daemon: DockerDaemon) -> AsyncIterator[DockerCluster]:
    require_kubectl()
    clock = SystemClock()
    settings = DockerSettings(data_dir=tmp_path / "node", sandbox_image=TEST_IMAGE, url=daemon.url)
    try:
        async with (
            MemoryStorage(history=10_000) as storage,
            local_cluster(storage, nodes=0, clock=clock, docker=settings) as cluster,
        ):
            app = build_app(cluster.client.server, pod_streams=ClusterPodStreams(cluster))
            async with (
                serve(app, "127.0.0.1", 0) as serving,
                aiohttp.ClientSession() as session,
                aiodocker.Docker(url=daemon.url) as docker,
                anyio.create_task_group() as group,
            ):
                kubectl = Kubectl(write_kubeconfig(tmp_path, serving.url), tmp_path / "cache")
                factory = SharedInformerFactory(cluster.client, clock=clock)
                made = DockerCluster(cluster, kubectl, serving.url, session, factory, docker)

                def poke(*objects: object) -> None:
                    for obj in objects:
                        made._saw(obj)
                    made.changed.set()

                for kind in WATCHED:
                    handlers = EventHandlers(on_add=poke, on_update=poke, on_delete=poke)
                    factory.informer(kind).add_event_handler(handlers)
                factory.start(group)
                await factory.wait_for_cache_sync()
                yield made
                group.cancel_scope.cancel()
    finally:
        with anyio.CancelScope(shield=True), anyio.fail_after(WITHIN):
            async with aiodocker.Docker(url=daemon.url) as docker:
                await DockerHarness(docker, daemon.work, RUNTIME).remove_everything()
