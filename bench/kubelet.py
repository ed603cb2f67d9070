"""`python -m bench kubelet`: CPU cost of many fake nodes keeping their real heartbeat cadence.

Starts an apiserver over the SQLite store (synchronous=NORMAL, as the server runs by default), one
shared Pod informer and `--nodes` kubelets, each with its own fake runtime, all on the real clock.
Once every node is registered, it measures the process's CPU time over `--seconds` of wall time
while each kubelet renews its Lease every 10 s and computes its status every 10 s (writing it on
change or every 5 min). Final line: JSON with `nodes`, `cpu_percent_of_one_core` (process CPU
seconds / wall seconds × 100), and `lease_renewals` seen in the window as a cross-check (expected
≈ nodes × seconds / 10).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import anyio

from kubelite.apiserver import APIServer
from kubelite.client import EventRecorder, InProcessClient
from kubelite.clock import SystemClock
from kubelite.cri.fake import FakeImageService, FakeRuntime, PodNetwork
from kubelite.informers import SharedInformerFactory
from kubelite.kubelet import FakeNetworkProber, Kubelet, KubeletConfig, PodDispatcher
from kubelite.store.sqlite import SQLiteStorage


class _CountingClient(InProcessClient):
    """Counts Lease updates (the renewals) so the run can show the cadence really happened."""

    renewals = 0

    async def update(self, obj, *, dry_run=False):  # type: ignore[no-untyped-def]
        if type(obj).__name__ == "Lease":
            _CountingClient.renewals += 1
        return await super().update(obj, dry_run=dry_run)


async def run(nodes: int, seconds: float, directory: Path) -> dict[str, float]:
    clock = SystemClock()
    async with SQLiteStorage(directory / "kubelite.db", synchronous="NORMAL") as storage:
        server = APIServer(storage, clock=clock)
        await server.bootstrap()
        client = _CountingClient(server)
        factory = SharedInformerFactory(client, clock=clock)
        dispatcher = PodDispatcher(factory)
        images = FakeImageService(clock, present=["busybox:1.36"])
        network, probes = PodNetwork(), FakeNetworkProber()
        recorder = EventRecorder(client, "kubelet", clock=clock)
        async with anyio.create_task_group() as group:
            factory.start(group)
            await factory.wait_for_cache_sync()
            await group.start(recorder.run)
            started = time.perf_counter()
            for index in range(nodes):
                runtime = FakeRuntime(clock, images=images, network=network, name="fake")
                kubelet = Kubelet(
                    client,
                    runtime,
                    images,
                    KubeletConfig(node_name=f"fake-node-{index:04d}"),
                    dispatcher,
                    clock=clock,
                    recorder=recorder,
                    network=probes,
                )
                await group.start(kubelet.run)
            print(f"registered {nodes} nodes in {time.perf_counter() - started:.1f} s", flush=True)
            await anyio.sleep(10)  # let the first renewal round settle into its cadence
            renewals_before = _CountingClient.renewals
            cpu_before, wall_before = time.process_time(), time.perf_counter()
            await anyio.sleep(seconds)
            cpu = time.process_time() - cpu_before
            wall = time.perf_counter() - wall_before
            renewals = _CountingClient.renewals - renewals_before
            group.cancel_scope.cancel()
    return {
        "nodes": nodes,
        "seconds": round(wall, 1),
        "lease_renewals": renewals,
        "cpu_percent_of_one_core": round(100 * cpu / wall, 2),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench kubelet")
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args(argv)
    if args.nodes < 1 or args.seconds <= 0:
        parser.error("--nodes must be ≥ 1 and --seconds > 0")
    with tempfile.TemporaryDirectory() as directory:
        result = anyio.run(run, args.nodes, args.seconds, Path(directory))
    print(json.dumps(result))
    return 0
