"""`python -m bench services`: create many Services through the apiserver on SQLite.

`--services` Services (default 5,000) are created by `--concurrency` concurrent writers (default
32) into one namespace of an apiserver over a temp SQLite file; every 5th is a NodePort Service, so
both allocators work. Figures: `creates_per_s` overall, and for the first and the last 1,000
creates, whose ratio shows whether a create's cost grows with the number of Services (the old
strategy listed every Service on each create: O(n)). Baseline from the same run: the same number
of ConfigMaps, a create with no allocation at all. Final line: JSON.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import anyio

from kubelite.api.core import ConfigMap, Service, ServicePort, ServiceSpec
from kubelite.api.meta import Object, ObjectMeta
from kubelite.apiserver import APIServer
from kubelite.store.sqlite import SQLiteStorage

WINDOW = 1000


def service(i: int) -> Service:
    kind = "NodePort" if i % 5 == 0 else "ClusterIP"
    spec = ServiceSpec(type=kind, selector={"app": f"s{i}"}, ports=[ServicePort(port=80)])
    return Service(metadata=ObjectMeta(name=f"svc-{i}", namespace="default"), spec=spec)


def config_map(i: int) -> ConfigMap:
    return ConfigMap(metadata=ObjectMeta(name=f"cm-{i}", namespace="default"), data={"k": "v"})


async def create_all(server: APIServer, objects: list[Object], concurrency: int) -> list[float]:
    """Create every object; the finish time of each create, in completion order."""
    done: list[float] = []
    queue = iter(objects)

    async def writer() -> None:
        for obj in queue:
            await server.create(type(obj), obj, "default")
            done.append(time.perf_counter())

    async with anyio.create_task_group() as group:
        for _ in range(concurrency):
            group.start_soon(writer)
    return done


def rate(count: int, seconds: float) -> int:
    return round(count / seconds) if seconds > 0 else 0


async def measure(path: Path, objects: list[Object], concurrency: int) -> dict[str, Any]:
    async with SQLiteStorage(path) as storage:
        server = APIServer(storage)
        await server.bootstrap()
        start = time.perf_counter()
        done = await create_all(server, objects, concurrency)
    window = min(WINDOW, len(done) // 2)
    first = rate(window, done[window - 1] - start)
    last = rate(window, done[-1] - done[-window - 1])
    overall = rate(len(done), done[-1] - start)
    return {"creates_per_s": overall, "first_1000_per_s": first, "last_1000_per_s": last}


async def run(count: int, concurrency: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        services = await measure(Path(tmp) / "svc.db", [service(i) for i in range(count)], concurrency)
        baseline = await measure(Path(tmp) / "cm.db", [config_map(i) for i in range(count)], concurrency)
    return {"services": count, "concurrency": concurrency, **services, "configmaps_baseline": baseline}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench services")
    parser.add_argument("--services", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args(argv)
    print(json.dumps(anyio.run(run, args.services, args.concurrency)))
    return 0
