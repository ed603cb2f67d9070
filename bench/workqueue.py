"""`python -m bench workqueue`: workqueue add+get+done cycles vs asyncio.Queue put+get, in one run.

Measures, on one event loop:
- `cycles_per_s`: distinct "namespace/name" keys pushed through `kubelite.workqueue.Queue` —
  `add` by one producer (yielding to the loop every `--batch` adds), `get` + `done` by one worker;
- `cycles_per_s_4_workers`: the same with four workers;
- `asyncio_queue_per_s`: the same keys through `asyncio.Queue` (`put_nowait` + `get`), one worker,
  with the same producer — the raw baseline.
Each figure is the best of `--repeat` runs. Final line: JSON with those keys and
`ratio = cycles_per_s / asyncio_queue_per_s`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time

import anyio
import anyio.lowlevel

from kubelite.workqueue import Queue, QueueShutDown


async def workqueue_cycles(keys: list[str], workers: int, batch: int) -> float:
    queue: Queue[str] = Queue(name="bench")

    async def worker() -> None:
        while True:
            try:
                key = await queue.get()
            except QueueShutDown:
                return
            queue.done(key)

    start = time.perf_counter()
    async with anyio.create_task_group() as tg:
        for _ in range(workers):
            tg.start_soon(worker)
        for index, key in enumerate(keys, 1):
            queue.add(key)
            if index % batch == 0:
                await anyio.lowlevel.checkpoint()
        queue.shut_down()
    return len(keys) / (time.perf_counter() - start)


async def asyncio_queue_items(keys: list[str], batch: int) -> float:
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    async def worker() -> None:
        while await queue.get() is not None:
            pass

    start = time.perf_counter()
    async with anyio.create_task_group() as tg:
        tg.start_soon(worker)
        for index, key in enumerate(keys, 1):
            queue.put_nowait(key)
            if index % batch == 0:
                await anyio.lowlevel.checkpoint()
        queue.put_nowait(None)
    return len(keys) / (time.perf_counter() - start)


async def run(count: int, batch: int, repeat: int) -> dict[str, float]:
    keys = [f"default/pod-{i}" for i in range(count)]
    single = max([await workqueue_cycles(keys, 1, batch) for _ in range(repeat)])
    four = max([await workqueue_cycles(keys, 4, batch) for _ in range(repeat)])
    baseline = max([await asyncio_queue_items(keys, batch) for _ in range(repeat)])
    return {
        "cycles_per_s": round(single),
        "cycles_per_s_4_workers": round(four),
        "asyncio_queue_per_s": round(baseline),
        "ratio": round(single / baseline, 3),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench workqueue", description=__doc__)
    parser.add_argument("--count", type=int, default=200_000, help="keys per run")
    parser.add_argument("--batch", type=int, default=64, help="adds between producer yields")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (best is kept)")
    args = parser.parse_args(argv)
    result = anyio.run(run, args.count, args.batch, args.repeat)
    print(f"workqueue 1 worker:  {result['cycles_per_s']:>12,.0f} add+get+done/s")
    print(f"workqueue 4 workers: {result['cycles_per_s_4_workers']:>12,.0f} add+get+done/s")
    print(f"asyncio.Queue:       {result['asyncio_queue_per_s']:>12,.0f} put+get/s")
    print(json.dumps(result))
    return 0
