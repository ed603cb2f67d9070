"""A whole cluster in this process: API server, scheduler, node lifecycle, pod GC and nodes.

Contract: `async with local_cluster(storage, nodes=N, clock=...) as cluster:` bootstraps the API
server over `storage`, starts the scheduler, the node lifecycle, pod GC, the ReplicaSet,
ReplicationController, Deployment, Job, disruption (PodDisruptionBudget), Endpoints,
EndpointSlice and EndpointSliceMirroring controllers, the TTL-after-finished controller
(finished Jobs), the garbage collector, the namespace controller and `N` fake nodes `node-1` … `node-N`
(`kubelite.kubelet.pool.FakeNodePool`: busybox is present, other images pull instantly), and
yields a `LocalCluster` holding the client, the node pool and the metrics registry every component
records into (controllers, workqueues, informers, events dropped; the server serves it at
`/metrics`).
`docker=DockerSettings(...)` adds the node `docker-node`, whose pods run in real containers on the
Docker daemon at `url` (`kubelite.kubelet.dockernode`); `RuntimeUnavailable` if none answers.
Leaving the block stops every component (the stored objects, and the containers of running pods,
stay). Everything runs on the given clock (the system clock by default; Docker needs it).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import anyio
from prometheus_client import CollectorRegistry

from kubelite.apiserver import APIServer
from kubelite.client import EventRecorder, InProcessClient
from kubelite.client.events import EventMetrics, EventTTLSweeper
from kubelite.clock import Clock, SystemClock
from kubelite.controllers.deployment import COMPONENT as DEPLOYMENT_COMPONENT
from kubelite.controllers.deployment import DeploymentController
from kubelite.controllers.disruption import COMPONENT as DISRUPTION_COMPONENT
from kubelite.controllers.disruption import DisruptionController, StaleDisruptionController
from kubelite.controllers.endpoint import COMPONENT as ENDPOINT_COMPONENT
from kubelite.controllers.endpoint import EndpointsController
from kubelite.controllers.endpointslice import COMPONENT as SLICE_COMPONENT
from kubelite.controllers.endpointslice import EndpointSliceController
from kubelite.controllers.endpointslicemirroring import EndpointSliceMirroringController
from kubelite.controllers.garbagecollector import GarbageCollector
from kubelite.controllers.job import COMPONENT as JOB_COMPONENT
from kubelite.controllers.job import JobController
from kubelite.controllers.namespace import NamespaceController
from kubelite.controllers.nodelifecycle import NodeLifecycleController
from kubelite.controllers.podgc import PodGCController
from kubelite.controllers.replicaset import REPLICA_SET, REPLICATION_CONTROLLER, ReplicaController
from kubelite.controllers.runtime import Manager
from kubelite.controllers.ttlafterfinished import TTLAfterFinishedController
from kubelite.informers import SharedInformerFactory
from kubelite.kubelet import Kubelet, PodDispatcher
from kubelite.kubelet.dockernode import docker_node
from kubelite.kubelet.pool import FakeNodePool
from kubelite.scheduler import Scheduler
from kubelite.store import Storage


@dataclass(frozen=True, slots=True)
class DockerSettings:
    data_dir: Path
    """Where the Docker node keeps pod volumes."""
    sandbox_image: str = "busybox"
    """The image of each pod's sandbox container; it must be present in the daemon or pullable."""
    url: str | None = None
    """The daemon (`unix:///…` or `tcp://…`); None: `DOCKER_HOST`, else the default socket."""
    sandbox_command: tuple[str, ...] | None = None
    """The sandbox container's command; None: the Docker runtime's default (a long sleep)."""
    node_name: str = "docker-node"
    """The Docker node's name."""


@dataclass
class LocalCluster:
    client: InProcessClient
    clock: Clock
    nodes: FakeNodePool
    registry: CollectorRegistry
    """The cluster's metrics: controllers, workqueues, informers and dropped events."""
    docker: Kubelet | None = None

    def kubelet(self, node_name: str) -> Kubelet:
        if self.docker is not None and node_name == self.docker.name:
            return self.docker
        return self.nodes.kubelets[node_name]


@asynccontextmanager
async def local_cluster(
    storage: Storage, *, nodes: int = 2, clock: Clock | None = None, docker: DockerSettings | None = None
) -> AsyncIterator[LocalCluster]:
    if nodes < 0:
        raise ValueError(f"nodes must be ≥ 0, got {nodes}")
    clock = clock if clock is not None else SystemClock()
    server = APIServer(storage, clock=clock)
    await server.bootstrap()
    client = InProcessClient(server, field_manager="kubelite")
    registry = CollectorRegistry()
    event_metrics = EventMetrics.create(registry)

    def events(component: str) -> EventRecorder:
        return EventRecorder(client, component, clock=clock, metrics=event_metrics)

    manager = Manager(client, clock=clock, registry=registry)
    recorder = events("node-controller")
    NodeLifecycleController(manager, client, recorder)
    PodGCController(manager, client)
    rs_events = events(REPLICA_SET.component)
    rc_events = events(REPLICATION_CONTROLLER.component)
    ReplicaController(manager, client, rs_events, REPLICA_SET)
    ReplicaController(manager, client, rc_events, REPLICATION_CONTROLLER)
    gc_events = events("garbage-collector-controller")
    collector = GarbageCollector(manager, client, server.registry, gc_events)
    NamespaceController(manager, client, server.registry)
    deployment_events = events(DEPLOYMENT_COMPONENT)
    DeploymentController(manager, client, deployment_events)
    job_events = events(JOB_COMPONENT)
    JobController(manager, client, job_events)
    TTLAfterFinishedController(manager, client)
    disruption_events = events(DISRUPTION_COMPONENT)
    DisruptionController(manager, client, disruption_events, server.registry)
    StaleDisruptionController(manager, client)
    endpoint_events = events(ENDPOINT_COMPONENT)
    EndpointsController(manager, client, endpoint_events)
    slice_events = events(SLICE_COMPONENT)
    EndpointSliceController(manager, client, slice_events)
    EndpointSliceMirroringController(manager, client)
    scheduler_events = events("default-scheduler")  # run by the scheduler, as the pool runs its own
    node_informers = SharedInformerFactory(client, clock=clock)
    dispatcher = PodDispatcher(node_informers)
    pool = FakeNodePool(client, dispatcher, clock=clock, recorder=events("kubelet"))
    async with AsyncExitStack() as stack, anyio.create_task_group() as group:
        node_informers.start(group)
        await group.start(recorder.run)
        await group.start(rs_events.run)
        await group.start(rc_events.run)
        await group.start(gc_events.run)
        await group.start(deployment_events.run)
        await group.start(job_events.run)
        await group.start(disruption_events.run)
        await group.start(endpoint_events.run)
        await group.start(slice_events.run)
        await group.start(EventTTLSweeper(client, clock).run)
        await group.start(manager.run)
        await group.start(collector.run)
        scheduler = Scheduler(
            client, SharedInformerFactory(client, clock=clock), clock=clock, recorder=scheduler_events
        )
        await group.start(scheduler.run)
        await node_informers.wait_for_cache_sync()
        await pool.start(group, nodes)
        real: Kubelet | None = None
        if docker is not None:
            real = await stack.enter_async_context(
                docker_node(
                    client,
                    dispatcher,
                    data_dir=docker.data_dir,
                    sandbox_image=docker.sandbox_image,
                    url=docker.url,
                    clock=clock,
                    sandbox_command=docker.sandbox_command,
                    node_name=docker.node_name,
                )
            )
            await group.start(real.run)
        try:
            yield LocalCluster(client=client, clock=clock, nodes=pool, registry=registry, docker=real)
        finally:
            group.cancel_scope.cancel()
