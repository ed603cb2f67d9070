"""`Scheduler`: the kube-scheduler of kubelite — watch pending pods, pick nodes, bind.

Contract:
- `run()` registers handlers on the factory's Pod and Node informers, starts those informers (if
  the caller has not) in its own task group, waits for their caches, signals `task_status`, then
  schedules until cancelled. Its loops (scheduling, queue flushing, writes, events) are
  supervised: a loop that raises is logged and restarted after `restart_delay`; none vanishes
  silently.
- One pod at a time is scheduled (filters, scores, SCH-2..SCH-7) synchronously against the cache.
  The chosen node is *assumed* at once (the pod's requests count there), and the bind (SCH-8) is
  written in the background by the dispatcher, so the loop never waits for the API. A pod the
  informer then sees bound is confirmed; a failed bind forgets the assumption, backs the pod off
  and retries parked pods (its room is free again).
- A pod no node can take gets `PodScheduled=False`/`Unschedulable` with the fit message and a
  `FailedScheduling` event, and waits in the unschedulable set (SCH-9).
- Time comes from `clock`, tie-breaking from `rng`: tests inject `FakeClock` and a seeded Random.
- `run()` is called once per Scheduler. It also runs `recorder` (given or made here), so a
  recorder passed in must not be run by anyone else.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from functools import partial

import anyio
import anyio.abc
import anyio.lowlevel
import structlog

from kubelite.api.core import Binding, Node, ObjectReference, Pod
from kubelite.api.meta import ObjectMeta
from kubelite.client import Client, EventRecorder, PatchType
from kubelite.clock import Clock, SystemClock, rfc3339
from kubelite.informers import SharedInformerFactory
from kubelite.scheduler.algorithm import Algorithm, Unschedulable
from kubelite.scheduler.cache import SchedulerCache
from kubelite.scheduler.dispatcher import Dispatcher
from kubelite.scheduler.eventhandlers import SchedulerEventHandlers
from kubelite.scheduler.framework import FilterPlugin, ScorePlugin
from kubelite.scheduler.plugins import default_filters, default_scorers
from kubelite.scheduler.podinfo import PodInfo
from kubelite.scheduler.queue import QueuedPod, SchedulingQueue
from kubelite.scheduler.settings import SchedulerSettings
from kubelite.scheduler.status import unschedulable_patch

log = structlog.get_logger("kubelite.scheduler")


class Scheduler:
    def __init__(
        self,
        client: Client,
        factory: SharedInformerFactory,
        *,
        clock: Clock | None = None,
        rng: random.Random | None = None,
        settings: SchedulerSettings | None = None,
        recorder: EventRecorder | None = None,
        filters: list[FilterPlugin] | None = None,
        scorers: list[ScorePlugin] | None = None,
    ) -> None:
        self.settings = settings = settings or SchedulerSettings()
        self._client = client
        self._factory = factory
        self._clock = clock or SystemClock()
        self._recorder = recorder or EventRecorder(client, settings.scheduler_name, clock=self._clock)
        self.cache = SchedulerCache()
        self.queue = SchedulingQueue(
            self._clock,
            initial_backoff=settings.initial_backoff,
            max_backoff=settings.max_backoff,
            max_unschedulable=settings.max_unschedulable,
        )
        self.algorithm = Algorithm(
            self.cache,
            default_filters() if filters is None else filters,
            default_scorers() if scorers is None else scorers,
            rng or random.Random(),
            percentage_of_nodes_to_score=settings.percentage_of_nodes_to_score,
        )
        self._handlers = SchedulerEventHandlers(self.cache, self.queue, settings.scheduler_name)
        self._dispatcher = Dispatcher(settings.parallel_writes)

    def idle(self) -> bool:
        """No pod is waiting to be tried now, and no write is outstanding (for tests and benches)."""
        return self.queue.counts()["active"] == 0 and self._dispatcher.idle()

    async def run(self, *, task_status: anyio.abc.TaskStatus[None] = anyio.TASK_STATUS_IGNORED) -> None:
        self._factory.informer(Pod).add_event_handler(self._handlers.pod_handlers())
        self._factory.informer(Node).add_event_handler(self._handlers.node_handlers())
        async with anyio.create_task_group() as tg:
            self._factory.start(tg)
            await self._factory.wait_for_cache_sync()
            await tg.start(self._dispatcher.run)
            tg.start_soon(self._supervise, "events", self._recorder.run)
            tg.start_soon(self._supervise, "backoff_flush", self._flush_backoff_loop)
            tg.start_soon(self._supervise, "unschedulable_flush", self._flush_unschedulable_loop)
            tg.start_soon(self._supervise, "scheduling", self._scheduling_loop)
            log.info("scheduler_started", nodes=len(self.cache.nodes), pending=len(self.queue))
            task_status.started()

    async def _supervise(self, name: str, loop: Callable[[], Awaitable[None]]) -> None:
        while True:
            try:
                await loop()
                log.error("scheduler_loop_returned", loop=name)
            except Exception:
                log.exception("scheduler_loop_crashed", loop=name)
            await self._clock.sleep(self.settings.restart_delay)

    async def _flush_backoff_loop(self) -> None:
        while True:
            await self._clock.sleep(self.settings.backoff_flush_interval)
            self.queue.flush_backoff()

    async def _flush_unschedulable_loop(self) -> None:
        while True:
            await self._clock.sleep(self.settings.unschedulable_flush_interval)
            self.queue.flush_unschedulable()

    async def _scheduling_loop(self) -> None:
        settings, clock = self.settings, self._clock
        cycles, since = 0, clock.monotonic()
        while True:
            queued = await self.queue.pop()
            try:
                await self.schedule_one(queued)
            except Exception:
                log.exception("scheduling_cycle_failed", pod=queued.info.key)
                self.queue.requeue_backoff(queued.info.uid)
                raise
            cycles += 1
            if cycles >= settings.cycles_per_yield or clock.monotonic() - since >= settings.yield_after:
                await anyio.lowlevel.checkpoint()  # let binds and informers run; they batch up
                cycles, since = 0, clock.monotonic()

    async def schedule_one(self, queued: QueuedPod) -> None:
        """One scheduling cycle for a popped pod: assume the best node and hand off the bind."""
        info = queued.info
        try:
            node = self.algorithm.schedule(info)
        except Unschedulable as exc:
            await self._unschedulable(queued, str(exc))
            return
        self.cache.assume(info, node.name)
        await self._dispatcher.submit(partial(self._bind, info, node.name))

    async def _unschedulable(self, queued: QueuedPod, message: str) -> None:
        info = queued.info
        self.queue.requeue_unschedulable(info.uid)
        log.debug("pod_unschedulable", pod=info.key, message=message)
        self._recorder.event(info.pod, "Warning", "FailedScheduling", message)
        patch = unschedulable_patch(info.pod, message, rfc3339(self._clock.now()))
        if patch is not None:
            await self._dispatcher.submit(partial(self._patch_status, info, patch))

    async def _bind(self, info: PodInfo, node_name: str) -> None:
        binding = Binding(
            metadata=ObjectMeta(name=info.name, namespace=info.namespace, uid=info.pod.metadata.uid),
            target=ObjectReference(kind="Node", name=node_name),
        )
        try:
            await self._client.bind(binding)
        except Exception as exc:
            self._bind_failed(info, node_name, exc)
            return
        if self.settings.record_scheduled_events:
            message = f"Successfully assigned {info.key} to {node_name}"
            self._recorder.event(info.pod, "Normal", "Scheduled", message)

    def _bind_failed(self, info: PodInfo, node_name: str, exc: Exception) -> None:
        log.info("bind_failed", pod=info.key, node=node_name, error=str(exc))
        self.cache.forget(info.uid)
        self.queue.move_all()  # the room it held is free again
        if self.queue.where(info.uid) is None:
            return  # deleted, or bound by someone else, meanwhile: nothing to retry
        self.queue.requeue_backoff(info.uid)
        self._recorder.event(info.pod, "Warning", "FailedScheduling", f"Binding rejected: {exc}")

    async def _patch_status(self, info: PodInfo, patch: dict[str, object]) -> None:
        try:
            await self._client.patch_status(
                Pod, info.name, patch, info.namespace, patch_type=PatchType.STRATEGIC
            )
        except Exception as exc:
            log.info("pod_status_write_failed", pod=info.key, error=str(exc))
