"""Writes over HTTP: the four patch types (server-side apply by merge, creating when missing),
PUT with optimistic concurrency, DeleteOptions from the body and the query, the status, scale,
binding and eviction subresources, dry run and warnings."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kubelite.api.apps import Deployment
from kubelite.api.core import ConfigMap, Node, Pod
from tests.apiserver.conftest import deployment, node, pod
from tests.http.conftest import HTTPAPI

pytestmark = pytest.mark.anyio

DEPLOY = "/apis/apps/v1/namespaces/default/deployments"
PODS = "/api/v1/namespaces/default/pods"


def ct(media: str) -> dict[str, str]:
    return {"Content-Type": media}


async def test_merge_json_and_strategic_patches(api: HTTPAPI) -> None:
    await api.server.create(Deployment, deployment(), "default")
    code, body = await api.call(
        "PATCH", DEPLOY + "/web", b'{"spec":{"replicas":5}}', headers=ct("application/merge-patch+json")
    )
    assert code == 200, body
    smp = b'{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],"containers":[{"image":"busybox:2","name":"web"}]}}}}'
    code, _ = await api.call(
        "PATCH", DEPLOY + "/web", smp, headers=ct("application/strategic-merge-patch+json")
    )
    assert code == 200
    jp = b'[{"op":"add","path":"/metadata/labels","value":{"tier":"front"}}]'
    code, body = await api.call("PATCH", DEPLOY + "/web", jp, headers=ct("application/json-patch+json"))
    assert code == 200 and body["metadata"]["labels"] == {"tier": "front"}
    stored = await api.server.get(Deployment, "web", "default")
    assert isinstance(stored, Deployment) and stored.spec.replicas == 5
    assert [c.image for c in stored.spec.template.spec.containers] == ["busybox:2"]


async def test_server_side_apply_creates_then_merges(api: HTTPAPI) -> None:
    applied = b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: '1'\n"
    path = "/api/v1/namespaces/default/configmaps/cfg?fieldManager=kubectl&force=false"
    code, created = await api.call("PATCH", path, applied, headers=ct("application/apply-patch+yaml"))
    assert (code, created["data"]) == (201, {"a": "1"})
    again = b'{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg"},"data":{"b":"2"}}'
    code, merged = await api.call("PATCH", path, again, headers=ct("application/apply-patch+yaml"))
    assert (code, merged["data"]) == (200, {"a": "1", "b": "2"})
    stored = await api.server.get(ConfigMap, "cfg", "default")
    assert isinstance(stored, ConfigMap) and stored.data == {"a": "1", "b": "2"}


async def test_put_with_a_stale_resource_version_is_a_conflict(api: HTTPAPI) -> None:
    created = await api.server.create(ConfigMap, {"metadata": {"name": "cfg"}, "data": {"a": "1"}}, "default")
    body: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "cfg", "resourceVersion": created.metadata.resource_version},
        "data": {"a": "2"},
    }
    path = "/api/v1/namespaces/default/configmaps/cfg"
    code, updated = await api.call("PUT", path, body)
    assert (code, updated["data"]) == (200, {"a": "2"})
    code, status = await api.call("PUT", path, body)
    assert (code, status["reason"]) == (409, "Conflict")
    assert status["message"] == (
        'Operation cannot be fulfilled on configmaps "cfg": the object has been modified; '
        "please apply your changes to the latest version and try again"
    )


async def test_create_twice_is_already_exists(api: HTTPAPI) -> None:
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}}
    path = "/api/v1/namespaces/default/configmaps?fieldManager=kubectl-create"
    assert (await api.call("POST", path, body))[0] == 201
    code, status = await api.call("POST", path, body)
    assert (code, status["reason"], status["message"]) == (
        409,
        "AlreadyExists",
        'configmaps "cfg" already exists',
    )


async def test_dry_run_stores_nothing_and_warnings_become_headers(api: HTTPAPI) -> None:
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}, "bogus": 1}
    async with api.session.post(f"{api.url}/api/v1/namespaces/default/configmaps?dryRun=All", json=body) as r:
        assert r.status == 201
        assert r.headers.getall("Warning") == ['299 - "unknown field \\"bogus\\""']
    assert (await api.server.list(ConfigMap)).items == []
    code, status = await api.call(
        "POST", "/api/v1/namespaces/default/configmaps?fieldValidation=Strict", body
    )
    assert (code, status["reason"]) == (400, "BadRequest")
    assert status["message"] == 'strict decoding error: unknown field "bogus"'


async def test_delete_options_in_body_and_query(api: HTTPAPI) -> None:
    await api.server.create(Pod, pod("a", node="n1"), "default")
    await api.server.create(Pod, pod("b", node="n1"), "default")
    code, kept = await api.call("DELETE", PODS + "/a", {"gracePeriodSeconds": 10})
    assert code == 200
    assert (kept["kind"], kept["metadata"]["deletionGracePeriodSeconds"]) == ("Pod", 10)
    code, gone = await api.call("DELETE", PODS + "/b?gracePeriodSeconds=0")
    assert (code, gone["kind"], gone["metadata"]["name"]) == (200, "Pod", "b"), (
        "ReturnDeletedObject, as upstream"
    )
    names = [p.metadata.name for p in (await api.server.list(Pod)).items]
    assert names == ["a"]


async def test_foreground_deletion_answers_the_object_with_its_finalizer(api: HTTPAPI) -> None:
    await api.server.create(Deployment, deployment(), "default")
    code, body = await api.call("DELETE", DEPLOY + "/web", {"propagationPolicy": "Foreground"})
    assert code == 200
    assert body["metadata"]["finalizers"] == ["foregroundDeletion"]
    assert body["metadata"]["deletionTimestamp"]


async def test_delete_collection_by_label(api: HTTPAPI) -> None:
    for name, app in (("a", "web"), ("b", "web"), ("c", "db")):
        await api.server.create(ConfigMap, {"metadata": {"name": name, "labels": {"app": app}}}, "default")
    code, status = await api.call("DELETE", "/api/v1/namespaces/default/configmaps?labelSelector=app%3Dweb")
    assert (code, status["status"]) == (200, "Success")
    assert [c.metadata.name for c in (await api.server.list(ConfigMap)).items] == ["c"]


async def test_status_subresource_changes_only_status(api: HTTPAPI) -> None:
    await api.server.create(Node, node("n1"), "")
    patch = b'{"spec":{"unschedulable":true},"status":{"phase":"Running"}}'
    code, _body = await api.call(
        "PATCH", "/api/v1/nodes/n1/status", patch, headers=ct("application/merge-patch+json")
    )
    assert code == 200
    stored = await api.server.get(Node, "n1")
    assert isinstance(stored, Node)
    assert stored.spec.unschedulable in (None, False)
    assert stored.status.phase == "Running"
    code, got = await api.call("GET", "/api/v1/nodes/n1/status")
    assert (code, got["kind"]) == (200, "Node")


async def test_scale_subresource_get_put_without_content_type_and_patch(api: HTTPAPI) -> None:
    await api.server.create(Deployment, deployment(replicas=3), "default")
    code, scale = await api.call("GET", DEPLOY + "/web/scale")
    assert (code, scale["kind"], scale["apiVersion"]) == (200, "Scale", "autoscaling/v1")
    assert scale["spec"] == {"replicas": 3}
    scale["spec"]["replicas"] = 4
    data = json.dumps(scale).encode()
    url = f"{api.url}{DEPLOY}/web/scale"
    async with api.session.put(url, data=data, skip_auto_headers=["Content-Type"]) as r:
        assert r.status == 200 and "Content-Type" not in r.request_info.headers
    code, patched = await api.call(
        "PATCH", DEPLOY + "/web/scale", b'{"spec":{"replicas":5}}', headers=ct("application/merge-patch+json")
    )
    assert (code, patched["spec"]["replicas"]) == (200, 5)
    stored = await api.server.get(Deployment, "web", "default")
    assert isinstance(stored, Deployment) and stored.spec.replicas == 5


async def test_binding_and_eviction_answer_201_with_a_success_status(api: HTTPAPI) -> None:
    await api.server.create(Node, node("n1"), "")
    await api.server.create(Pod, pod("a"), "default")
    binding = {
        "apiVersion": "v1",
        "kind": "Binding",
        "metadata": {"name": "a"},
        "target": {"kind": "Node", "name": "n1"},
    }
    code, status = await api.call("POST", PODS + "/a/binding", binding)
    assert (code, status["status"]) == (201, "Success")
    bound = await api.server.get(Pod, "a", "default")
    assert isinstance(bound, Pod) and bound.spec.node_name == "n1"
    eviction = {
        "apiVersion": "policy/v1",
        "kind": "Eviction",
        "metadata": {"name": "a", "namespace": "default"},
        "deleteOptions": {},
    }
    code, status = await api.call("POST", PODS + "/a/eviction", eviction)
    assert (code, status["status"]) == (201, "Success")
    evicted = await api.server.get(Pod, "a", "default")
    assert evicted.metadata.deletion_timestamp


async def test_an_invalid_object_is_422_with_causes(api: HTTPAPI) -> None:
    body: dict[str, Any] = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "bad"},
        "spec": {
            "replicas": -1,
            "selector": {"matchLabels": {"a": "b"}},
            "template": {
                "metadata": {"labels": {"a": "b"}},
                "spec": {"containers": [{"name": "c", "image": "i"}]},
            },
        },
    }
    code, status = await api.call("POST", DEPLOY, body)
    assert (code, status["reason"]) == (422, "Invalid")
    assert status["details"]["kind"] == "Deployment" and status["details"]["name"] == "bad"
    causes = status["details"]["causes"]
    assert {
        "reason": "FieldValueInvalid",
        "field": "spec.replicas",
        "message": "Invalid value: -1: must be greater than or equal to 0",
    } in causes


async def test_self_subject_access_review_allowed_and_not_stored(api: HTTPAPI) -> None:
    """kubelite has no authorization: a review is allowed (201, spec echoed); one naming neither
    resource nor non-resource attributes is 422 Invalid with Kubernetes' message."""
    path = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"
    spec = {"resourceAttributes": {"verb": "list", "resource": "pods", "namespace": "default"}}
    review = {"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview", "spec": spec}
    code, body = await api.call("POST", path, review)
    assert (code, body["kind"], body["spec"], body["status"]) == (
        201,
        "SelfSubjectAccessReview",
        spec,
        {"allowed": True},
    )
    code, body = await api.call("POST", path, {**review, "spec": {}})
    message = (
        'Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified'
    )
    assert (code, body["reason"], body["message"]) == (
        422,
        "Invalid",
        f'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: {message}',
    )
    assert body["details"]["causes"] == [
        {"reason": "FieldValueInvalid", "message": message, "field": "spec.resourceAttributes"}
    ]
    code, body = await api.call("POST", path, {"apiVersion": "v1", "kind": "Pod"})
    assert (code, body["reason"]) == (400, "BadRequest")
