"""Scale (kubectl scale), binding (SCH-8) and eviction (NODE-15 without PDBs)."""

from __future__ import annotations

import pytest

from kubelite.api.apps import Deployment
from kubelite.api.autoscaling import Scale, ScaleSpec
from kubelite.api.core import Pod
from kubelite.api.errors import Conflict, Invalid, NotFound
from kubelite.api.meta import ObjectMeta
from kubelite.apiserver import APIServer

from .conftest import deployment, pod

pytestmark = pytest.mark.anyio
MERGE = "application/merge-patch+json"


async def test_get_scale_mirrors_the_deployment(server: APIServer) -> None:
    created = await server.create(Deployment, deployment(), "default")
    scale = await server.get_scale(Deployment, "web", "default")
    assert scale.spec.replicas == 3
    assert scale.status.selector == "app=web"
    assert scale.metadata.uid == created.metadata.uid
    assert scale.metadata.resource_version == created.metadata.resource_version


async def test_patch_scale_like_kubectl_scale(server: APIServer) -> None:
    await server.create(Deployment, deployment(), "default")
    scale = await server.patch_scale(Deployment, "web", b'{"spec":{"replicas":5}}', MERGE, "default")
    assert scale.spec.replicas == 5
    stored = await server.get(Deployment, "web", "default")
    assert isinstance(stored, Deployment)
    assert stored.spec.replicas == 5 and stored.metadata.generation == 2


async def test_update_scale_checks_resource_version(server: APIServer) -> None:
    created = await server.create(Deployment, deployment(), "default")
    stale = Scale(metadata=ObjectMeta(name="web", resource_version="1"), spec=ScaleSpec(replicas=2))
    with pytest.raises(Conflict):
        await server.update_scale(Deployment, "web", stale, "default")
    fresh = Scale(
        metadata=ObjectMeta(name="web", resource_version=created.metadata.resource_version),
        spec=ScaleSpec(replicas=2),
    )
    assert (await server.update_scale(Deployment, "web", fresh, "default")).spec.replicas == 2


async def test_negative_scale_is_invalid(server: APIServer) -> None:
    await server.create(Deployment, deployment(), "default")
    with pytest.raises(Invalid) as caught:
        await server.patch_scale(Deployment, "web", {"spec": {"replicas": -1}}, MERGE, "default")
    assert str(caught.value) == (
        'Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0'
    )


async def test_sch8_binding_sets_node_and_condition(server: APIServer) -> None:
    created = await server.create(Pod, pod(), "default")
    result = await server.bind("web", {"target": {"kind": "Node", "name": "node1"}}, "default")
    assert result.status == "Success" and result.code == 201
    bound = await server.get(Pod, "web", "default")
    assert isinstance(bound, Pod)
    assert bound.spec.node_name == "node1"
    assert [(c.type, c.status) for c in bound.status.conditions] == [("PodScheduled", "True")]
    assert bound.metadata.generation == created.metadata.generation


async def test_sch8_binding_twice_conflicts(server: APIServer) -> None:
    await server.create(Pod, pod(), "default")
    await server.bind("web", {"target": {"kind": "Node", "name": "node1"}}, "default")
    with pytest.raises(Conflict) as caught:
        await server.bind("web", {"target": {"kind": "Node", "name": "node2"}}, "default")
    assert caught.value.message == 'pod web is already assigned to node "node1"'


async def test_sch8_binding_a_terminating_pod_conflicts(server: APIServer) -> None:
    sent = pod()
    sent.metadata.finalizers = ["x/y"]
    await server.create(Pod, sent, "default")
    await server.delete(Pod, "web", "default")
    with pytest.raises(Conflict) as caught:
        await server.bind("web", {"target": {"kind": "Node", "name": "node1"}}, "default")
    assert caught.value.message == "pod web is being deleted, cannot be assigned to a host"


async def test_sch8_binding_target_must_be_a_node(server: APIServer) -> None:
    await server.create(Pod, pod(), "default")
    with pytest.raises(Invalid):
        await server.bind("web", {"target": {"kind": "Pod", "name": "x"}}, "default")
    with pytest.raises(NotFound):
        await server.bind("ghost", {"target": {"kind": "Node", "name": "node1"}}, "default")


async def test_node15_eviction_of_running_pod_marks_and_deletes(server: APIServer) -> None:
    await server.create(Pod, pod(node="node1"), "default")
    await server.patch(Pod, "web", {"status": {"phase": "Running"}}, MERGE, "default", subresource="status")
    body = {
        "apiVersion": "policy/v1",
        "kind": "Eviction",
        "metadata": {"name": "web", "namespace": "default"},
    }
    result = await server.evict("web", body, "default")
    assert result.code == 201
    evicted = await server.get(Pod, "web", "default")
    assert isinstance(evicted, Pod)
    assert evicted.metadata.deletion_timestamp is not None
    target = [c for c in evicted.status.conditions if c.type == "DisruptionTarget"]
    assert [(c.status, c.reason) for c in target] == [("True", "EvictionByEvictionAPI")]


async def test_node15_eviction_of_pending_pod_deletes_without_condition(server: APIServer) -> None:
    await server.create(Pod, pod(), "default")
    await server.evict("web", {"metadata": {"name": "web"}}, "default")
    with pytest.raises(NotFound):
        await server.get(Pod, "web", "default")
