"""Create semantics: API-1, API-3, API-4, API-5, API-6, API-10, API-11, unknown fields, dry run."""

from __future__ import annotations

import re

import msgspec
import pytest

from kubelite.api.apps import Deployment, DeploymentStatus
from kubelite.api.core import ConfigMap, Namespace, Pod, PodStatus, Service, ServicePort, ServiceSpec
from kubelite.api.errors import AlreadyExists, BadRequest, Forbidden, Invalid, NotFound
from kubelite.api.meta import ObjectMeta
from kubelite.apiserver import APIServer, RequestContext
from kubelite.clock import FakeClock, rfc3339

from .conftest import deployment, pod

pytestmark = pytest.mark.anyio


async def test_api1_uid_and_creation_timestamp_are_server_set(server: APIServer, clock: FakeClock) -> None:
    sent = pod()
    sent.metadata.uid = "client-chosen"
    sent.metadata.creation_timestamp = "2001-01-01T00:00:00Z"
    created = await server.create(Pod, sent, "default")
    assert created.metadata.uid != "client-chosen"
    assert re.fullmatch(
        r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", created.metadata.uid
    )
    assert created.metadata.creation_timestamp == rfc3339(clock.now())
    assert sent.metadata.uid == "client-chosen", "the caller's object is never modified"


async def test_api1_recreated_object_gets_new_uid(server: APIServer) -> None:
    first = await server.create(Pod, pod(), "default")
    await server.delete(Pod, "web", "default")
    second = await server.create(Pod, pod(), "default")
    assert first.metadata.uid != second.metadata.uid


async def test_api2_resource_version_is_the_store_revision(server: APIServer) -> None:
    a = await server.create(Pod, pod("a"), "default")
    b = await server.create(Pod, pod("b"), "default")
    assert int(b.metadata.resource_version) > int(a.metadata.resource_version)
    stored = await server.get(Pod, "b", "default")
    assert stored.metadata.resource_version == b.metadata.resource_version


async def test_api3_generation_starts_at_one(server: APIServer) -> None:
    created = await server.create(Deployment, deployment(), "default")
    assert created.metadata.generation == 1


async def test_api4_create_discards_status_of_workloads(server: APIServer) -> None:
    sent = deployment()
    sent.status = DeploymentStatus(replicas=7, ready_replicas=7)
    created = await server.create(Deployment, sent, "default")
    assert created.status == DeploymentStatus()
    sent_pod = pod()
    sent_pod.status = PodStatus(phase="Running", pod_ip="10.0.0.1")
    assert (await server.create(Pod, sent_pod, "default")).status == PodStatus(phase="Pending")


async def test_api5_generate_name(server: APIServer) -> None:
    sent = pod("")
    sent.metadata.generate_name = "x" * 70
    created = await server.create(Pod, sent, "default")
    assert re.fullmatch("x{58}[bcdfghjklmnpqrstvwxz2456789]{5}", created.metadata.name)
    await server.get(Pod, created.metadata.name, "default")


async def test_api5_name_or_generate_name_required(server: APIServer) -> None:
    with pytest.raises(Invalid) as caught:
        await server.create(Pod, pod(""), "default")
    assert caught.value.status.code == 422
    assert "metadata.name: Required value: name or generateName is required" in caught.value.message


async def test_api6_invalid_name_is_rejected_and_nothing_stored(server: APIServer) -> None:
    before = server.storage.revision
    with pytest.raises(Invalid) as caught:
        await server.create(Pod, pod("Bad_Name"), "default")
    assert caught.value.causes[0].field == "metadata.name"
    assert server.storage.revision == before
    assert (await server.list(Pod)).items == []


async def test_api10_duplicate_create(server: APIServer) -> None:
    await server.create(Pod, pod(), "default")
    with pytest.raises(AlreadyExists) as caught:
        await server.create(Pod, pod(), "default")
    assert caught.value.status.code == 409
    assert caught.value.message == 'pods "web" already exists'
    with pytest.raises(AlreadyExists) as caught:
        await server.create(Deployment, deployment(), "default")
        await server.create(Deployment, deployment(), "default")
    assert caught.value.message == 'deployments.apps "web" already exists'


async def test_api11_builtin_namespaces_exist(server: APIServer) -> None:
    names = [ns.metadata.name for ns in (await server.list(Namespace)).items]
    assert names == ["default", "kube-node-lease", "kube-public", "kube-system"]
    assert all(ns.status.phase == "Active" for ns in (await server.list(Namespace)).items)  # type: ignore[attr-defined]


async def test_api11_missing_namespace_is_404(server: APIServer) -> None:
    with pytest.raises(NotFound) as caught:
        await server.create(Pod, pod(namespace="nowhere"), "nowhere")
    assert caught.value.message == 'namespaces "nowhere" not found'


async def test_api11_body_namespace_must_match_request(server: APIServer) -> None:
    await server.create(Namespace, Namespace(metadata=ObjectMeta(name="other")))
    with pytest.raises(BadRequest, match="does not match the namespace"):
        await server.create(Pod, pod(namespace="other"), "default")


async def test_api11_create_in_terminating_namespace_is_403(server: APIServer) -> None:
    """API-11/GC-8: upstream's NamespaceLifecycle words it on the resource and name (none for a
    generated name) and adds the NamespaceTerminating cause."""
    await server.create(Namespace, Namespace(metadata=ObjectMeta(name="doomed")))
    await server.delete(Namespace, "doomed")
    with pytest.raises(Forbidden) as caught:
        await server.create(Pod, pod(namespace="doomed"), "doomed")
    assert caught.value.message == (
        'pods "web" is forbidden: unable to create new content in namespace doomed because it is being terminated'
    )
    assert msgspec.to_builtins(caught.value.status.details) == {
        "name": "web",
        "kind": "pods",
        "causes": [
            {
                "reason": "NamespaceTerminating",
                "message": "namespace doomed is being terminated",
                "field": "metadata.namespace",
            }
        ],
    }
    generated = pod(namespace="doomed")
    generated.metadata.name, generated.metadata.generate_name = "", "web-"
    with pytest.raises(Forbidden) as unnamed:
        await server.create(Pod, generated, "doomed")
    assert unnamed.value.message.startswith("pods is forbidden: unable to create new content")


async def test_resource_version_on_create_is_rejected(server: APIServer) -> None:
    sent = pod()
    sent.metadata.resource_version = "12"
    with pytest.raises(BadRequest, match="resourceVersion should not be set"):
        await server.create(Pod, sent, "default")


async def test_unknown_fields_are_dropped_with_a_warning(server: APIServer) -> None:
    body = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "cfg", "color": "blue"},
        "data": {"a": "b"},
        "extra": 1,
    }
    ctx = RequestContext()
    created = await server.create(ConfigMap, body, "default", ctx)
    assert isinstance(created, ConfigMap)
    assert created.data == {"a": "b"}
    assert ctx.warnings == ['unknown field "extra"', 'unknown field "metadata.color"']


async def test_strict_field_validation_rejects_unknown_fields(server: APIServer) -> None:
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}, "extra": 1}
    with pytest.raises(BadRequest) as caught:
        await server.create(ConfigMap, body, "default", RequestContext(field_validation="Strict"))
    assert caught.value.message == 'strict decoding error: unknown field "extra"'
    assert (await server.list(ConfigMap)).items == []


async def test_wrong_types_are_a_bad_request(server: APIServer) -> None:
    body = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "x"},
        "spec": {"replicas": "3"},
    }
    with pytest.raises(BadRequest) as caught:
        await server.create(Deployment, body, "default")
    assert caught.value.message.startswith(
        'Deployment in version "apps/v1" cannot be handled as a Deployment'
    )
    assert "spec.replicas" in caught.value.message


async def test_wrong_kind_or_version_is_a_bad_request(server: APIServer) -> None:
    with pytest.raises(BadRequest):
        await server.create(
            Deployment, {"apiVersion": "apps/v1", "kind": "Pod", "metadata": {"name": "x"}}, "default"
        )
    with pytest.raises(BadRequest, match="does not match the expected API version"):
        await server.create(
            Deployment, {"apiVersion": "v1", "kind": "Deployment", "metadata": {"name": "x"}}, "default"
        )


async def test_dry_run_stores_nothing(server: APIServer) -> None:
    before = server.storage.revision
    result = await server.create(Deployment, deployment(), "default", RequestContext(dry_run=True))
    assert result.metadata.uid
    assert server.storage.revision == before
    with pytest.raises(NotFound):
        await server.get(Deployment, "web", "default")


async def test_service_gets_a_cluster_ip(server: APIServer) -> None:
    def svc(name: str, ip: str = "") -> Service:
        spec = ServiceSpec(selector={"app": name}, ports=[ServicePort(port=80)], cluster_ip=ip)
        return Service(metadata=ObjectMeta(name=name), spec=spec)

    first = await server.create(Service, svc("a"), "default")
    second = await server.create(Service, svc("b"), "default")
    assert isinstance(first, Service) and isinstance(second, Service)
    assert first.spec.cluster_ips == [first.spec.cluster_ip] and first.spec.cluster_ip.startswith("10.")
    assert second.spec.cluster_ip != first.spec.cluster_ip  # tests/apiserver/services/ has the rest
    headless = await server.create(Service, svc("h", "None"), "default")
    assert isinstance(headless, Service) and headless.spec.cluster_ip == "None"
    with pytest.raises(Invalid, match="provided IP is already allocated"):
        await server.create(Service, svc("c", first.spec.cluster_ip), "default")


async def test_json_null_is_an_unset_field_for_lists_and_maps_too(server: APIServer) -> None:
    """Kubernetes' JSON decoder reads `null` as the zero value for any field: a manifest with
    `ownerReferences: null`, `labels: null` or `env: null` creates as if they were left out."""
    body = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "nulls", "ownerReferences": None, "labels": None, "creationTimestamp": None},
        "spec": {"containers": [{"name": "a", "image": "busybox", "env": None, "resources": {}}]},
        "status": {},
    }
    created = await server.create(Pod, body, "default")
    assert created.metadata.owner_references == []
    assert created.metadata.labels == {}
    assert created.spec.containers[0].env == []


async def test_a_wrongly_typed_field_is_still_400_in_kubernetes_wording(server: APIServer) -> None:
    body = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "bad", "labels": None}, "spec": 3}
    with pytest.raises(
        BadRequest, match=r'Pod in version "v1" cannot be handled as a Pod: Expected `object`'
    ):
        await server.create(Pod, body, "default")
    with pytest.raises(NotFound):
        await server.get(Pod, "bad", "default")
