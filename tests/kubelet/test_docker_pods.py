"""The kubelet on the real Docker backend (skipped without a daemon; CI requires one): a busybox pod
really runs with kubelite's labels, a crashing container's restartCount grows, logs are readable,
deletion stops and removes the containers (also when it lands while the pod is being started:
KUB-12), and two containers of one pod talk over 127.0.0.1;
resource limits are the containers' cgroup limits, and a memory hog is OOMKilled and restarted; an
HTTP preStop hook reaches a host-network container.

The daemon runs on real time, so the kubelet uses the system clock; waits are bounded and wake on
the pod's own watch events, never on a sleep."""

from __future__ import annotations

import base64
import json
import os
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import anyio
import pytest

from kubelite.api.core import (
    ConfigMap,
    ConfigMapVolumeSource,
    Container,
    EmptyDirVolumeSource,
    EnvVar,
    EnvVarSource,
    HTTPGetAction,
    Lifecycle,
    LifecycleHandler,
    Node,
    Pod,
    PodSpec,
    ResourceRequirements,
    Secret,
    SecretVolumeSource,
    Volume,
    VolumeMount,
)
from kubelite.api.core.env import ConfigMapKeySelector
from kubelite.api.meta import DeleteOptions, ObjectMeta
from kubelite.apiserver import APIServer
from kubelite.client import InProcessClient
from kubelite.informers import SharedInformerFactory
from kubelite.informers.handlers import EventHandlers
from kubelite.kubelet import Kubelet, KubeletConfig, PodDispatcher
from kubelite.store.memory import MemoryStorage

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


@dataclass
class DockerNode:
    client: InProcessClient
    factory: SharedInformerFactory
    kubelet: Kubelet
    harness: object
    changed: anyio.Event

    def pod(self, name: str) -> Pod | None:
        return self.factory.lister(Pod).get(name, "default")

    async def until(self, done: Callable[[], bool], within: float = 30.0) -> None:
        with anyio.fail_after(within):
            while not done():
                self.changed = anyio.Event()
                await self.changed.wait()


@asynccontextmanager
async def docker_node(harness: object, work: Path) -> AsyncIterator[DockerNode]:
    async with MemoryStorage(history=10_000) as storage:
        server = APIServer(storage)
        await server.bootstrap()
        client = InProcessClient(server)
        factory = SharedInformerFactory(client)
        dispatcher = PodDispatcher(factory)
        config = KubeletConfig.for_host("docker-node", crash_backoff_initial=0.5, crash_backoff_max=1.0)
        kubelet = Kubelet(
            client,
            harness.runtime,
            harness.images,
            config,
            dispatcher,
            data_dir=work,  # type: ignore[attr-defined]
        )
        node = DockerNode(client, factory, kubelet, harness, anyio.Event())

        def poke(*_: object) -> None:
            node.changed.set()

        factory.informer(Pod).add_event_handler(EventHandlers(on_add=poke, on_update=poke, on_delete=poke))
        async with anyio.create_task_group() as group:
            factory.start(group)
            await factory.wait_for_cache_sync()
            await group.start(kubelet.run)
            yield node
            group.cancel_scope.cancel()


def _pod(name: str, *containers: Container, restart_policy: str = "Always") -> Pod:
    return Pod(
        metadata=ObjectMeta(name=name, namespace="default"),
        spec=PodSpec(
            containers=list(containers),
            node_name="docker-node",
            restart_policy=restart_policy,
            termination_grace_period_seconds=2,
        ),
    )


def _main(image: str, *command: str, name: str = "main") -> Container:
    return Container(name=name, image=image, image_pull_policy="IfNotPresent", command=list(command))


def _running(node: DockerNode, name: str) -> Callable[[], bool]:
    return lambda: (p := node.pod(name)) is not None and p.status.phase == "Running"


async def _labelled(harness: object, uid: str) -> list[dict[str, object]]:
    docker = harness.docker  # type: ignore[attr-defined]
    filters = json.dumps({"label": [f"io.kubernetes.pod.uid={uid}"]})
    return [row._container for row in await docker.containers.list(all=True, filters=filters)]


async def test_a_busybox_pod_really_runs_with_kubelite_labels_and_deletion_removes_it(
    docker_harness: object, tmp_path: Path
) -> None:
    image = docker_harness.image  # type: ignore[attr-defined]
    async with docker_node(docker_harness, tmp_path) as node:
        created = await node.client.create(_pod("web", _main(image, "sleep", "3600")))
        await node.until(_running(node, "web"))
        rows = await _labelled(docker_harness, created.metadata.uid)
        assert any(row["Labels"].get("io.kubernetes.container.name") == "main" for row in rows)  # type: ignore[union-attr]
        assert all(row["State"] == "running" for row in rows)
        pod = node.pod("web")
        assert pod is not None
        registered = await node.client.get(Node, "docker-node")  # a real node: the host's resources
        assert registered.status.capacity["cpu"] == str(os.cpu_count())
        assert registered.status.capacity["memory"].endswith("Ki")
        shown = pod.status.container_statuses[0].container_id.partition("://")[2]
        assert shown in {row["Id"] for row in rows}
        await node.client.delete(Pod, "web", "default", options=DeleteOptions(grace_period_seconds=2))
        await node.until(lambda: node.pod("web") is None)
        with anyio.fail_after(30):  # the kubelet removes the containers once the pod is gone
            await node.kubelet.cleaned_up(created.metadata.uid)
        assert await _labelled(docker_harness, created.metadata.uid) == []


async def test_kub6_a_crashing_container_restart_count_grows(docker_harness: object, tmp_path: Path) -> None:
    image = docker_harness.image  # type: ignore[attr-defined]
    async with docker_node(docker_harness, tmp_path) as node:
        await node.client.create(_pod("crash", _main(image, "sh", "-c", "echo boom; exit 3")))

        def restarted() -> bool:
            pod = node.pod("crash")
            return (
                pod is not None
                and bool(pod.status.container_statuses)
                and (pod.status.container_statuses[0].restart_count >= 2)
            )

        await node.until(restarted)
        pod = node.pod("crash")
        assert pod is not None
        status = pod.status.container_statuses[0]
        last = status.last_state.terminated
        assert last is not None and last.exit_code == 3 and last.reason == "Error"
        lines = [line async for line in node.kubelet.logs("default", "crash", previous=True)]
        assert lines == ["boom"]


async def test_kub4_a_container_over_its_memory_limit_is_oom_killed_and_restarted(
    docker_harness: object, tmp_path: Path
) -> None:
    """Limits are real: the container gets its cgroup settings from requests and limits, and one that
    outgrows a 24 Mi memory limit ends `OOMKilled` with exit code 137, then restarts (KUB-5) under
    `Always` and under `OnFailure`."""
    image = docker_harness.image  # type: ignore[attr-defined]
    hog = _main(image, "tail", "/dev/zero")  # buffers one endless line
    hog.resources = ResourceRequirements(requests={"cpu": "250m"}, limits={"cpu": "500m", "memory": "24Mi"})
    names = {"oom-always": "Always", "oom-onfailure": "OnFailure"}
    async with docker_node(docker_harness, tmp_path) as node:
        for name, policy in names.items():
            await node.client.create(_pod(name, hog, restart_policy=policy))

        def restarted(name: str) -> bool:
            pod = node.pod(name)
            return (
                pod is not None
                and bool(statuses := pod.status.container_statuses)
                and (statuses[0].restart_count >= 1 and statuses[0].last_state.terminated is not None)
            )

        await node.until(lambda: all(restarted(name) for name in names))
        for name in names:
            pod = node.pod(name)
            assert pod is not None
            last = pod.status.container_statuses[0].last_state.terminated
            assert last is not None and (last.exit_code, last.reason) == (137, "OOMKilled")
        rows = await _labelled(docker_harness, pod.metadata.uid)
        app = next(r for r in rows if r["Labels"].get("io.kubernetes.container.name") == "main")  # type: ignore[union-attr]
        docker = docker_harness.docker  # type: ignore[attr-defined]
        host = (await docker.containers.container(app["Id"]).show())["HostConfig"]
        limits = {name: host[name] for name in ("Memory", "MemorySwap", "CpuShares", "CpuQuota", "CpuPeriod")}
        assert limits == {
            "Memory": 24 << 20,
            "MemorySwap": 24 << 20,
            "CpuShares": 256,
            "CpuQuota": 50000,
            "CpuPeriod": 100000,
        }


async def _listening(port: int) -> bool:
    """Whether a socket listens on `port` in this network namespace (read without connecting)."""
    table: list[str] = []
    for name in ("tcp", "tcp6"):  # busybox nc listens on :: when IPv6 is there
        path = anyio.Path(f"/proc/net/{name}")
        if await path.exists():
            table += (await path.read_text()).splitlines()[1:]
    return any(row.split()[1].endswith(f":{port:04X}") and row.split()[3] == "0A" for row in table)


async def test_kub12_an_http_pre_stop_hook_reaches_a_host_network_container_before_sigterm(
    docker_harness: object, tmp_path: Path
) -> None:
    """A host-network pod's IP is the node's (127.0.0.1 here), so the hook's default host reaches the
    container: its one-shot listener answers the preStop GET, and the container then exits 7 on its
    own. (PID 1 `sh` ignores SIGTERM: had no request come, SIGKILL would end it with 137.) The pod is
    deleted once the listener listens, as a hook that races the container's start fails upstream too."""
    image = docker_harness.image  # type: ignore[attr-defined]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    answer = f"printf 'HTTP/1.0 200 OK\\r\\n\\r\\n' | nc -l -p {port} && exit 7"
    container = _main(image, "sh", "-c", answer)
    container.lifecycle = Lifecycle(
        pre_stop=LifecycleHandler(http_get=HTTPGetAction(port=port, path="/stop"))
    )
    pod = _pod("hooked", container)
    pod.spec.host_network = True
    async with docker_node(docker_harness, tmp_path) as node:
        exits: list[int] = []

        def seen(_: Pod, new: Pod) -> None:
            for status in new.status.container_statuses:
                if status.state.terminated is not None:
                    exits.append(status.state.terminated.exit_code)

        node.factory.informer(Pod).add_event_handler(EventHandlers(on_update=seen))
        await node.client.create(pod)
        await node.until(_running(node, "hooked"))
        await docker_harness.eventually(lambda: _listening(port))  # type: ignore[attr-defined]
        await node.client.delete(Pod, "hooked", "default")
        await node.until(lambda: node.pod("hooked") is None)
        assert exits == [7]


async def test_two_containers_of_one_pod_talk_over_localhost(docker_harness: object, tmp_path: Path) -> None:
    image = docker_harness.image  # type: ignore[attr-defined]
    server = _main(
        image,
        "sh",
        "-c",
        "mkdir -p /www && echo hello-from-httpd > /www/index.html && httpd -f -p 127.0.0.1:8080 -h /www",
        name="server",
    )
    fetch = "until wget -q -O - http://127.0.0.1:8080/index.html; do sleep 0.2; done; echo done; sleep 3600"
    client_container = _main(image, "sh", "-c", fetch, name="client")
    async with docker_node(docker_harness, tmp_path) as node:
        await node.client.create(_pod("pair", server, client_container))
        await node.until(_running(node, "pair"))
        with anyio.fail_after(30):
            async for line in node.kubelet.logs("default", "pair", "client", follow=True):
                if line == "done":
                    break
        lines = [line async for line in node.kubelet.logs("default", "pair", "client")]
        assert "hello-from-httpd" in lines


async def test_config_map_secret_and_empty_dir_volumes_are_files_in_the_container(
    docker_harness: object, tmp_path: Path
) -> None:
    image = docker_harness.image  # type: ignore[attr-defined]
    script = (
        "cat /etc/config/greeting; echo; cat /etc/secret/token; echo; echo shared > /scratch/note; "
        "cat /scratch/note; echo $MODE; sleep 3600"
    )
    container = Container(
        name="main",
        image=image,
        image_pull_policy="IfNotPresent",
        command=["sh", "-c", script],
        env=[
            EnvVar(
                name="MODE",
                value_from=EnvVarSource(config_map_key_ref=ConfigMapKeySelector(name="settings", key="mode")),
            )
        ],
        volume_mounts=[
            VolumeMount(name="config", mount_path="/etc/config", read_only=True),
            VolumeMount(name="secret", mount_path="/etc/secret", read_only=True),
            VolumeMount(name="scratch", mount_path="/scratch"),
        ],
    )
    pod = _pod("vols", container)
    pod.spec.volumes = [
        Volume(name="config", config_map=ConfigMapVolumeSource(name="settings")),
        Volume(name="secret", secret=SecretVolumeSource(secret_name="creds")),
        Volume(name="scratch", empty_dir=EmptyDirVolumeSource()),
    ]
    async with docker_node(docker_harness, tmp_path) as node:
        data = {"greeting": "hello-volume", "mode": "fast"}
        await node.client.create(
            ConfigMap(metadata=ObjectMeta(name="settings", namespace="default"), data=data)
        )
        token = base64.b64encode(b"s3cret").decode()
        await node.client.create(
            Secret(metadata=ObjectMeta(name="creds", namespace="default"), data={"token": token})
        )
        await node.client.create(pod)
        await node.until(_running(node, "vols"))
        with anyio.fail_after(30):
            async for line in node.kubelet.logs("default", "vols", follow=True):
                if line == "fast":
                    break
        lines = [line async for line in node.kubelet.logs("default", "vols")]
        assert lines == ["hello-volume", "s3cret", "shared", "fast"]


def _first_status(init: bool) -> Callable[[Pod | None], bool]:
    def seen(pod: Pod | None) -> bool:
        if pod is None:
            return False
        statuses = pod.status.init_container_statuses if init else pod.status.container_statuses
        return bool(statuses) and (not init or statuses[0].state.running is not None)

    return seen


@pytest.mark.parametrize("init", [False, True], ids=["first-status", "init-container-running"])
async def test_kub12_a_pod_deleted_while_docker_starts_it_is_stopped_and_removed(
    docker_harness: object, tmp_path: Path, init: bool
) -> None:
    """KUB-12 on Docker: the DELETE lands as soon as the kubelet's first status (ContainerCreating,
    while the sandbox and containers are being made) or while an init container runs; the start-up
    ends, the terminal status is written with the deletionTimestamp, and the object and every
    container of the pod go (a sandbox whose creation the DELETE cut short, left "created", is
    removed by the kubelet's periodic cleanup once the worker has ended)."""
    image = docker_harness.image  # type: ignore[attr-defined]
    pod = _pod("racy", _main(image, "sleep", "3600"))
    if init:
        pod.spec.init_containers = [_main(image, "sleep", "3600", name="init")]
    async with docker_node(docker_harness, tmp_path) as node:
        seen: list[Pod] = []
        node.factory.informer(Pod).add_event_handler(EventHandlers(on_update=lambda _, new: seen.append(new)))
        created = await node.client.create(pod)
        reached = _first_status(init)
        await node.until(lambda: reached(node.pod("racy")))
        await node.client.delete(Pod, "racy", "default")
        await node.until(lambda: node.pod("racy") is None, within=20)
        last = seen[-1]
        assert last.metadata.deletion_timestamp is not None and last.status.phase == "Failed"
        statuses = [*last.status.init_container_statuses, *last.status.container_statuses]
        assert all(status.state.running is None for status in statuses)
        with anyio.fail_after(30):
            await node.kubelet.cleaned_up(created.metadata.uid)

        async def nothing_left() -> bool:
            return await _labelled(docker_harness, created.metadata.uid) == []

        # a sandbox whose create was cut short (still "created") is the periodic cleanup's (2 s)
        await docker_harness.eventually(nothing_left)  # type: ignore[attr-defined]
