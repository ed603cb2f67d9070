"""`python -m bench job`: seconds until a Job of `exit 0` pods is Complete, through the whole stack.

Builds the whole local cluster in this process (`kubelite.cli.cluster.local_cluster`: API server,
scheduler, the Job controller and the other controllers, `--nodes` fake nodes, default 20) over
the memory store (`--store sqlite` for SQLite in a temporary directory), on the real clock. Then
one Job is created with `--completions` (default 2000) and `--parallelism` (default 200) of
busybox pods running `sh -c "exit 0"`. Each pod is created by the Job controller, scheduled,
bound, run to completion by its node's fake kubelet and counted by the Job controller through the
tracking finalizer, all through the store and its watch; a Job informer of its own waits for the
Complete condition, and a Pod informer records the most pods active at once.

Printed: completed pods per second (completions / seconds from the Job's create to Complete) and
that wall time. Final line: JSON with `completions`, `parallelism`, `nodes`, `store`,
`completed_pods_per_s`, `seconds_to_complete`, `peak_active`.
"""

from __future__ import annotations

import argparse
import json
import time

import anyio

from bench.stack import open_store
from kubelite.api.batch import Job, JobSpec
from kubelite.api.core import Container, Pod, PodSpec, PodTemplateSpec
from kubelite.api.meta import ObjectMeta
from kubelite.cli.cluster import local_cluster
from kubelite.clock import SystemClock
from kubelite.informers import EventHandlers, SharedInformerFactory


def bench_job(completions: int, parallelism: int) -> Job:
    container = Container(name="main", image="busybox:1.36", command=["sh", "-c", "exit 0"])
    template = PodTemplateSpec(spec=PodSpec(containers=[container], restart_policy="Never"))
    spec = JobSpec(completions=completions, parallelism=parallelism, backoff_limit=0, template=template)
    return Job(metadata=ObjectMeta(name="bench", namespace="default"), spec=spec)


class Watcher:
    """Sets `done` when the Job is Complete (or Failed); tracks the peak of active pods."""

    def __init__(self) -> None:
        self.done = anyio.Event()
        self.finished_at = 0.0
        self.outcome = ""
        self.active: set[str] = set()
        self.peak = 0

    def job(self, job: Job) -> None:
        if self.done.is_set():
            return
        for condition in job.status.conditions:
            if condition.type in ("Complete", "Failed") and condition.status == "True":
                self.finished_at = time.perf_counter()
                self.outcome = condition.type
                self.done.set()

    def pod(self, pod: Pod) -> None:
        if pod.status.phase in ("Succeeded", "Failed") or pod.metadata.deletion_timestamp is not None:
            self.active.discard(pod.metadata.uid)
        else:
            self.active.add(pod.metadata.uid)
            self.peak = max(self.peak, len(self.active))

    def handlers(self) -> tuple[EventHandlers[Job], EventHandlers[Pod]]:
        jobs: EventHandlers[Job] = EventHandlers(
            on_add=lambda job, _i: self.job(job), on_update=lambda _o, new: self.job(new)
        )
        pods: EventHandlers[Pod] = EventHandlers(
            on_add=lambda pod, _i: self.pod(pod), on_update=lambda _o, new: self.pod(new)
        )
        return jobs, pods


async def run(args: argparse.Namespace) -> dict[str, object]:
    clock = SystemClock()
    watcher = Watcher()
    async with (
        open_store(args.store, history=20 * args.completions + 50_000) as storage,
        local_cluster(storage, nodes=args.nodes, clock=clock) as cluster,
    ):
        factory = SharedInformerFactory(cluster.client, clock=clock)
        on_job, on_pod = watcher.handlers()
        factory.informer(Job).add_event_handler(on_job)
        factory.informer(Pod).add_event_handler(on_pod)
        async with anyio.create_task_group() as group:
            factory.start(group)
            await factory.wait_for_cache_sync()
            print(f"cluster up: {args.nodes} fake nodes, {args.store} store", flush=True)
            started = time.perf_counter()
            await cluster.client.create(bench_job(args.completions, args.parallelism))
            with anyio.fail_after(args.timeout):
                await watcher.done.wait()
            group.cancel_scope.cancel()
    if watcher.outcome != "Complete":
        raise SystemExit(f"the Job ended {watcher.outcome}, not Complete")
    seconds = watcher.finished_at - started
    return {
        "completions": args.completions,
        "parallelism": args.parallelism,
        "nodes": args.nodes,
        "store": args.store,
        "completed_pods_per_s": round(args.completions / seconds, 1),
        "seconds_to_complete": round(seconds, 2),
        "peak_active": watcher.peak,
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench job", description=__doc__)
    parser.add_argument("--completions", type=int, default=2000)
    parser.add_argument("--parallelism", type=int, default=200)
    parser.add_argument("--nodes", type=int, default=20)
    parser.add_argument("--store", choices=("memory", "sqlite"), default="memory")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds before giving up")
    args = parser.parse_args(argv)
    if args.completions < 1 or args.parallelism < 1 or args.nodes < 1:
        parser.error("--completions, --parallelism and --nodes must be ≥ 1")
    if args.completions > 110 * args.nodes:
        parser.error("each fake node holds at most 110 pods: raise --nodes")
    result = anyio.run(run, args)
    print(
        f"{args.completions} completions at parallelism {args.parallelism}: Complete after "
        f"{result['seconds_to_complete']} s, {result['completed_pods_per_s']} completed pods/s"
    )
    print(json.dumps(result))
    return 0
