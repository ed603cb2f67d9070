"""Many fake nodes in one process: kubelets on fake runtimes sharing a pod network and images.

Contract: `FakeNodePool(client, dispatcher, clock=...)` builds kubelets whose runtimes are
`kubelite.cri.fake.FakeRuntime`s sharing one `PodNetwork` (pod IPs unique across the pool) and one
`FakeImageService` (`present` images are there; others pull after `pull_latency`), one
`EventRecorder` and a `FakeNetworkProber` (HTTP and TCP probes answer from its table and succeed
by default). `await pool.start(group, count)` registers nodes `<prefix>-1` … (node N has the
InternalIP `fake_node_ip(N)`: 172.18.0.N+1) and returns once each kubelet runs; `pool.kubelets`
and `pool.runtimes` are keyed by node name.
"""

from __future__ import annotations

from collections.abc import Iterable

import anyio.abc

from kubelite.client import Client, EventRecorder
from kubelite.clock import Clock, SystemClock
from kubelite.cri.fake import FakeImageService, FakeRuntime, PodNetwork
from kubelite.kubelet.config import DEFAULT_CAPACITY, KubeletConfig, fake_node_ip
from kubelite.kubelet.dispatch import PodDispatcher
from kubelite.kubelet.kubelet import Kubelet
from kubelite.kubelet.prober import FakeNetworkProber

DEFAULT_IMAGES = ("busybox", "busybox:1.36", "busybox:1.37")


class FakeNodePool:
    def __init__(
        self,
        client: Client,
        dispatcher: PodDispatcher,
        *,
        clock: Clock | None = None,
        present: Iterable[str] = DEFAULT_IMAGES,
        pull_latency: float = 0.0,
        prefix: str = "node",
        capacity: dict[str, str] | None = None,
        recorder: EventRecorder | None = None,
    ) -> None:
        self.clock = clock if clock is not None else SystemClock()
        self.client = client
        self.dispatcher = dispatcher
        self.images = FakeImageService(self.clock, present=present, pull_latency=pull_latency)
        self.network = PodNetwork()
        self.probes = FakeNetworkProber()
        self.recorder = recorder or EventRecorder(client, "kubelet", clock=self.clock)
        self.prefix = prefix
        self.capacity = capacity
        self.kubelets: dict[str, Kubelet] = {}
        self.runtimes: dict[str, FakeRuntime] = {}
        self._recording = False

    async def start(self, group: anyio.abc.TaskGroup, count: int) -> list[Kubelet]:
        """Start `count` more nodes in `group` (which owns their lifetime)."""
        if count < 0:
            raise ValueError(f"count must be ≥ 0, got {count}")
        if not self._recording:
            await group.start(self.recorder.run)
            self._recording = True
        started = []
        for _ in range(count):
            index = len(self.kubelets) + 1
            name = f"{self.prefix}-{index}"
            runtime = FakeRuntime(self.clock, images=self.images, network=self.network, name="fake")
            capacity = dict(self.capacity) if self.capacity is not None else dict(DEFAULT_CAPACITY)
            config = KubeletConfig(node_name=name, node_ip=fake_node_ip(index), capacity=capacity)
            kubelet = Kubelet(
                self.client,
                runtime,
                self.images,
                config,
                self.dispatcher,
                clock=self.clock,
                recorder=self.recorder,
                network=self.probes,
            )
            await group.start(kubelet.run)
            self.kubelets[name], self.runtimes[name] = kubelet, runtime
            started.append(kubelet)
        return started
