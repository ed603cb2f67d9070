"""`python -m bench informer`: pods written to the store and delivered to one shared informer.

Phases, in one run:
1. Throughput: `--pods` pods (1.7 KB each) are written straight to a memory store by 1,000 writers
   while a synced informer with 3 handlers follows the watch; `events_per_s` is pods delivered per
   second, first write to last delivery.
2. Latency: writes at a steady `--rate` per second for `--seconds`; for each, the time from the
   write being issued to the first handler seeing it; `p99_delivery_ms`. (Handlers run as soon as
   the batch commits, before the writer's own `await` resumes, so "acknowledged → handler" is
   never positive here; "issued → handler" is the strict upper bound and includes the commit.)
3. Memory, in a fresh child process (so memory freed by phases 1-2 cannot hide the growth): the
   same number of pods is written to a memory store, then an informer lists them;
   `bytes_per_cached_pod` is the process RSS growth from before the informer starts until it has
   synced, divided by the cached pods (it includes the transient list response, whatever of it the
   allocator does not give back), and `full_gc_ms` is one full `gc.collect()` with them cached.
The store is written directly (not through the apiserver) so that the producer outruns the
informer and the figures are the informer's.
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import time

import anyio

from bench.pods import sample_pod
from kubelite.api.core import Pod
from kubelite.apiserver import APIServer
from kubelite.apiserver.codec import encode
from kubelite.client import InProcessClient
from kubelite.informers import EventHandlers, SharedInformer
from kubelite.store.memory import MemoryStorage


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096


def render_for(name: str):  # type: ignore[no-untyped-def]
    pod = sample_pod(name)

    def render(revision: int) -> bytes:
        pod.metadata.resource_version = str(revision)
        pod.metadata.uid = f"uid-{name}"
        return encode(pod)

    return render


async def throughput(storage: MemoryStorage, informer: SharedInformer[Pod], count: int) -> float:
    delivered = anyio.Event()
    seen = 0

    def on_add(obj: Pod, initial: bool) -> None:
        nonlocal seen
        seen += 1
        if seen == count:
            delivered.set()

    informer.add_event_handler(EventHandlers(on_add=on_add))
    informer.add_event_handler(EventHandlers(on_add=lambda obj, initial: None))
    informer.add_event_handler(EventHandlers(on_update=lambda old, new: None))
    next_index = 0

    async def writer() -> None:
        nonlocal next_index
        while next_index < count:
            index = next_index
            next_index += 1
            await storage.create(("pods", "default", f"pod-{index}"), render_for(f"pod-{index}"))

    start = time.perf_counter()
    async with anyio.create_task_group() as tg:
        for _ in range(1000):
            tg.start_soon(writer)
    await delivered.wait()
    return count / (time.perf_counter() - start)


async def latency(storage: MemoryStorage, informer: SharedInformer[Pod], rate: int, seconds: float) -> float:
    acked: dict[str, float] = {}  # when each write was issued
    delivered: dict[str, float] = {}
    total = int(rate * seconds)
    all_seen = anyio.Event()

    def on_add(obj: Pod, initial: bool) -> None:
        if obj.metadata.name.startswith("steady-"):
            delivered[obj.metadata.name] = time.perf_counter()
            if len(delivered) == total:
                all_seen.set()

    informer.add_event_handler(EventHandlers(on_add=on_add))

    async def one(name: str) -> None:
        acked[name] = time.perf_counter()
        await storage.create(("pods", "default", name), render_for(name))

    start = time.perf_counter()
    async with anyio.create_task_group() as tg:
        for index in range(total):
            delay = start + index / rate - time.perf_counter()
            if delay > 0:
                await anyio.sleep(delay)
            tg.start_soon(one, f"steady-{index}")
    with anyio.fail_after(30):
        await all_seen.wait()
    waits = sorted(max(0.0, delivered[name] - acked[name]) for name in acked)
    return waits[int(len(waits) * 0.99) - 1] * 1000


async def memory(count: int) -> dict[str, float | int]:
    """The memory phase, run in the child process."""
    async with MemoryStorage(history=10) as storage:
        server = APIServer(storage)
        await server.bootstrap()
        for index in range(count):
            await storage.create(("pods", "default", f"pod-{index}"), render_for(f"pod-{index}"))
        per_pod, gc_ms, cached = await measure_informer(server)
    return {"bytes_per_cached_pod": round(per_pod), "full_gc_ms": round(gc_ms, 2), "pods": cached}


def memory_in_child(count: int) -> dict[str, float | int]:
    child = subprocess.run(
        [sys.executable, "-m", "bench", "informer", "--memory-child", "--pods", str(count)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float | int] = json.loads(child.stdout.strip().splitlines()[-1])
    return result


async def measure_informer(server: APIServer) -> tuple[float, float, int]:
    gc.collect()
    before = rss_bytes()
    informer = SharedInformer(InProcessClient(server), Pod, clock=server.clock)
    async with anyio.create_task_group() as tg:
        tg.start_soon(informer.run)
        await informer.wait_synced()
        gc.collect()
        after = rss_bytes()
        started = time.perf_counter()
        gc.collect()
        gc_ms = (time.perf_counter() - started) * 1000
        cached = len(informer.indexer)
        tg.cancel_scope.cancel()
    return (after - before) / cached, gc_ms, cached


async def run(args: argparse.Namespace) -> dict[str, float | int]:
    async with MemoryStorage(history=args.pods + 10_000) as storage:
        server = APIServer(storage)
        await server.bootstrap()
        informer = SharedInformer(InProcessClient(server), Pod, clock=server.clock)
        async with anyio.create_task_group() as tg:
            tg.start_soon(informer.run)
            await informer.wait_synced()
            events = await throughput(storage, informer, args.pods)
            p99 = await latency(storage, informer, args.rate, args.seconds)
            tg.cancel_scope.cancel()
        cached = len(informer.indexer)
    mem = memory_in_child(cached)
    return {
        "pods": cached,
        "events_per_s": round(events),
        "p99_delivery_ms": round(p99, 3),
        "bytes_per_cached_pod": mem["bytes_per_cached_pod"],
        "full_gc_ms": mem["full_gc_ms"],
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench informer")
    parser.add_argument("--pods", type=int, default=100_000)
    parser.add_argument("--rate", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--memory-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_child:
        print(json.dumps(anyio.run(memory, args.pods)))
        return 0
    print(json.dumps(anyio.run(run, args)))
    return 0
