"""`GraphMonitors`: one reflector per resource kind feeding the collector's `Graph` (upstream's
graph builder with metadata-only informers).

Every listable kind of the registry is watched except Events (upstream ignores them too, as
their volume is high and they carry no owners). Each object is reduced to a `Node` at once, so the
memory held is the graph's, never the objects'. `run` starts every reflector in its own task
group, reports readiness through `task_status` once every kind has been listed once, then runs
until cancelled; reflectors retry failures with backoff and never exit on their own (a relist turns
missed deletions into removals). Uids the graph says need a look are passed to `enqueue`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import anyio
from anyio.abc import TaskStatus

from kubelite.api.meta import Object
from kubelite.api.registry import Registry, ResourceInfo
from kubelite.clock import Clock
from kubelite.controllers.garbagecollector.graph import Graph, node_of
from kubelite.informers.backoff import Backoff
from kubelite.informers.reflector import Reflector, ReflectorClient

IGNORED = frozenset({("", "Event"), ("events.k8s.io", "Event")})
"""(group, kind) never watched by the collector, as upstream's DefaultIgnoredResources."""


class _Sink:
    """Reduces one kind's objects to graph nodes."""

    def __init__(self, info: ResourceInfo, graph: Graph, enqueue: Callable[[str], None]) -> None:
        self.info = info
        self.graph = graph
        self.enqueue = enqueue
        self.synced = anyio.Event()

    def replace(self, items: Sequence[Object], resource_version: str) -> None:
        del resource_version
        self._queue(self.graph.replace(self.info, [node_of(self.info, obj) for obj in items]))
        self.synced.set()

    def apply(self, event_type: str, obj: Object) -> None:
        if event_type == "DELETED":
            self._queue(self.graph.remove(obj.metadata.uid))
        else:
            self._queue(self.graph.put(node_of(self.info, obj)))

    def _queue(self, uids: list[str]) -> None:
        for uid in uids:
            self.enqueue(uid)


class GraphMonitors:
    def __init__(
        self,
        client: ReflectorClient,
        registry: Registry,
        graph: Graph,
        enqueue: Callable[[str], None],
        *,
        clock: Clock,
    ) -> None:
        self._client = client
        self._clock = clock
        infos = [i for i in registry.all() if (i.group, i.kind) not in IGNORED]
        self._sinks = [_Sink(info, graph, enqueue) for info in infos]

    @property
    def synced(self) -> bool:
        return all(sink.synced.is_set() for sink in self._sinks)

    async def run(self, *, task_status: TaskStatus[None] = anyio.TASK_STATUS_IGNORED) -> None:
        async with anyio.create_task_group() as group:
            for sink in self._sinks:
                reflector = Reflector(self._client, sink.info.type, sink, self._clock, Backoff(self._clock))
                group.start_soon(reflector.run, name=f"gc-monitor:{sink.info.kind}")
            for sink in self._sinks:
                await sink.synced.wait()
            task_status.started()
