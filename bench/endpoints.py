"""`python -m bench endpoints`: one Service over `--pods` pods (10,000), with the Endpoints and
EndpointSlice controllers running together on a memory store (no kubelet: pods are written to the
store with an IP, a node and Ready=True).

Phases:
1. First sync: the Service is created; `first_endpoints_s` is the time until the Endpoints holds
   what the planner computes for all pods (1,000 addresses, over capacity: truncated),
   `first_slices_s` until the EndpointSlices hold every pod (slices of 100).
2. Flips: `--flips` pods (1,000), those the Endpoints lists first, are set Ready=False through the
   API by 32 writers; `flip_endpoints_s` / `flip_slices_s` are the times from the first flip until
   the Endpoints (which swaps in other ready pods) and the slices (ready=false) show all of them.
Writes: Endpoints and EndpointSlice creates and updates each controller sent (`*_writes_first`,
`*_writes_flips`). Baselines from the same run: `flip_writes_s`, the time the flips' own status
writes take, and `plan_ms`, one pure Endpoints plan of all pods (decoded from the informer cache
once). `--batch-period S` sets both controllers' `batch_period` (upstream's
--endpoint-updates-batch-period; default 0 as upstream), so a burst of pod changes makes one sync
per period. Final line: JSON.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from typing import Any

import anyio
import msgspec

from kubelite.api.core import (
    Container,
    ContainerPort,
    Endpoints,
    Node,
    Pod,
    PodCondition,
    PodIP,
    PodSpec,
    PodStatus,
    Service,
    ServicePort,
    ServiceSpec,
)
from kubelite.api.discovery import EndpointSlice
from kubelite.api.meta import ObjectMeta
from kubelite.apiserver import APIServer
from kubelite.apiserver.codec import encode
from kubelite.client import EventRecorder, InProcessClient
from kubelite.controllers.endpoint import EndpointsController, EndpointsSettings
from kubelite.controllers.endpoint.desired import plan_endpoints
from kubelite.controllers.endpointslice import EndpointSliceController, EndpointSliceSettings
from kubelite.controllers.runtime import Manager
from kubelite.informers import EventHandlers, SharedInformerFactory
from kubelite.store.memory import MemoryStorage

WRITERS = 32
T0 = "2026-01-01T00:00:00Z"


class CountingClient(InProcessClient):
    """Counts the creates and updates sent, by kind."""

    def __init__(self, server: APIServer) -> None:
        super().__init__(server)
        self.writes: Counter[str] = Counter()

    async def create(self, obj: Any, *, dry_run: bool = False) -> Any:
        self.writes[type(obj).__name__] += 1
        return await super().create(obj, dry_run=dry_run)

    async def update(self, obj: Any, *, dry_run: bool = False) -> Any:
        self.writes[type(obj).__name__] += 1
        return await super().update(obj, dry_run=dry_run)


def ip(i: int) -> str:
    return f"10.{i // 65536}.{i // 256 % 256}.{i % 256}"


def member(i: int) -> Pod:
    container = Container(
        name="web", image="busybox", ports=[ContainerPort(container_port=8080, name="http")]
    )
    status = PodStatus(
        phase="Running",
        pod_ip=ip(i),
        pod_ips=[PodIP(ip=ip(i))],
        conditions=[PodCondition(type="Ready", status="True", last_transition_time=T0)],
    )
    meta = ObjectMeta(name=f"web-{i:05d}", namespace="default", labels={"app": "web"}, uid=f"uid-{i}")
    return Pod(metadata=meta, spec=PodSpec(containers=[container], node_name="node-1"), status=status)


async def write_pods(storage: MemoryStorage, count: int) -> None:
    def render(pod: Pod) -> Any:
        def at(revision: int) -> bytes:
            pod.metadata.resource_version = str(revision)
            pod.metadata.creation_timestamp = T0
            return encode(pod)

        return at

    pending = iter(range(count))

    async def writer() -> None:
        for i in pending:
            pod = member(i)
            await storage.create(("pods", "default", pod.metadata.name), render(pod))

    async with anyio.create_task_group() as group:
        for _ in range(WRITERS):
            group.start_soon(writer)


class Watcher:
    """Follows the Endpoints and the slices; `check()` says whether each matches the target."""

    def __init__(self, factory: SharedInformerFactory) -> None:
        self.expected: Endpoints | None = None
        self.ready: dict[str, bool] = {}
        self.target: dict[str, bool] = {}
        self.endpoints_done = anyio.Event()
        self.slices_done = anyio.Event()
        self.current: Endpoints | None = None
        factory.informer(Endpoints).add_event_handler(
            EventHandlers(on_add=lambda e, _i: self._endpoints(e), on_update=lambda _o, e: self._endpoints(e))
        )
        factory.informer(EndpointSlice).add_event_handler(
            EventHandlers(on_add=lambda s, _i: self._slice(s), on_update=lambda _o, s: self._slice(s))
        )

    def reset(self, expected: Endpoints, target: dict[str, bool]) -> None:
        self.expected, self.target = expected, target
        self.endpoints_done, self.slices_done = anyio.Event(), anyio.Event()
        if self.current is not None:
            self._endpoints(self.current)
        self._check_slices()

    def _endpoints(self, endpoints: Endpoints) -> None:
        if endpoints.metadata.name != "web":
            return
        self.current = endpoints
        if self.expected is not None and endpoints.subsets == self.expected.subsets:
            self.endpoints_done.set()

    def _slice(self, endpoint_slice: EndpointSlice) -> None:
        for endpoint in endpoint_slice.endpoints:
            if endpoint.target_ref is not None:
                self.ready[endpoint.target_ref.name] = bool(endpoint.conditions.ready)
        self._check_slices()

    def _check_slices(self) -> None:
        if self.target and all(self.ready.get(name) == ready for name, ready in self.target.items()):
            self.slices_done.set()


async def timed(event: anyio.Event, start: float) -> float:
    with anyio.fail_after(600):
        await event.wait()
    return time.perf_counter() - start


async def phase(watcher: Watcher, start: float) -> tuple[float, float]:
    results: dict[str, float] = {}

    async def wait(name: str, event: anyio.Event) -> None:
        results[name] = await timed(event, start)

    async with anyio.create_task_group() as group:
        group.start_soon(wait, "endpoints", watcher.endpoints_done)
        group.start_soon(wait, "slices", watcher.slices_done)
    return round(results["endpoints"], 3), round(results["slices"], 3)


async def flip(client: InProcessClient, pods: list[Pod]) -> float:
    pending = iter(pods)
    start = time.perf_counter()

    async def writer() -> None:
        for pod in pending:
            current = await client.get(Pod, pod.metadata.name, "default")
            status = msgspec.structs.replace(
                current.status,
                conditions=[PodCondition(type="Ready", status="False", last_transition_time=T0)],
            )
            await client.update_status(msgspec.structs.replace(current, status=status))

    async with anyio.create_task_group() as group:
        for _ in range(WRITERS):
            group.start_soon(writer)
    return time.perf_counter() - start


def web_service() -> Service:
    spec = ServiceSpec(selector={"app": "web"}, ports=[ServicePort(port=80, target_port="http")])
    return Service(metadata=ObjectMeta(name="web", namespace="default"), spec=spec)


async def run(count: int, flips: int, batch_period: float) -> dict[str, Any]:
    async with MemoryStorage(history=100_000) as storage:
        server = APIServer(storage)
        await server.bootstrap()
        await write_pods(storage, count)
        client = CountingClient(server)
        await client.create(Node(metadata=ObjectMeta(name="node-1")))
        manager = Manager(client)
        recorder = EventRecorder(client, "bench")
        EndpointsController(manager, client, recorder, EndpointsSettings(batch_period=batch_period))
        EndpointSliceController(manager, client, recorder, EndpointSliceSettings(batch_period=batch_period))
        observer = SharedInformerFactory(InProcessClient(server))
        watcher = Watcher(observer)
        async with anyio.create_task_group() as group:
            observer.start(group)
            await group.start(recorder.run)
            await group.start(manager.run)
            await observer.wait_for_cache_sync()
            pods = [member(i) for i in range(count)]
            svc = web_service()
            svc.metadata.creation_timestamp = T0
            began = time.perf_counter()
            expected = plan_endpoints(svc, pods, None, None)
            plan_ms = (time.perf_counter() - began) * 1000
            assert expected is not None
            watcher.reset(expected, {p.metadata.name: True for p in pods})
            client.writes.clear()
            start = time.perf_counter()
            await client.create(svc)
            first = await phase(watcher, start)
            first_writes = dict(client.writes)
            listed = [a.target_ref.name for s in expected.subsets for a in s.addresses if a.target_ref]
            flipped = set(listed[:flips])
            after = [
                msgspec.structs.replace(
                    p,
                    status=msgspec.structs.replace(
                        p.status,
                        conditions=[PodCondition(type="Ready", status="False", last_transition_time=T0)],
                    ),
                )
                if p.metadata.name in flipped
                else p
                for p in pods
            ]
            final = plan_endpoints(svc, after, None, None)
            assert final is not None
            watcher.reset(final, {p.metadata.name: p.metadata.name not in flipped for p in pods})
            client.writes.clear()
            start = time.perf_counter()
            async with anyio.create_task_group() as flipping:
                writes_s: list[float] = []

                async def do_flips() -> None:
                    writes_s.append(await flip(client, [p for p in pods if p.metadata.name in flipped]))

                flipping.start_soon(do_flips)
                second = await phase(watcher, start)
            flip_writes = dict(client.writes)
            group.cancel_scope.cancel()
    return {
        "pods": count,
        "flips": flips,
        "batch_period": batch_period,
        "first_endpoints_s": first[0],
        "first_slices_s": first[1],
        "endpoints_writes_first": first_writes.get("Endpoints", 0),
        "slice_writes_first": first_writes.get("EndpointSlice", 0),
        "flip_endpoints_s": second[0],
        "flip_slices_s": second[1],
        "endpoints_writes_flips": flip_writes.get("Endpoints", 0),
        "slice_writes_flips": flip_writes.get("EndpointSlice", 0),
        "flip_writes_s": round(writes_s[0], 3),
        "plan_ms": round(plan_ms, 1),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench endpoints")
    parser.add_argument("--pods", type=int, default=10_000)
    parser.add_argument("--flips", type=int, default=1000)
    parser.add_argument("--batch-period", type=float, default=0.0, help="both controllers' batch_period (s)")
    args = parser.parse_args(argv)
    print(json.dumps(anyio.run(run, args.pods, args.flips, args.batch_period)))
    return 0
