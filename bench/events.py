"""`python -m bench events`: an Event burst of pods starting, written through `EventRecorder`.

One recorder (component "kubelet") receives Scheduled, Pulled, Created and Started for each of
`--pods` pods, as fast as the producer can call `event()`, yielding to the loop every `--batch`
events (the kubelets' own pace is slower). Events go to an apiserver on SQLite (a temp file).
Measured twice: with the recorder's defaults (32 concurrent writers, 50,000 buffered) and with the
old shape (1 writer, 1,000 buffered). Figures: `written` (Events in the store), `dropped`
(by reason), `events_per_s` (written / time from the first event to the end of `flush()`).
Final line: JSON with both runs.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import anyio
import anyio.lowlevel
from prometheus_client import CollectorRegistry

from kubelite.api.core import Event, Pod
from kubelite.api.meta import ObjectMeta
from kubelite.apiserver import APIServer
from kubelite.client import EventRecorder, InProcessClient
from kubelite.client.events import EventMetrics
from kubelite.client.events.metrics import DROP_REASONS
from kubelite.store.sqlite import SQLiteStorage

REASONS = ("Scheduled", "Pulled", "Created", "Started")


async def burst(path: Path, pods: int, batch: int, writers: int, buffer: int) -> dict[str, Any]:
    subjects = [
        Pod(metadata=ObjectMeta(name=f"pod-{i}", namespace="default", uid=f"u{i}")) for i in range(pods)
    ]
    registry = CollectorRegistry()
    async with SQLiteStorage(path) as storage:
        server = APIServer(storage)
        await server.bootstrap()
        client = InProcessClient(server)
        recorder = EventRecorder(
            client, "kubelet", writers=writers, buffer=buffer, metrics=EventMetrics.create(registry)
        )
        async with anyio.create_task_group() as group:
            await group.start(recorder.run)
            start = time.perf_counter()
            await produce(recorder, subjects, batch)
            await recorder.flush()
            seconds = time.perf_counter() - start
            group.cancel_scope.cancel()
        written = len((await client.list(Event)).items)
    dropped = {
        r: registry.get_sample_value("kubelite_events_dropped_total", {"component": "kubelet", "reason": r})
        or 0
        for r in DROP_REASONS
    }
    return {
        "recorded": pods * len(REASONS),
        "written": written,
        "dropped": dropped,
        "events_per_s": round(written / seconds),
    }


async def produce(recorder: EventRecorder, subjects: list[Pod], batch: int) -> None:
    count = 0
    for reason in REASONS:
        for pod in subjects:
            recorder.event(pod, "Normal", reason, f"{reason} {pod.metadata.name}")
            count += 1
            if count % batch == 0:
                await anyio.lowlevel.checkpoint()


async def run(pods: int, batch: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        pool = await burst(Path(tmp) / "pool.db", pods, batch, writers=32, buffer=50_000)
        serial = await burst(Path(tmp) / "serial.db", pods, batch, writers=1, buffer=1000)
    return {"pods": pods, "pool": pool, "serial_1000": serial}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench events", description=__doc__)
    parser.add_argument("--pods", type=int, default=10_000, help="pods starting in the burst")
    parser.add_argument("--batch", type=int, default=50, help="events between producer yields")
    args = parser.parse_args(argv)
    result = anyio.run(run, args.pods, args.batch)
    for name in ("pool", "serial_1000"):
        figures = result[name]
        written = f"written {figures['written']:>7,} of {figures['recorded']:,}"
        print(f"{name:12} {written}  {figures['events_per_s']:>7,} events/s  dropped {figures['dropped']}")
    print(json.dumps(result))
    return 0
