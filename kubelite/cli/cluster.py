"""A whole cluster in this process: API server, scheduler, node lifecycle, pod GC and fake nodes.

Contract: `async with local_cluster(storage, nodes=N, clock=...) as cluster:` bootstraps the API
server over `storage`, starts the scheduler, the node lifecycle and pod GC controllers and `N`
fake nodes `node-1` … `node-N` (`kubelite.kubelet.pool.FakeNodePool`: busybox is present, other
images pull instantly), and yields a `LocalCluster` holding the client and the node pool.
Leaving the block stops every component (the stored objects stay). Everything runs on the given
clock (the system clock by default).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import anyio

from kubelite.apiserver import APIServer
from kubelite.client import EventRecorder, InProcessClient
from kubelite.clock import Clock, SystemClock
from kubelite.controllers.nodelifecycle import NodeLifecycleController
from kubelite.controllers.podgc import PodGCController
from kubelite.controllers.runtime import Manager
from kubelite.informers import SharedInformerFactory
from kubelite.kubelet import PodDispatcher
from kubelite.kubelet.pool import FakeNodePool
from kubelite.scheduler import Scheduler
from kubelite.store import Storage


@dataclass
class LocalCluster:
    client: InProcessClient
    clock: Clock
    nodes: FakeNodePool


@asynccontextmanager
async def local_cluster(
    storage: Storage, *, nodes: int = 2, clock: Clock | None = None
) -> AsyncIterator[LocalCluster]:
    if nodes < 0:
        raise ValueError(f"nodes must be ≥ 0, got {nodes}")
    clock = clock if clock is not None else SystemClock()
    server = APIServer(storage, clock=clock)
    await server.bootstrap()
    client = InProcessClient(server, field_manager="kubelite")
    manager = Manager(client, clock=clock)
    recorder = EventRecorder(client, "node-controller", clock=clock)
    NodeLifecycleController(manager, client, recorder)
    PodGCController(manager, client)
    node_informers = SharedInformerFactory(client, clock=clock)
    pool = FakeNodePool(client, PodDispatcher(node_informers), clock=clock)
    async with anyio.create_task_group() as group:
        node_informers.start(group)
        await group.start(recorder.run)
        await group.start(manager.run)
        await group.start(Scheduler(client, SharedInformerFactory(client, clock=clock), clock=clock).run)
        await node_informers.wait_for_cache_sync()
        await pool.start(group, nodes)
        try:
            yield LocalCluster(client=client, clock=clock, nodes=pool)
        finally:
            group.cancel_scope.cancel()
