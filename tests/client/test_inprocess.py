"""The in-process client: typed results, ownership of returned objects, errors, watch, subresources."""

from __future__ import annotations

from collections.abc import AsyncIterator

import anyio
import pytest

from kubelite.api.apps import Deployment, DeploymentSpec
from kubelite.api.autoscaling import Scale, ScaleSpec
from kubelite.api.core import Binding, Container, ObjectReference, Pod, PodSpec, PodTemplateSpec
from kubelite.api.meta import DeleteOptions, LabelSelector, ObjectMeta
from kubelite.apiserver import APIServer
from kubelite.client import Client, InProcessClient, PatchType
from kubelite.client.errors import Conflict, NotFound
from kubelite.clock import FakeClock
from kubelite.store.memory import MemoryStorage

pytestmark = pytest.mark.anyio


@pytest.fixture
async def client() -> AsyncIterator[InProcessClient]:
    async with MemoryStorage() as storage:
        server = APIServer(storage, clock=FakeClock())
        await server.bootstrap()
        yield InProcessClient(server)


def _deployment() -> Deployment:
    labels = {"app": "web"}
    template = PodTemplateSpec(
        metadata=ObjectMeta(labels=labels),
        spec=PodSpec(containers=[Container(name="web", image="nginx:1.25")]),
    )
    return Deployment(
        metadata=ObjectMeta(name="web", namespace="default"),
        spec=DeploymentSpec(selector=LabelSelector(match_labels=labels), template=template),
    )


async def test_in_process_client_satisfies_the_protocol(client: InProcessClient) -> None:
    typed: Client = client
    assert typed is client


async def test_results_are_typed_and_defaulted(client: InProcessClient) -> None:
    created = await client.create(_deployment())
    assert isinstance(created, Deployment)
    assert created.spec.replicas == 1
    fetched = await client.get(Deployment, "web", "default")
    assert fetched == created
    listed = await client.list(Deployment, "default", label_selector="")
    assert [d.metadata.name for d in listed.items] == ["web"]
    assert int(listed.resource_version) >= int(created.metadata.resource_version)


async def test_returned_objects_belong_to_the_caller(client: InProcessClient) -> None:
    sent = _deployment()
    created = await client.create(sent)
    created.spec.replicas = 42
    created.metadata.labels["mine"] = "yes"
    sent.spec.replicas = 7
    fetched = await client.get(Deployment, "web", "default")
    assert fetched.spec.replicas == 1 and fetched.metadata.labels == {}
    again = await client.get(Deployment, "web", "default")
    assert again is not fetched


async def test_update_conflicts_and_status(client: InProcessClient) -> None:
    first = await client.create(_deployment())
    first.spec.replicas = 2
    second = await client.update(first)
    assert second.spec.replicas == 2
    first.spec.replicas = 3
    with pytest.raises(Conflict):
        await client.update(first)
    second.status.replicas = 2
    with_status = await client.update_status(second)
    assert with_status.status.replicas == 2 and with_status.spec.replicas == 2
    patched = await client.patch_status(Deployment, "web", {"status": {"readyReplicas": 1}}, "default")
    assert patched.status.ready_replicas == 1


async def test_patch_types(client: InProcessClient) -> None:
    await client.create(_deployment())
    merged = await client.patch(Deployment, "web", {"spec": {"paused": True}}, "default")
    assert merged.spec.paused
    json_patched = await client.patch(
        Deployment,
        "web",
        [{"op": "replace", "path": "/spec/paused", "value": False}],
        "default",
        patch_type=PatchType.JSON,
    )
    assert not json_patched.spec.paused


async def test_delete_returns_none_when_gone_and_object_when_kept(client: InProcessClient) -> None:
    await client.create(_deployment())
    kept = await client.delete(
        Deployment, "web", "default", options=DeleteOptions(propagation_policy="Orphan")
    )
    assert isinstance(kept, Deployment) and kept.metadata.deletion_timestamp is not None
    pod = Pod(
        metadata=ObjectMeta(name="p", namespace="default"),
        spec=PodSpec(containers=[Container(name="c", image="i")]),
    )
    await client.create(pod)
    assert await client.delete(Pod, "p", "default") is None
    with pytest.raises(NotFound):
        await client.get(Pod, "p", "default")


async def test_typed_watch(client: InProcessClient) -> None:
    async with client.watch(Deployment, "default") as events:
        await client.create(_deployment())
        with anyio.fail_after(5):
            event = await anext(aiter(events))
    assert event.type == "ADDED"
    assert isinstance(event.object, Deployment)


async def test_scale_and_bind(client: InProcessClient) -> None:
    await client.create(_deployment())
    scale = await client.update_scale(
        Deployment, Scale(metadata=ObjectMeta(name="web", namespace="default"), spec=ScaleSpec(replicas=3))
    )
    assert scale.spec.replicas == 3
    assert (await client.get_scale(Deployment, "web", "default")).spec.replicas == 3
    pod = Pod(
        metadata=ObjectMeta(name="p", namespace="default"),
        spec=PodSpec(containers=[Container(name="c", image="i")]),
    )
    await client.create(pod)
    await client.bind(
        Binding(
            metadata=ObjectMeta(name="p", namespace="default"), target=ObjectReference(kind="Node", name="n1")
        )
    )
    assert (await client.get(Pod, "p", "default")).spec.node_name == "n1"
