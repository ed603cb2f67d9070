"""The `server` command: the whole cluster behind the Kubernetes HTTP API, for kubectl.

`run_server(settings)` runs until SIGINT or SIGTERM, in this order:
1. security: unless `insecure_http`, the CA, serving certificate (SANs 127.0.0.1, localhost, the host
   name and a specific listen address) and bearer token in the data dir (`kubelite.cli.pki`);
2. the store (`<data-dir>/kubelite.db`, or memory) and `local_cluster` (controllers, scheduler, the
   fake nodes or the Docker node: `auto` picks Docker when its socket answers; the log says which);
3. the HTTP API on `listen` (HTTPS with the token required, or plain HTTP without auth), then the
   `kubernetes` Service, Endpoints and EndpointSlice in `default` pointing at it (created when
   missing, corrected when the port changed; a failure is logged), then again every 10 s on the
   cluster's clock while serving (`keep_kubernetes_service`: what was deleted comes back);
4. only once it serves, the admin kubeconfig (0600), and the `export KUBECONFIG=...` line on stdout;
5. `/readyz` turns ok when the informers have synced (`local_cluster` returns only then) and every
   node of this process has registered its Node.
On a signal, the listener closes (ending open watches), the components stop, and the store is
closed after its in-flight writes commit; the command returns and the process exits 0. Restarting
on the same data dir serves every stored object again; the Docker node adopts the containers of
pods that still exist. A failure to start (port taken, no Docker with `--runtime docker`, the data
dir held by another running server: `<data-dir>/lock`) raises.
"""

from __future__ import annotations

import fcntl
import ipaddress
import os
import signal
import socket
import ssl
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import anyio
import structlog
from aiohttp.typedefs import Middleware

from kubelite.api.core import Node
from kubelite.api.errors import APIError
from kubelite.apiserver import kubernetesservice
from kubelite.apiserver.http import Serving, build_app, serve
from kubelite.apiserver.http.auth import bearer_token_middleware
from kubelite.apiserver.http.metrics import Metrics
from kubelite.cli.cluster import DockerSettings, LocalCluster, local_cluster
from kubelite.cli.kubeconfig import admin_kubeconfig, write_kubeconfig
from kubelite.cli.pki import default_hosts, ensure_pki, ensure_token, server_ssl_context
from kubelite.cli.podstreams import ClusterPodStreams
from kubelite.cli.serversettings import ServerSettings
from kubelite.kubelet.dockernode import docker_answers
from kubelite.store import Storage
from kubelite.store.memory import MemoryStorage
from kubelite.store.sqlite import SQLiteStorage

log = structlog.get_logger("kubelite.server")

Signals = AsyncIterator[signal.Signals]


class StartupError(Exception):
    """The server cannot start as asked (e.g. `--runtime docker` with no daemon answering)."""


@dataclass(frozen=True, slots=True)
class Security:
    ssl_context: ssl.SSLContext | None
    ca_pem: bytes | None
    token: str | None

    def middlewares(self) -> list[Middleware]:
        return [bearer_token_middleware(self.token)] if self.token is not None else []


class Readiness:
    """`/readyz`'s answer: false until `mark_ready`."""

    def __init__(self) -> None:
        self.ready = False

    def __call__(self) -> bool:
        return self.ready


def prepare_security(settings: ServerSettings) -> Security:
    if settings.insecure_http:
        log.warning("insecure_http", detail="plain HTTP, no authentication", listen=settings.listen.host)
        return Security(None, None, None)
    pki = ensure_pki(settings.data_dir, default_hosts(settings.listen.host))
    return Security(server_ssl_context(pki), pki.ca_pem, ensure_token(settings.data_dir))


@asynccontextmanager
async def open_storage(settings: ServerSettings) -> AsyncIterator[Storage]:
    if settings.store == "memory":
        async with MemoryStorage() as memory:
            yield memory
        return
    path = settings.data_dir / "kubelite.db"
    async with SQLiteStorage(path) as storage:
        log.info("store_opened", path=str(path), revision=storage.revision)
        yield storage
    log.info("store_closed", path=str(path))


def _node_name() -> str:
    return socket.gethostname().lower().split(".")[0] or "docker-node"


async def choose_docker(settings: ServerSettings) -> DockerSettings | None:
    """The Docker node's settings, or None for fake nodes (`auto`: whether the daemon answers)."""
    docker = settings.docker
    if settings.runtime == "fake" or (settings.runtime == "auto" and not await docker_answers(docker.host)):
        log.info("runtime_selected", runtime="fake", nodes=settings.nodes, requested=settings.runtime)
        return None
    if settings.runtime == "docker" and not await docker_answers(docker.host):
        raise StartupError(
            f"--runtime docker: no Docker daemon answers at {docker.host or 'the default socket'}"
        )
    node = _node_name()
    log.info("runtime_selected", runtime="docker", node=node, requested=settings.runtime, host=docker.host)
    return DockerSettings(
        data_dir=settings.data_dir / "nodes",
        sandbox_image=docker.sandbox_image,
        url=docker.host,
        sandbox_command=docker.sandbox_command,
        node_name=node,
    )


def client_url(settings: ServerSettings, serving: Serving) -> str:
    host = serving.host
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    host = f"[{host}]" if ":" in host else host
    return f"{'https' if serving.tls else 'http'}://{host}:{serving.port}"


def advertise_address(host: str) -> str:
    """The IP that the `kubernetes` Endpoints carry for a server listening on `host`."""
    if host in ("0.0.0.0", "::", ""):
        return "127.0.0.1"
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return str(socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)[0][4][0])


async def publish_kubernetes_service(
    cluster: LocalCluster, serving: Serving, *, correct_service: bool = True
) -> None:
    """The `kubernetes` Service and its endpoints, as kube-apiserver creates them at start; a
    failure (its address taken by another Service) is logged, the server still serves."""
    address = advertise_address(serving.host)
    server = cluster.client.server
    try:
        await server.ensure_kubernetes_service(address, serving.port, correct_service=correct_service)
    except APIError as error:
        log.warning("kubernetes_service_failed", error=str(error))


async def keep_kubernetes_service(cluster: LocalCluster, serving: Serving) -> None:
    """Every `kubernetesservice.INTERVAL` seconds on the cluster's clock, until cancelled: the
    `kubernetes` Service, Endpoints and EndpointSlice recreated when deleted and the endpoints
    corrected, as kube-apiserver's controller does after its first run."""
    while True:
        await cluster.clock.sleep(kubernetesservice.INTERVAL)
        await publish_kubernetes_service(cluster, serving, correct_service=False)


def announce(settings: ServerSettings, security: Security, serving: Serving, out: TextIO) -> None:
    """Write the kubeconfig (now that the API serves) and say where it is."""
    url = client_url(settings, serving)
    path = settings.kubeconfig_path
    write_kubeconfig(path, admin_kubeconfig(url, ca_pem=security.ca_pem, token=security.token))
    log.info("serving", url=url, kubeconfig=str(path))
    print(f"kubelite is serving the Kubernetes API at {url}", file=out)
    print(f"admin kubeconfig: {path}", file=out)
    print(f"export KUBECONFIG={path}", file=out, flush=True)


def _expected_nodes(cluster: LocalCluster) -> set[str]:
    names = set(cluster.nodes.kubelets)
    if cluster.docker is not None:
        names.add(cluster.docker.name)
    return names


async def wait_for_nodes(cluster: LocalCluster) -> None:
    """Return once every node this process runs has its Node object."""
    expected = _expected_nodes(cluster)
    async with cluster.client.watch(Node) as events:
        present = {node.metadata.name for node in (await cluster.client.list(Node)).items}
        if present >= expected:
            return
        async for event in events:
            if event.object is not None and event.type != "DELETED":
                present.add(event.object.metadata.name)
            if present >= expected:
                return


@contextmanager
def lock_data_dir(data_dir: Path) -> Iterator[None]:
    """Hold `<data-dir>/lock` (an exclusive flock, released when the process ends however it ends)
    so that a second server on the same data dir stops with a StartupError naming the first."""
    fd = os.open(data_dir / "lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "unknown"
            raise StartupError(
                f"the data dir {data_dir} is in use by another kubelite server (pid {holder}); "
                "stop it or pass another --data-dir"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        os.close(fd)


async def run_server(settings: ServerSettings, *, out: TextIO = sys.stdout) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    with (
        anyio.open_signal_receiver(signal.SIGINT, signal.SIGTERM) as signals,
        lock_data_dir(settings.data_dir),
    ):
        security = prepare_security(settings)
        if settings.plugins:
            log.info("plugins_accepted", plugins=list(settings.plugins), detail="loaded once plugins land")
        await _run(settings, security, signals, out)
    log.info("stopped")


async def _run(settings: ServerSettings, security: Security, signals: Signals, out: TextIO) -> None:
    async with AsyncExitStack() as stack:
        storage = await stack.enter_async_context(open_storage(settings))
        docker = await choose_docker(settings)
        nodes = 0 if docker is not None else settings.nodes
        cluster = await stack.enter_async_context(local_cluster(storage, nodes=nodes, docker=docker))
        readiness = Readiness()
        app = build_app(
            cluster.client.server,
            middlewares=security.middlewares(),
            ready=readiness,
            pod_streams=ClusterPodStreams(cluster),
            metrics=Metrics(cluster.registry),
        )
        listen = settings.listen
        serving = await stack.enter_async_context(serve(app, listen.host, listen.port, security.ssl_context))
        await publish_kubernetes_service(cluster, serving)
        announce(settings, security, serving, out)
        await _serve_until_signal(cluster, serving, readiness, signals)
        log.info("shutting_down")


async def _serve_until_signal(
    cluster: LocalCluster, serving: Serving, readiness: Readiness, signals: Signals
) -> None:
    async with anyio.create_task_group() as group:

        async def become_ready() -> None:
            await wait_for_nodes(cluster)
            readiness.ready = True
            log.info("ready", nodes=sorted(_expected_nodes(cluster)))

        group.start_soon(become_ready)
        group.start_soon(keep_kubernetes_service, cluster, serving)
        async for signum in signals:
            log.info("signal_received", signal=signal.Signals(signum).name)
            break
        group.cancel_scope.cancel()
