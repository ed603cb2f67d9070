"""The `demo` subcommand: a real API server over SQLite with a scheduler, node controllers and fake
nodes, driven through the in-process client.

Everything printed comes from the live objects (YAML as kubectl prints it); nothing is canned.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import aclosing
from dataclasses import dataclass
from pathlib import Path

import anyio
import msgspec

from kubelite.api.apps import Deployment, DeploymentSpec
from kubelite.api.core import (
    Affinity,
    Container,
    NodeAffinity,
    NodeSelector,
    NodeSelectorRequirement,
    NodeSelectorTerm,
    Pod,
    PodSpec,
    PodTemplateSpec,
)
from kubelite.api.errors import APIError, NotFound
from kubelite.api.meta import LabelSelector, Object, ObjectMeta
from kubelite.cli.cluster import DockerSettings, LocalCluster, local_cluster
from kubelite.cli.demo_rollout import clear_previous, rollout
from kubelite.client import InProcessClient
from kubelite.client.inprocess import TypedWatch
from kubelite.kubelet import Kubelet
from kubelite.kubelet.dockernode import docker_answers
from kubelite.store.sqlite import SQLiteStorage


@dataclass(frozen=True, slots=True)
class DemoSettings:
    data_dir: Path = Path("data")
    """Directory holding `kubelite.db`; created if missing."""
    nodes: int = 2
    """Fake nodes to run (each a kubelet on the fake runtime)."""
    runtime: str = "fake"
    """"fake", "docker" (also run `docker-node` on a Docker daemon) or "auto" (docker if one answers)."""
    docker_url: str | None = None
    """The Docker daemon; None: `DOCKER_HOST`, else the default socket."""
    image: str = "busybox:1.36"
    """The demo pod's image (on Docker it must be present in the daemon or pullable)."""


HELLO_SCRIPT = "echo hello from kubelite; sleep 3600"


def show(title: str, obj: object) -> None:
    print(f"--- {title}")
    print(msgspec.yaml.encode(obj).decode().rstrip())


def web_deployment(avoid: str | None = None) -> Deployment:
    """The demo Deployment; its pods stay off the node `avoid` (the Docker node lacks its images)."""
    labels = {"app": "web"}
    affinity = None
    if avoid is not None:
        away = NodeSelectorRequirement(key="kubernetes.io/hostname", operator="NotIn", values=[avoid])
        terms = NodeSelector(node_selector_terms=[NodeSelectorTerm(match_expressions=[away])])
        affinity = Affinity(
            node_affinity=NodeAffinity(required_during_scheduling_ignored_during_execution=terms)
        )
    container = Container(name="web", image="busybox:1.36", command=["httpd", "-f"])
    template = PodTemplateSpec(
        metadata=ObjectMeta(labels=labels), spec=PodSpec(containers=[container], affinity=affinity)
    )
    spec = DeploymentSpec(replicas=2, selector=LabelSelector(match_labels=labels), template=template)
    return Deployment(metadata=ObjectMeta(name="web", namespace="default"), spec=spec)


async def run_demo(settings: DemoSettings) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    async with SQLiteStorage(settings.data_dir / "kubelite.db") as storage:
        print(f"store at revision {storage.revision} ({settings.data_dir / 'kubelite.db'})")
        docker = await _docker_settings(settings)
        async with local_cluster(storage, nodes=settings.nodes, docker=docker) as cluster:
            client = cluster.client
            extra = " and a Docker node (docker-node)" if docker is not None else ""
            print(f"started the scheduler, node controllers, {settings.nodes} fake node(s){extra}")
            async with anyio.create_task_group() as tg:
                watch = client.watch(Pod, "default")
                tg.start_soon(_print_events, watch)
                await _exercise(cluster, settings.nodes)
                await _pod_lifecycle(cluster, settings.image)
                watch.close()
        print(f"store at revision {storage.revision}; run again to see the objects persist")


async def _exercise(cluster: LocalCluster, fake_nodes: int) -> None:
    client = cluster.client
    await clear_previous(client)
    avoid = cluster.docker.name if cluster.docker is not None else None
    created = await client.create(web_deployment(avoid))
    show("created Deployment (note the defaults)", created)
    if fake_nodes > 0:
        await rollout(client)
    else:
        print("--- no fake nodes: the Deployment's pods have nowhere to run, so no rollout is shown")
    await _rejected(client)


async def _rejected(client: InProcessClient) -> None:
    try:
        await client.patch(Deployment, "web", {"spec": {"replicas": -1}}, "default")
    except APIError as err:
        print(f"--- rejected ({err.status.code} {err.status.reason}): {err.message}")


async def _docker_settings(settings: DemoSettings) -> DockerSettings | None:
    if settings.runtime == "fake":
        return None
    if settings.runtime == "auto" and not await docker_answers(settings.docker_url):
        print("no Docker daemon answers: running fake nodes only")
        return None
    return DockerSettings(
        data_dir=settings.data_dir / "nodes", sandbox_image=settings.image, url=settings.docker_url
    )


async def _pod_lifecycle(cluster: LocalCluster, image: str) -> None:
    """A pod the scheduler places on a node (the Docker node when there is one), whose kubelet runs
    it, logs it and ends it."""
    client = cluster.client
    hello = Container(
        name="hello", image=image, image_pull_policy="IfNotPresent", command=["sh", "-c", HELLO_SCRIPT]
    )
    selector = {"kubernetes.io/hostname": cluster.docker.name} if cluster.docker is not None else {}
    pod = Pod(
        metadata=ObjectMeta(generate_name="hello-", namespace="default"),
        spec=PodSpec(containers=[hello], node_selector=selector, termination_grace_period_seconds=5),
    )
    created = await client.create(pod)
    name = created.metadata.name
    with anyio.fail_after(30):
        running = await _wait_for(client, name, lambda p: p is not None and p.status.phase == "Running")
    assert running is not None
    status = running.status
    print(
        f"--- pod/{name} Running on {running.spec.node_name}, podIP {status.pod_ip}, "
        f"started {status.start_time}"
    )
    for condition in status.conditions:
        print(f"    {condition.type}={condition.status}")
    kubelet = cluster.kubelet(running.spec.node_name)
    print(f"--- logs: {await _first_line(kubelet, name)}")
    deleting = await client.delete(Pod, name, "default")
    if deleting is not None:
        show("pod after DELETE (graceful: still there with a deletionTimestamp)", _meta_only(deleting))
    with anyio.fail_after(30):
        await _wait_for(client, name, lambda p: p is None)
    print(f"--- pod/{name} is gone: its kubelet stopped the container, reported, and deleted it")
    with anyio.move_on_after(10):  # the kubelet removes the pod's sandbox and containers next
        await kubelet.cleaned_up(running.metadata.uid)


async def _first_line(kubelet: Kubelet, name: str) -> list[str]:
    """The pod's first log line, waited for: Running means started, not yet scheduled on a CPU (a
    container without a CPU request has the least CPU weight there is, as on Kubernetes)."""
    lines = kubelet.logs("default", name, follow=True)
    with anyio.move_on_after(30):  # CPU shares of 2 wait long on a busy machine
        # logs() is an async generator, typed as the AsyncIterator it promises: closed here at once.
        async with aclosing(lines):  # type: ignore[type-var]
            async for line in lines:
                return [line]
    return []


async def _wait_for(client: InProcessClient, name: str, done: Callable[[Pod | None], bool]) -> Pod | None:
    """Watch one pod until `done(pod)` (None once deleted) holds; returns that state."""
    async with client.watch(Pod, "default", field_selector=f"metadata.name={name}") as events:
        current: Pod | None
        try:
            current = await client.get(Pod, name, "default")
        except NotFound:
            current = None
        if done(current):
            return current
        async for event in events:
            current = None if event.type == "DELETED" else event.object
            if done(current):
                return current
    return current


def _meta_only(obj: Object) -> dict[str, object]:
    meta = obj.metadata
    return {
        "name": meta.name,
        "deletionTimestamp": meta.deletion_timestamp,
        "deletionGracePeriodSeconds": meta.deletion_grace_period_seconds,
    }


async def _print_events(watch: TypedWatch[Pod]) -> None:
    async with watch:
        async for event in watch:
            if event.object is not None:
                meta = event.object.metadata
                print(f"    watch: {event.type} pod/{meta.name} rv={meta.resource_version}")
