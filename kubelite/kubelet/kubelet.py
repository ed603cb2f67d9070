"""`Kubelet`: the node agent of one node.

Contract: `await kubelet.run()` (inside a task group; `task_status.started()` once the Node is
registered and the kubelet is attached to its pod source) does, until cancelled:
- registers the Node (NODE-1): creates it, or, if it exists, refreshes its status;
- renews the Lease `kube-node-lease/<node>` every `lease_renew_interval` (NODE-2), creating it
  when missing and re-reading it on conflicts;
- computes the node status every `node_status_update_frequency` and writes it when it changed
  or `node_status_report_frequency` passed (NODE-3); Ready is False while the runtime does not
  answer;
- runs one `PodWorker` per pod bound to the node (fed by a shared `PodDispatcher`) and wakes a
  pod's worker on each of its containers' runtime events;
- cleans up at start and every `housekeeping_period` (2 s) what the API no longer has
  (`kubelite.kubelet.housekeeping`): workers of pods gone from the API end, and sandboxes of
  unknown pods (deleted while the kubelet was down) are removed with their containers and IPs.
Every loop is supervised: one that raises is logged and restarted after a back-off (1 s doubling
to 30 s). Cancelling `run()` stops the agent as a crashed kubelet would stop: containers keep
their state in the runtime and the Node and Lease are left as they were. `logs()` reads a
container's log lines for the API's `pods/log` (tail, follow, previous).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import anyio
import anyio.abc
import msgspec
import structlog
from anyio.abc import TaskStatus

from kubelite.api.coordination import Lease
from kubelite.api.core import Node, Pod
from kubelite.client import Client, EventRecorder
from kubelite.client.errors import AlreadyExists, BadRequest, Conflict, NotFound
from kubelite.clock import Clock, SystemClock
from kubelite.cri import CRIError, ExecResult, ImageService, LogLine, LogOptions, RuntimeService
from kubelite.kubelet.admission import Admission
from kubelite.kubelet.backoff import Backoff
from kubelite.kubelet.config import KubeletConfig
from kubelite.kubelet.context import NodeContext, fetcher
from kubelite.kubelet.dispatch import PodDispatcher
from kubelite.kubelet.housekeeping import clean_up
from kubelite.kubelet.images import ImageManager
from kubelite.kubelet.lease import LEASE_NAMESPACE, lease_for, renewed
from kubelite.kubelet.nodestatus import desired_status, initial_node, needs_write, stamp_heartbeat
from kubelite.kubelet.podworker import PodWorker
from kubelite.kubelet.prober import NetworkProber, SocketProber
from kubelite.kubelet.volumes import VolumeManager

log = structlog.get_logger("kubelite.kubelet")


class Kubelet:
    def __init__(
        self,
        client: Client,
        runtime: RuntimeService,
        images: ImageService,
        config: KubeletConfig,
        pods: PodDispatcher,
        *,
        clock: Clock | None = None,
        recorder: EventRecorder | None = None,
        network: NetworkProber | None = None,
        data_dir: Path | None = None,
    ) -> None:
        config.validate()
        self.config = config
        self.client = client
        self.runtime = runtime
        self.image_service = images
        self.clock = clock if clock is not None else SystemClock()
        self._pods = pods
        self._own_recorder = recorder is None
        self.recorder = recorder or EventRecorder(client, "kubelet", host=config.node_name, clock=self.clock)
        self._network = network if network is not None else SocketProber()
        self._data_dir = data_dir
        self.workers: dict[str, PodWorker] = {}
        self._ended: dict[str, anyio.Event] = {}
        self._group: anyio.abc.TaskGroup | None = None
        self._ctx: NodeContext | None = None
        self._node: Node | None = None
        self._lease: Lease | None = None
        self._last_status_write: float | None = None
        self._runtime_version = ""

    @property
    def name(self) -> str:
        return self.config.node_name

    # -- lifecycle -----------------------------------------------------------------------------

    async def run(self, *, task_status: TaskStatus[None] = anyio.TASK_STATUS_IGNORED) -> None:
        version = await self.runtime.version()
        self._runtime_version = f"{version.runtime_name}://{version.runtime_version}"
        self._ctx = self._context(version.runtime_name)
        await self._register()
        async with anyio.create_task_group() as group:
            self._group = group
            if self._own_recorder:
                await group.start(self.recorder.run)
            group.start_soon(self._supervise, "lease", self._lease_loop)
            group.start_soon(self._supervise, "node-status", self._status_loop)
            group.start_soon(self._supervise, "container-events", self._container_events)
            self._pods.attach(self.name, self)
            group.start_soon(self._supervise, "housekeeping", self._housekeeping_loop)
            try:
                task_status.started()
                await anyio.sleep_forever()
            finally:
                self._pods.detach(self.name)
                group.cancel_scope.cancel()

    def _context(self, runtime_name: str) -> NodeContext:
        config, clock = self.config, self.clock
        root = self._data_dir / "kubelet" / config.node_name if self._data_dir is not None else None
        return NodeContext(
            config=config,
            client=self.client,
            runtime=self.runtime,
            runtime_name=runtime_name,
            clock=clock,
            recorder=self.recorder,
            network=self._network,
            volumes=VolumeManager(root, lambda namespace: fetcher(self.client, namespace)),
            images=ImageManager(
                self.image_service,
                Backoff(config.image_backoff_initial, config.image_backoff_max, clock),
                clock,
            ),
            crash_backoff=Backoff(config.crash_backoff_initial, config.crash_backoff_max, clock),
            admission=Admission(config.effective_allocatable()),
        )

    async def _supervise(self, name: str, loop: Callable[[], Awaitable[None]]) -> None:
        failures = 0
        while True:
            try:
                await loop()
                failures = 0
            except Exception as err:
                failures += 1
                log.error("kubelet loop failed", node=self.name, loop=name, error=repr(err))
            await self.clock.sleep(min(2 ** max(failures - 1, 0), 30))

    # -- pods (PodHandler) -----------------------------------------------------------------------

    def pod_changed(self, pod: Pod) -> None:
        worker = self.workers.get(pod.metadata.uid)
        if worker is not None:
            worker.update(pod)
            return
        if self._group is None or self._ctx is None:
            return
        worker = PodWorker(self._ctx, pod)
        self.workers[pod.metadata.uid] = worker
        self._group.start_soon(self._run_worker, worker)

    def pod_removed(self, pod: Pod) -> None:
        worker = self.workers.get(pod.metadata.uid)
        if worker is not None:
            worker.remove()

    async def _run_worker(self, worker: PodWorker) -> None:
        try:
            await worker.run()
        finally:
            self.workers.pop(worker.uid, None)
            ended = self._ended.pop(worker.uid, None)
            if ended is not None:
                ended.set()

    async def cleaned_up(self, uid: str) -> None:
        """Return once this kubelet has no worker for pod `uid` (its containers and sandbox are
        removed after the pod left the API); bound it with `anyio.fail_after`."""
        if uid not in self.workers:
            return
        await self._ended.setdefault(uid, anyio.Event()).wait()

    async def _housekeeping_loop(self) -> None:
        """Upstream's HandlePodCleanups: at start (after the pods already bound were handed to
        workers, so their sandboxes are adopted, not removed), then every `housekeeping_period`."""
        assert self._ctx is not None
        while True:
            in_api = self._pods.pod_uids(self.name)
            await clean_up(self.runtime, self._ctx.volumes, self.workers, in_api)
            await self.clock.sleep(self.config.housekeeping_period)

    async def _container_events(self) -> None:
        assert self._ctx is not None
        wakers = self._ctx.wakers
        async for event in self.runtime.container_events():
            waker = wakers.get(event.pod_sandbox_id)
            if waker is not None:
                waker()

    # -- node and lease ------------------------------------------------------------------------

    async def _register(self) -> None:
        now = self.clock.now()
        try:
            self._node = await self.client.create(initial_node(self.config, self._runtime_version, now))
            self._last_status_write = now
            log.info("node registered", node=self.name)
        except AlreadyExists:
            self._node = await self.client.get(Node, self.name)
            await self._post_status(force=True)

    async def _ready(self) -> bool:
        try:
            await self.runtime.version()
        except Exception:
            return False
        return True

    async def _post_status(self, *, force: bool = False) -> None:
        now = self.clock.now()
        node = await self.client.get(Node, self.name)
        ready = await self._ready()
        desired = desired_status(node.status, self.config, self._runtime_version, ready=ready, now=now)
        frequency = self.config.node_status_report_frequency
        if not force and not needs_write(node.status, desired, self._last_status_write, now, frequency):
            self._node = node
            return
        written = msgspec.structs.replace(node, status=stamp_heartbeat(desired, now))
        try:
            self._node = await self.client.update_status(written)
            self._last_status_write = now
        except Conflict:
            return  # read again next period

    async def _status_loop(self) -> None:
        while True:
            await self.clock.sleep(self.config.node_status_update_frequency)
            await self._post_status()

    async def _renew_lease(self) -> None:
        assert self._node is not None
        now, duration = self.clock.now(), self.config.lease_duration_seconds
        if self._lease is None:
            try:
                self._lease = await self.client.get(Lease, self.name, LEASE_NAMESPACE)
            except NotFound:
                self._lease = await self.client.create(lease_for(self._node, duration, now))
                return
        try:
            self._lease = await self.client.update(renewed(self._lease, self._node, duration, now))
        except (Conflict, NotFound):
            self._lease = None  # re-read (or re-create) on the next try
            raise

    async def _lease_loop(self) -> None:
        """NODE-2. A failed renewal is retried after 0.2 s, doubling up to the renew interval."""
        retry = 0.2
        while True:
            try:
                await self._renew_lease()
            except (Conflict, NotFound):
                await self.clock.sleep(retry)
                retry = min(retry * 2, self.config.lease_renew_interval)
                continue
            retry = 0.2
            await self.clock.sleep(self.config.lease_renew_interval)

    # -- logs ----------------------------------------------------------------------------------

    async def logs(
        self,
        namespace: str,
        name: str,
        container: str = "",
        *,
        tail_lines: int | None = None,
        follow: bool = False,
        previous: bool = False,
    ) -> AsyncIterator[str]:
        """Lines of a container's log (the API's `pods/log`); errors are `BadRequest`/`NotFound`."""
        async for line in self.log_lines(
            namespace, name, container, tail_lines=tail_lines, follow=follow, previous=previous
        ):
            yield line.text

    async def log_lines(
        self,
        namespace: str,
        name: str,
        container: str = "",
        *,
        tail_lines: int | None = None,
        follow: bool = False,
        previous: bool = False,
    ) -> AsyncIterator[LogLine]:
        """As `logs`, with each line's time and stream (for `timestamps=true`)."""
        worker = self._worker_for(namespace, name)
        container_id = await self._log_container(worker, container, previous)
        options = LogOptions(tail_lines=tail_lines, follow=follow)
        async for line in self.runtime.logs(container_id, options):
            yield line

    async def exec(self, namespace: str, name: str, container: str, command: list[str]) -> ExecResult:
        """Run `command` in a running container and wait for it (the API's `pods/exec`, buffered).

        A container not in the pod's spec or not running is a `BadRequest`; a runtime failure
        (e.g. the container stopped meanwhile) is a `BadRequest` carrying the runtime's message."""
        container_id = await self.check_exec(namespace, name, container)
        try:
            return await self.runtime.exec_sync(container_id, command, 0)
        except CRIError as error:
            raise BadRequest(f"unable to run {command} in container {container}: {error}") from error

    async def check_exec(self, namespace: str, name: str, container: str) -> str:
        """The id of the running container `exec` would use; raises as `exec` does."""
        worker = self._worker_for(namespace, name)
        if container and container not in {c.name for c in worker.pod.spec.containers}:
            raise BadRequest(f"container {container} is not valid for pod {name}")
        return await self._log_container(worker, container, previous=False)

    def _worker_for(self, namespace: str, name: str) -> PodWorker:
        for worker in self.workers.values():
            meta = worker.pod.metadata
            if meta.namespace == namespace and meta.name == name:
                return worker
        raise NotFound(f'pods "{name}" not found')

    async def _log_container(self, worker: PodWorker, container: str, previous: bool) -> str:
        names = [c.name for c in worker.pod.spec.containers]
        pod_name = worker.pod.metadata.name
        if not container:
            if len(names) != 1:
                choices = " ".join(names)
                raise BadRequest(
                    f"a container name must be specified for pod {pod_name}, choose one of: [{choices}]"
                )
            container = names[0]
        if previous:
            found = worker.previous.get(container)
            if found is None:
                raise BadRequest(f'previous terminated container "{container}" in pod "{pod_name}" not found')
            return found.id
        current = await worker.observe()
        if container not in current:
            reason = worker.waiting.get(container, ("ContainerCreating", ""))[0]
            raise BadRequest(f'container "{container}" in pod "{pod_name}" is waiting to start: {reason}')
        return current[container].id
