"""Test support for `kubectl drain` / `cordon` (NODE-13, NODE-14): the whole local cluster in this
process (two fake nodes, every controller, the scheduler) behind the HTTP API, and the real kubectl
against it.

The cluster runs on the system clock because kubectl runs in real time (it polls evicted pods every
second and retries a refused eviction after 5 s); the fake runtime stops a container at SIGTERM at
once, so graceful termination takes no time unless a pod ignores SIGTERM. Tests wait on informer
state with `until` (bounded by `anyio.fail_after`, woken by every Pod/Node event) and on kubectl
processes with a bounded timeout; nothing sleeps. Pod, Node and PodDisruptionBudget listers are kept. `middlewares` lets a test put a writer of its own
in front of the API (e.g. one that deletes a pod just before kubectl's eviction of it arrives).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import anyio
from aiohttp.typedefs import Middleware
from anyio.abc import Process

from kubelite.api.core import Container, Node, Pod, PodSpec, Volume
from kubelite.api.meta import ObjectMeta, OwnerReference
from kubelite.api.policy import PodDisruptionBudget
from kubelite.apiserver.http import build_app, serve
from kubelite.cli.cluster import LocalCluster, local_cluster
from kubelite.client import InProcessClient
from kubelite.clock import SystemClock
from kubelite.informers import EventHandlers, Lister, SharedInformerFactory
from kubelite.store.memory import MemoryStorage
from tests.http.kubectl import KUBECTL, Kubectl, Result, require_kubectl, write_kubeconfig

WITHIN = 30.0
"""Bound on every wait (kubectl included); generous for a machine shared by several suites."""


@dataclass
class Running:
    """A kubectl still running: its stderr is read line by line as it comes."""

    process: Process
    stderr: list[str] = field(default_factory=list)
    partial: str = ""
    """The start of a stderr line whose end has not been read yet."""

    async def stderr_line(self, wanted: Callable[[str], bool]) -> str:
        """The first stderr line (read so far or from now on) for which `wanted` is true."""
        assert self.process.stderr is not None
        with anyio.fail_after(WITHIN):
            for line in self.stderr:
                if wanted(line):
                    return line
            async for chunk in self.process.stderr:
                *lines, self.partial = (self.partial + chunk.decode()).split("\n")
                self.stderr.extend(lines)
                for line in lines:
                    if wanted(line):
                        return line
        raise AssertionError(f"kubectl ended without such a line; stderr: {self.stderr}")

    async def finish(self) -> Result:
        """Wait (bounded) for kubectl to exit; its exit code and whole stdout and stderr."""
        assert self.process.stdout is not None and self.process.stderr is not None
        with anyio.fail_after(WITHIN):
            out = b"".join([chunk async for chunk in self.process.stdout]).decode()
            rest = b"".join([chunk async for chunk in self.process.stderr]).decode()
            code = await self.process.wait()
        err = "".join(line + "\n" for line in self.stderr) + self.partial + rest
        return Result(code, out, err)


@dataclass
class DrainCluster:
    cluster: LocalCluster
    kubectl: Kubectl
    pods: Lister[Pod]
    nodes: Lister[Node]
    budgets: Lister[PodDisruptionBudget]
    changed: anyio.Event = field(default_factory=anyio.Event)
    disruptions: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    """Per pod name, the (status, reason, message) of a DisruptionTarget condition it was seen with."""

    def _saw(self, obj: object) -> None:
        if isinstance(obj, Pod):
            for cond in obj.status.conditions:
                if cond.type == "DisruptionTarget":
                    self.disruptions[obj.metadata.name] = (cond.status, cond.reason, cond.message)

    @property
    def client(self) -> InProcessClient:
        return self.cluster.client

    async def until(self, done: Callable[[], bool], within: float = WITHIN) -> None:
        with anyio.fail_after(within):
            while not done():
                self.changed = anyio.Event()
                await self.changed.wait()

    async def run(self, *args: str) -> Result:
        return await self.kubectl.run(*args)

    async def start(self, *args: str) -> Running:
        process = await anyio.open_process([KUBECTL, *args], env=self.kubectl.env)
        return Running(process)

    def pod(self, name: str, namespace: str = "default") -> Pod | None:
        return self.pods.get(name, namespace)

    def running(self, *names: str) -> bool:
        return all((p := self.pod(n)) is not None and p.status.phase == "Running" for n in names)

    def on_node(self, node: str) -> list[Pod]:
        return sorted(
            (p for p in self.pods.list() if p.spec.node_name == node), key=lambda p: p.metadata.name
        )


@asynccontextmanager
async def drain_cluster(
    tmp_path: Path, *, middlewares: Sequence[Middleware] = ()
) -> AsyncIterator[DrainCluster]:
    require_kubectl()
    clock = SystemClock()
    async with (
        MemoryStorage(history=10_000) as storage,
        local_cluster(storage, nodes=2, clock=clock) as cluster,
    ):
        app = build_app(cluster.client.server, middlewares=middlewares)
        async with serve(app, "127.0.0.1", 0) as serving, anyio.create_task_group() as group:
            kubectl = Kubectl(write_kubeconfig(tmp_path, serving.url), tmp_path / "cache")
            factory = SharedInformerFactory(cluster.client, clock=clock)
            listers = (factory.lister(Pod), factory.lister(Node), factory.lister(PodDisruptionBudget))
            made = DrainCluster(cluster, kubectl, *listers)

            def poke(*objects: object) -> None:
                for obj in objects:
                    made._saw(obj)
                made.changed.set()

            for kind in (Pod, Node, PodDisruptionBudget):
                factory.informer(kind).add_event_handler(
                    EventHandlers(on_add=poke, on_update=poke, on_delete=poke)
                )
            factory.start(group)
            await factory.wait_for_cache_sync()
            yield made
            group.cancel_scope.cancel()


def pod(
    name: str,
    node: str = "node-1",
    *,
    owner: OwnerReference | None = None,
    annotations: dict[str, str] | None = None,
    volumes: list[Volume] | None = None,
    command: tuple[str, ...] = ("sleep", "3600"),
    grace: int | None = None,
) -> Pod:
    """A busybox pod bound to `node` (no scheduling), optionally controlled by `owner`."""
    container = Container(name="main", image="busybox:1.36", command=list(command))
    return Pod(
        metadata=ObjectMeta(
            name=name,
            namespace="default",
            owner_references=[owner] if owner is not None else [],
            annotations=annotations or {},
        ),
        spec=PodSpec(
            containers=[container],
            node_name=node,
            volumes=volumes or [],
            termination_grace_period_seconds=grace,
        ),
    )
