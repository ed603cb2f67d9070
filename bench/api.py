"""`python -m bench api`: create latency and Table list time over HTTPS with the bearer token.

Starts the real server as a subprocess (`python -m kubelite server`, fake runtime, `--nodes 0` by
default, and the pods name a scheduler that does not run, so none is scheduled or started and
neither the scheduler nor a kubelet adds load; `--store sqlite` by default as the server runs), in
a temporary data dir on a free loopback port, and reads the generated admin kubeconfig for the
URL, the CA and the token. The client (aiohttp, its own process, keep-alive connections) then:
1. creates pods open-loop at a steady `--rate` (default 200/s) for `--seconds` (default 20):
   each create is started at its scheduled time whatever the earlier ones do, and its latency is
   counted from that scheduled time until the 201 body is read (p50/p99/max);
2. creates pods with `--writers` concurrent writers until `--pods` (default 10,000) exist;
3. times `GET /api/v1/namespaces/default/pods` with kubectl's Table Accept header, then as plain
   JSON (the same-run baseline), each the median of `--runs` (default 3) full reads, and checks
   the row and item counts (each time includes the client's `json.loads`, as kubectl's parse
   counts for its user; a line per request splits read and parse time). The latency run's pods
   count towards `--pods` (raised to at least `--rate` × `--seconds`).
The pods are `bench.pods.sample_pod` (about 1.6 KB of JSON each) without the owner reference.

Final line: JSON with `pods`, `store`, `rate`, `create_p50_ms`, `create_p99_ms`, `create_max_ms`,
`fill_creates_per_s`, `list_10k_table_s`, `list_10k_json_s` (the list keys keep their names when
`--pods` is not 10,000). Targets (issue 12): `create_p99_ms` ≤ 20, `list_10k_table_s` ≤ 1.
A small run: `python -m bench api --pods 200 --seconds 2`.
"""

from __future__ import annotations

import argparse
import base64
import json
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import anyio
import msgspec
import yaml

from bench.pods import sample_pod
from kubelite.apiserver.codec import encode

PODS = "/api/v1/namespaces/default/pods"
TABLE_ACCEPT = (
    "application/json;as=Table;v=v1;g=meta.k8s.io,"
    "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"
)


@dataclass(frozen=True)
class Endpoint:
    """Where the server listens and how to authenticate to it, from its kubeconfig."""

    url: str
    ca_pem: str
    token: str

    def session(self, connections: int) -> aiohttp.ClientSession:
        context = ssl.create_default_context(cadata=self.ca_pem)
        connector = aiohttp.TCPConnector(ssl=context, limit=connections)
        headers = {"Authorization": f"Bearer {self.token}"}
        return aiohttp.ClientSession(self.url, connector=connector, headers=headers)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def read_kubeconfig(path: Path) -> Endpoint:
    document = yaml.safe_load(path.read_text())
    cluster = document["clusters"][0]["cluster"]
    ca_pem = base64.b64decode(cluster["certificate-authority-data"]).decode()
    return Endpoint(cluster["server"], ca_pem, document["users"][0]["user"]["token"])


@contextmanager
def running_server(args: argparse.Namespace) -> Iterator[Endpoint]:
    """The server as a subprocess in a temporary data dir; its endpoint once it serves."""
    with tempfile.TemporaryDirectory() as directory:
        kubeconfig = Path(directory) / "kubeconfig.yaml"
        command = [sys.executable, "-m", "kubelite", "server", "--data-dir", directory]
        command += ["--listen", f"127.0.0.1:{free_port()}", "--store", args.store, "--runtime", "fake"]
        command += ["--nodes", str(args.nodes), "--kubeconfig", str(kubeconfig), "--log-level", "warning"]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        try:
            yield wait_for_kubeconfig(process, kubeconfig)
        finally:
            process.terminate()
            process.wait(timeout=30)


def wait_for_kubeconfig(process: subprocess.Popen[bytes], path: Path, timeout: float = 60.0) -> Endpoint:
    """The server writes its kubeconfig only once it serves."""
    deadline = time.monotonic() + timeout
    while not path.exists():
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode} before serving")
        if time.monotonic() > deadline:
            raise SystemExit(f"the server did not serve within {timeout} s")
        time.sleep(0.05)
    return read_kubeconfig(path)


def pod_body(name: str) -> bytes:
    """The sample pod without its owner reference (the server's garbage collector would delete a
    pod whose ReplicaSet does not exist) and for a scheduler that does not run, so the server's
    scheduler leaves it Pending without writing a condition or an event."""
    pod = sample_pod(name)
    metadata = msgspec.structs.replace(pod.metadata, owner_references=[])
    spec = msgspec.structs.replace(pod.spec, scheduler_name="bench-unscheduled")
    return encode(msgspec.structs.replace(pod, metadata=metadata, spec=spec))


async def create(session: aiohttp.ClientSession, body: bytes) -> None:
    headers = {"Content-Type": "application/json"}
    async with session.post(PODS, data=body, headers=headers) as response:
        await response.read()
        if response.status != 201:
            raise SystemExit(f"create answered {response.status}: {await response.text()}")


async def steady_creates(session: aiohttp.ClientSession, rate: int, seconds: float) -> list[float]:
    """Open-loop creates at `rate`/s; each latency (s) counted from its scheduled start."""
    bodies = [pod_body(f"steady-{i:05d}") for i in range(int(rate * seconds))]
    latencies: list[float] = []

    async def one(body: bytes, scheduled: float) -> None:
        await create(session, body)
        latencies.append(time.perf_counter() - scheduled)

    start = time.perf_counter() + 0.1
    async with anyio.create_task_group() as tg:
        for index, body in enumerate(bodies):
            scheduled = start + index / rate
            delay = scheduled - time.perf_counter()
            if delay > 0:
                await anyio.sleep(delay)
            tg.start_soon(one, body, scheduled)
    return sorted(latencies)


async def fill(session: aiohttp.ClientSession, first: int, total: int, writers: int) -> float:
    """Create pods `first`..`total - 1` with `writers` concurrent writers; creates per second."""
    pending = [pod_body(f"fill-{i:05d}") for i in range(first, total)]
    pending.reverse()
    count = len(pending)

    async def writer() -> None:
        while pending:
            await create(session, pending.pop())

    began = time.perf_counter()
    async with anyio.create_task_group() as tg:
        for _ in range(writers):
            tg.start_soon(writer)
    elapsed = time.perf_counter() - began
    return count / elapsed if count and elapsed > 0 else 0.0


async def timed_list(session: aiohttp.ClientSession, accept: str, field: str, expected: int) -> float:
    """Seconds for one whole list (request sent until the body is read and parsed)."""
    began = time.perf_counter()
    async with session.get(PODS, headers={"Accept": accept}) as response:
        body = await response.read()
    read = time.perf_counter() - began
    document = json.loads(body)
    elapsed = time.perf_counter() - began
    print(
        f"list as {field}: {len(body) / 1e6:.1f} MB read in {read:.3f} s, parsed by {elapsed:.3f} s",
        flush=True,
    )
    if response.status != 200 or len(document.get(field, ())) != expected:
        raise SystemExit(f"list answered {response.status} with {len(document.get(field, ()))} {field}")
    return elapsed


async def median_list(
    session: aiohttp.ClientSession, accept: str, field: str, args: argparse.Namespace
) -> float:
    times = [await timed_list(session, accept, field, args.pods) for _ in range(args.runs)]
    return statistics.median(times)


def percentile(ordered: list[float], fraction: float) -> float:
    return ordered[max(0, int(len(ordered) * fraction) - 1)]


async def measure(endpoint: Endpoint, args: argparse.Namespace) -> dict[str, object]:
    async with endpoint.session(connections=max(args.writers, 100)) as session:
        latencies = await steady_creates(session, args.rate, args.seconds)
        print(
            f"{len(latencies)} creates at {args.rate}/s: p99 {percentile(latencies, 0.99) * 1000:.2f} ms",
            flush=True,
        )
        fill_rate = await fill(session, len(latencies), args.pods, args.writers)
        print(f"{args.pods} pods exist (fill at {fill_rate:.0f} creates/s)", flush=True)
        table = await median_list(session, TABLE_ACCEPT, "rows", args)
        plain = await median_list(session, "application/json", "items", args)
    return {
        "pods": args.pods,
        "store": args.store,
        "rate": args.rate,
        "create_p50_ms": round(percentile(latencies, 0.50) * 1000, 2),
        "create_p99_ms": round(percentile(latencies, 0.99) * 1000, 2),
        "create_max_ms": round(latencies[-1] * 1000, 2),
        "fill_creates_per_s": round(fill_rate),
        "list_10k_table_s": round(table, 3),
        "list_10k_json_s": round(plain, 3),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench api", description=__doc__)
    parser.add_argument("--pods", type=int, default=10_000, help="pods that exist when listing")
    parser.add_argument("--rate", type=int, default=200, help="creates per second in the latency run")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the latency run")
    parser.add_argument("--writers", type=int, default=50, help="concurrent writers filling up to --pods")
    parser.add_argument("--runs", type=int, default=3, help="list requests of each kind (median)")
    parser.add_argument("--store", choices=("sqlite", "memory"), default="sqlite")
    parser.add_argument("--nodes", type=int, default=0, help="fake nodes (0: pods stay unscheduled)")
    args = parser.parse_args(argv)
    if args.rate < 1 or args.seconds <= 0 or args.writers < 1 or args.runs < 1:
        parser.error("--rate, --seconds, --writers and --runs must be positive")
    args.pods = max(args.pods, int(args.rate * args.seconds))
    with running_server(args) as endpoint:
        result = anyio.run(measure, endpoint, args)
    print(json.dumps(result))
    return 0
