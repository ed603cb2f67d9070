"""`python -m bench stack`: seconds until every pod of a burst is Running, through the whole stack.

Builds the whole local cluster in this process (`kubelite.cli.cluster.local_cluster`: API server,
scheduler, node lifecycle and pod GC controllers, `--nodes` fake nodes, default 100) over the
memory store (`--store sqlite` for SQLite in a temporary directory, synchronous=NORMAL as the
server runs by default), on the real clock. Then `--writers` concurrent writers create `--pods`
pods (default 10,000; one busybox container running `sleep 3600`, no requests) and a Pod
informer of its own watches their status. Each pod is scheduled, bound, started by its node's
fake kubelet and reported Running, all through the store and its watch.

Printed: the create rate (pods created / seconds from the first create to the last) and the
seconds from the first create until the last pod is seen Running. Final line: JSON with `pods`,
`nodes`, `store`, `creates_per_s`, `seconds_to_all_running`.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import anyio

from kubelite.api.core import Container, Pod, PodSpec
from kubelite.api.meta import ObjectMeta
from kubelite.cli.cluster import local_cluster
from kubelite.client import InProcessClient
from kubelite.clock import SystemClock
from kubelite.informers import EventHandlers, SharedInformerFactory
from kubelite.store import Storage
from kubelite.store.memory import MemoryStorage
from kubelite.store.sqlite import SQLiteStorage


def burst_pod(name: str) -> Pod:
    container = Container(name="app", image="busybox:1.36", command=["sleep", "3600"])
    return Pod(metadata=ObjectMeta(name=name, namespace="default"), spec=PodSpec(containers=[container]))


@dataclass
class Running:
    """Counts pods of the burst seen Running, once each."""

    total: int
    seen: set[str] = field(default_factory=set)
    last: float = 0.0
    done: anyio.Event = field(default_factory=anyio.Event)

    def on_add(self, pod: Pod, initial: bool) -> None:
        self.check(pod)

    def on_update(self, old: Pod, new: Pod) -> None:
        self.check(new)

    def check(self, pod: Pod) -> None:
        if pod.status is None or pod.status.phase != "Running" or pod.metadata.name in self.seen:
            return
        self.seen.add(pod.metadata.name)
        self.last = time.perf_counter()
        if len(self.seen) == self.total:
            self.done.set()


async def create_all(client: InProcessClient, pods: list[Pod], writers: int) -> float:
    """Create `pods` with `writers` concurrent writers; the seconds the last create finished at."""
    pending = list(reversed(pods))
    finished = 0.0

    async def writer() -> None:
        nonlocal finished
        while pending:
            await client.create(pending.pop())
        finished = max(finished, time.perf_counter())

    async with anyio.create_task_group() as tg:
        for _ in range(writers):
            tg.start_soon(writer)
    return finished


@asynccontextmanager
async def open_store(kind: str, history: int) -> AsyncIterator[Storage]:
    if kind == "memory":
        async with MemoryStorage(history=history) as storage:
            yield storage
        return
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "kubelite.db"
        async with SQLiteStorage(path, history=history, synchronous="NORMAL") as storage:
            yield storage


async def run(args: argparse.Namespace) -> dict[str, object]:
    clock = SystemClock()
    pods = [burst_pod(f"burst-{i:05d}") for i in range(args.pods)]
    running = Running(args.pods)
    async with (
        open_store(args.store, history=10 * args.pods + 50_000) as storage,
        local_cluster(storage, nodes=args.nodes, clock=clock) as cluster,
    ):
        factory = SharedInformerFactory(cluster.client, clock=clock)
        factory.informer(Pod).add_event_handler(
            EventHandlers(on_add=running.on_add, on_update=running.on_update)
        )
        async with anyio.create_task_group() as group:
            factory.start(group)
            await factory.wait_for_cache_sync()
            print(f"cluster up: {args.nodes} fake nodes, {args.store} store", flush=True)
            started = time.perf_counter()
            created = await create_all(cluster.client, pods, args.writers)
            print(f"created {args.pods} pods in {created - started:.2f} s", flush=True)
            with anyio.fail_after(args.timeout):
                await running.done.wait()
            group.cancel_scope.cancel()
    create_span = created - started
    return {
        "pods": args.pods,
        "nodes": args.nodes,
        "store": args.store,
        "creates_per_s": round(args.pods / create_span) if create_span > 0 else None,
        "seconds_to_all_running": round(running.last - started, 2),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench stack", description=__doc__)
    parser.add_argument("--pods", type=int, default=10_000)
    parser.add_argument("--nodes", type=int, default=100)
    parser.add_argument("--store", choices=("memory", "sqlite"), default="memory")
    parser.add_argument("--writers", type=int, default=100, help="concurrent creating tasks")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds before giving up")
    args = parser.parse_args(argv)
    if args.pods < 1 or args.nodes < 1 or args.writers < 1:
        parser.error("--pods, --nodes and --writers must be ≥ 1")
    if args.pods > 110 * args.nodes:
        parser.error("each fake node holds at most 110 pods: raise --nodes")
    result = anyio.run(run, args)
    print(f"all {args.pods} pods Running {result['seconds_to_all_running']} s after the first create")
    print(json.dumps(result))
    return 0
