"""`python -m bench store`: apiserver creates into SQLite vs raw batched aiosqlite inserts.

Measures, in one run on one machine:
- `raw_rows_per_s`: the same pod bytes inserted with `executemany`, one transaction per 1,000 rows,
  straight through aiosqlite (the ceiling for any SQLite-backed store);
- `creates_per_s`: pods created through the apiserver layer (decode, defaults, validation, encode,
  group-committed store) by 1,000 concurrent writers;
- `p99_ms`: create latency (call → durable acknowledgement) at a steady 1,000 creates/s.
Final line: JSON with those keys and `ratio = creates_per_s / raw_rows_per_s`.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import aiosqlite
import anyio

from bench.pods import sample_pod
from kubelite.api.core import Pod
from kubelite.apiserver import APIServer
from kubelite.apiserver.codec import encode
from kubelite.store.sqlite import SQLiteStorage


async def raw_rows_per_s(path: Path, payloads: list[bytes], synchronous: str, batch: int = 1000) -> float:
    async with aiosqlite.connect(path) as db:
        await db.execute("PRAGMA journal_mode=WAL")
        await db.execute(f"PRAGMA synchronous={synchronous}")
        await db.execute(
            "CREATE TABLE objects (resource TEXT, namespace TEXT, name TEXT, value BLOB, revision INTEGER,"
            " PRIMARY KEY (resource, namespace, name))"
        )
        await db.commit()
        start = time.perf_counter()
        for first in range(0, len(payloads), batch):
            rows = [
                ("pods", "default", f"pod-{i}", payloads[i], i + 1)
                for i in range(first, min(first + batch, len(payloads)))
            ]
            await db.executemany("INSERT INTO objects VALUES (?, ?, ?, ?, ?)", rows)
            await db.commit()
        return len(payloads) / (time.perf_counter() - start)


async def creates_per_s(path: Path, count: int, writers: int, synchronous: str) -> float:
    pods = [sample_pod(f"pod-{i}") for i in range(count)]
    async with SQLiteStorage(path, synchronous=synchronous) as storage:
        server = APIServer(storage)
        await server.bootstrap()
        next_index = 0

        async def writer() -> None:
            nonlocal next_index
            while next_index < count:
                index = next_index
                next_index += 1
                await server.create(Pod, pods[index], "default")

        start = time.perf_counter()
        async with anyio.create_task_group() as tg:
            for _ in range(writers):
                tg.start_soon(writer)
        return count / (time.perf_counter() - start)


async def p99_ms(path: Path, rate: int, seconds: float, synchronous: str) -> float:
    total = int(rate * seconds)
    pods = [sample_pod(f"steady-{i}") for i in range(total)]
    latencies: list[float] = []
    async with SQLiteStorage(path, synchronous=synchronous) as storage:
        server = APIServer(storage)
        await server.bootstrap()

        async def one(pod: Pod) -> None:
            began = time.perf_counter()
            await server.create(Pod, pod, "default")
            latencies.append(time.perf_counter() - began)

        start = time.perf_counter()
        async with anyio.create_task_group() as tg:
            for index, pod in enumerate(pods):
                delay = start + index / rate - time.perf_counter()
                if delay > 0:
                    await anyio.sleep(delay)
                tg.start_soon(one, pod)
    latencies.sort()
    return latencies[int(len(latencies) * 0.99) - 1] * 1000


async def run(args: argparse.Namespace) -> dict[str, float | int | str]:
    payload = encode(sample_pod("pod-0"))
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        raw = await raw_rows_per_s(base / "raw.db", [payload] * args.count, args.synchronous)
        creates = await creates_per_s(base / "creates.db", args.count, args.writers, args.synchronous)
        p99 = await p99_ms(base / "steady.db", args.rate, args.seconds, args.synchronous)
    return {
        "pod_bytes": len(payload),
        "synchronous": args.synchronous,
        "writers": args.writers,
        "creates_per_s": round(creates),
        "raw_rows_per_s": round(raw),
        "ratio": round(creates / raw, 3),
        "p99_ms": round(p99, 3),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench store")
    parser.add_argument("--count", type=int, default=50_000, help="pods to create in the throughput runs")
    parser.add_argument("--writers", type=int, default=1000, help="concurrent writers")
    parser.add_argument("--rate", type=int, default=1000, help="creates per second in the latency run")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of the latency run")
    parser.add_argument("--synchronous", default="FULL", choices=["FULL", "NORMAL"])
    args = parser.parse_args(argv)
    result = anyio.run(run, args)
    print(json.dumps(result))
    return 0
