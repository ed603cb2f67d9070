"""A one-process cluster for kubelet tests: memory store, apiserver, informers, fake runtime and
one or more kubelets (node N has InternalIP `fake_node_ip(N)`, 172.18.0.N+1), all on one FakeClock. `until(cond)` runs tasks and jumps the clock to the
next sleeper whenever everything is idle, so minutes of kubelet time take milliseconds.
`cluster.client.answer_late(seconds)` delays the answer of the next status write (committed at
once) by `seconds` on the clock: a watch event of a later write then reaches the kubelet first."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TypeVar

import anyio
import anyio.abc

from kubelite.api.core import Container, Event, Pod, PodSpec
from kubelite.api.meta import Object, ObjectMeta
from kubelite.apiserver import APIServer
from kubelite.client import InProcessClient
from kubelite.clock import FakeClock
from kubelite.cri.fake import FakeImageService, FakeRuntime, PodNetwork
from kubelite.informers import EventHandlers, SharedInformerFactory
from kubelite.kubelet import Kubelet, KubeletConfig, PodDispatcher
from kubelite.kubelet.config import fake_node_ip
from kubelite.kubelet.prober import FakeNetworkProber, NetworkProber
from kubelite.store.memory import MemoryStorage

IMAGE = "busybox:1.36"
T = TypeVar("T", bound=Object)


class LateClient(InProcessClient):
    """An in-process client whose next status-write answers can be made to arrive late."""

    def __init__(self, server: APIServer, clock: FakeClock) -> None:
        super().__init__(server)
        self._clock = clock
        self._late: list[float] = []

    def answer_late(self, seconds: float, times: int = 1) -> None:
        self._late.extend([seconds] * times)

    async def update_status(self, obj: T) -> T:
        updated = await super().update_status(obj)
        if self._late:
            await self._clock.sleep(self._late.pop(0))
        return updated


def make_pod(
    name: str = "web",
    *command: str,
    node: str = "node-1",
    restart_policy: str = "Always",
    containers: list[Container] | None = None,
    **spec: object,
) -> Pod:
    main = Container(name="main", image=IMAGE, command=list(command))
    return Pod(
        metadata=ObjectMeta(name=name, namespace="default"),
        spec=PodSpec(
            containers=containers if containers is not None else [main],
            node_name=node,
            restart_policy=restart_policy,
            **spec,  # type: ignore[arg-type]
        ),
    )


@dataclass
class Cluster:
    clock: FakeClock
    client: LateClient
    factory: SharedInformerFactory
    images: FakeImageService
    network: PodNetwork
    dispatcher: PodDispatcher
    group: anyio.abc.TaskGroup
    runtimes: dict[str, FakeRuntime] = field(default_factory=dict)
    kubelets: dict[str, Kubelet] = field(default_factory=dict)
    scopes: dict[str, anyio.CancelScope] = field(default_factory=dict)
    probes: FakeNetworkProber = field(default_factory=FakeNetworkProber)
    prober: NetworkProber | None = None
    """When set, the kubelets' network prober instead of `probes` (e.g. a `SocketProber`)."""

    @property
    def runtime(self) -> FakeRuntime:
        return self.runtimes["node-1"]

    async def add_node(self, name: str, **config: object) -> Kubelet:
        runtime = FakeRuntime(self.clock, images=self.images, network=self.network, name="fake")
        kubelet = Kubelet(
            self.client,
            runtime,
            self.images,
            KubeletConfig(**{"node_name": name, "node_ip": fake_node_ip(len(self.scopes) + 1), **config}),  # type: ignore[arg-type]
            self.dispatcher,
            clock=self.clock,
            network=self.prober or self.probes,
        )
        scope = anyio.CancelScope()

        async def run(*, task_status: anyio.abc.TaskStatus[None] = anyio.TASK_STATUS_IGNORED) -> None:
            with scope:
                await kubelet.run(task_status=task_status)

        self.runtimes[name], self.kubelets[name], self.scopes[name] = runtime, kubelet, scope
        await self.group.start(run)
        return kubelet

    def stop_node(self, name: str) -> None:
        """The kubelet process dies: its loops stop; the runtime keeps its containers."""
        self.scopes[name].cancel()

    def pod(self, name: str = "web") -> Pod | None:
        return self.factory.lister(Pod).get(name, "default")

    def history(self, name: str) -> list[Pod]:
        """A list that collects every version of pod `name` the informer sees from now on, in order."""
        seen: list[Pod] = []

        def add(pod: Pod, *_: object) -> None:
            if pod.metadata.name == name:
                seen.append(pod)

        def update(old: Pod, new: Pod) -> None:
            add(new)

        self.factory.informer(Pod).add_event_handler(EventHandlers(on_add=add, on_update=update))
        return seen

    def events(self, reason: str) -> list[Event]:
        return [e for e in self.factory.lister(Event).list("default") if e.reason == reason]

    async def until(self, done: Callable[[], bool], *, max_steps: int = 5_000) -> None:
        with anyio.fail_after(20):
            await self.clock.run_until(done, max_steps=max_steps)

    async def run_for(self, seconds: float) -> None:
        """Let `seconds` of fake time pass, with every task running at each deadline."""
        target = self.clock.monotonic() + seconds
        while True:
            for _ in range(60):
                await anyio.lowlevel.checkpoint()
            deadline = self.clock.next_deadline()
            if deadline is None or deadline > target:
                break
            self.clock.advance(max(0.0, deadline - self.clock.monotonic()))
        self.clock.advance(max(0.0, target - self.clock.monotonic()))
        for _ in range(60):
            await anyio.lowlevel.checkpoint()


@asynccontextmanager
async def cluster(
    *nodes: str, present: tuple[str, ...] = (IMAGE,), prober: NetworkProber | None = None
) -> AsyncIterator[Cluster]:
    clock = FakeClock()
    async with MemoryStorage(history=10_000) as storage:
        server = APIServer(storage, clock=clock)
        await server.bootstrap()
        client = LateClient(server, clock)
        factory = SharedInformerFactory(client, clock=clock, detect_mutation=True)
        dispatcher = PodDispatcher(factory)
        factory.informer(Event)
        images = FakeImageService(clock, present=present)
        async with anyio.create_task_group() as group:
            factory.start(group)
            with anyio.fail_after(5):
                await factory.wait_for_cache_sync()
            found = Cluster(clock, client, factory, images, PodNetwork(), dispatcher, group, prober=prober)
            for name in nodes or ("node-1",):
                await found.add_node(name)
            yield found
            factory.verify_caches()
            group.cancel_scope.cancel()
