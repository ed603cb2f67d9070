"""The `demo` subcommand: a real API server over SQLite, driven through the in-process client.

Everything printed comes from the live objects (YAML as kubectl prints it); nothing is canned.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import anyio
import msgspec

from kubelite.api.apps import Deployment, DeploymentSpec
from kubelite.api.autoscaling import Scale, ScaleSpec
from kubelite.api.core import Binding, Container, ObjectReference, Pod, PodSpec, PodTemplateSpec
from kubelite.api.errors import APIError
from kubelite.api.meta import DeleteOptions, LabelSelector, Object, ObjectMeta
from kubelite.apiserver import APIServer
from kubelite.client import InProcessClient, PatchType
from kubelite.client.inprocess import TypedWatch
from kubelite.store.sqlite import SQLiteStorage


@dataclass(frozen=True, slots=True)
class DemoSettings:
    data_dir: Path = Path("data")
    """Directory holding `kubelite.db`; created if missing."""


def show(title: str, obj: object) -> None:
    print(f"--- {title}")
    print(msgspec.yaml.encode(obj).decode().rstrip())


def web_deployment() -> Deployment:
    labels = {"app": "web"}
    template = PodTemplateSpec(
        metadata=ObjectMeta(labels=labels),
        spec=PodSpec(containers=[Container(name="web", image="busybox:1.36", command=["httpd", "-f"])]),
    )
    spec = DeploymentSpec(replicas=2, selector=LabelSelector(match_labels=labels), template=template)
    return Deployment(metadata=ObjectMeta(name="web", namespace="default"), spec=spec)


async def run_demo(settings: DemoSettings) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    async with SQLiteStorage(settings.data_dir / "kubelite.db") as storage:
        print(f"store at revision {storage.revision} ({settings.data_dir / 'kubelite.db'})")
        server = APIServer(storage)
        await server.bootstrap()
        client = InProcessClient(server, field_manager="demo")
        async with anyio.create_task_group() as tg:
            watch = client.watch(Pod, "default")
            tg.start_soon(_print_events, watch)
            await _exercise(client)
            watch.close()
        print(f"store at revision {storage.revision}; run again to see the objects persist")


async def _exercise(client: InProcessClient) -> None:
    existing = await client.list(Deployment, "default")
    if existing.items:
        print(f"found {len(existing.items)} deployment(s) from an earlier run; deleting them")
        for old in existing.items:
            await client.delete(Deployment, old.metadata.name, "default")
        for leftover in (await client.list(Pod, "default")).items:
            # No kubelet runs yet to finish a graceful deletion, so remove leftovers at once.
            await client.delete(
                Pod, leftover.metadata.name, "default", options=DeleteOptions(grace_period_seconds=0)
            )
    created = await client.create(web_deployment())
    show("created Deployment (note the defaults)", created)
    await client.update_scale(
        Deployment, Scale(metadata=ObjectMeta(name="web", namespace="default"), spec=ScaleSpec(replicas=4))
    )
    patch = {"spec": {"template": {"spec": {"containers": [{"name": "web", "image": "busybox:1.37"}]}}}}
    patched = await client.patch(Deployment, "web", patch, "default", patch_type=PatchType.STRATEGIC)
    print(
        f"--- scaled to {patched.spec.replicas}, image {patched.spec.template.spec.containers[0].image}, "
        f"generation {patched.metadata.generation}"
    )
    await _rejected(client)
    await _pod_lifecycle(client)


async def _rejected(client: InProcessClient) -> None:
    try:
        await client.patch(Deployment, "web", {"spec": {"replicas": -1}}, "default")
    except APIError as err:
        print(f"--- rejected ({err.status.code} {err.status.reason}): {err.message}")


async def _pod_lifecycle(client: InProcessClient) -> None:
    pod = Pod(
        metadata=ObjectMeta(generate_name="hello-", namespace="default"),
        spec=PodSpec(containers=[Container(name="hello", image="busybox")]),
    )
    created = await client.create(pod)
    name = created.metadata.name
    await client.bind(
        Binding(
            metadata=ObjectMeta(name=name, namespace="default"),
            target=ObjectReference(kind="Node", name="node-1"),
        )
    )
    deleting = await client.delete(Pod, name, "default")
    if deleting is not None:
        show("pod after DELETE (graceful: still there with a deletionTimestamp)", _meta_only(deleting))


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
