"""The requests `kubectl cordon` and `kubectl drain` send (kubectl-wire.md, transcripts 45-48), at
the HTTP layer with kubectl's exact bodies and Accept headers: the cordon and uncordon strategic
merge patches (NODE-13), the pods list by `spec.nodeName` across namespaces (NODE-14 (2)), and the
Eviction with its `creationTimestamp: null` (NODE-14 (4): 201 Success, a gone pod 404 NotFound)."""

from __future__ import annotations

import pytest

from kubelite.api.core import Namespace, Node, Pod
from kubelite.api.meta import DeleteOptions, ObjectMeta
from tests.apiserver.conftest import node, pod
from tests.http.conftest import HTTPAPI

pytestmark = pytest.mark.anyio

TYPED = {"Accept": "application/vnd.kubernetes.protobuf,application/json"}
SMP = {**TYPED, "Content-Type": "application/strategic-merge-patch+json"}


async def test_node13_cordon_and_uncordon_patches(api: HTTPAPI) -> None:
    await api.server.create(Node, node("node1"), "")
    code, cordoned = await api.call(
        "PATCH", "/api/v1/nodes/node1", '{"spec":{"unschedulable":true}}', headers=SMP
    )
    assert (code, cordoned["kind"], cordoned["spec"]["unschedulable"]) == (200, "Node", True)
    code, uncordoned = await api.call(
        "PATCH", "/api/v1/nodes/node1", '{"spec":{"unschedulable":null}}', headers=SMP
    )
    assert code == 200 and "unschedulable" not in uncordoned["spec"]
    stored = await api.server.get(Node, "node1", "")
    assert isinstance(stored, Node) and not stored.spec.unschedulable


async def test_node14_pods_listed_by_node_across_namespaces(api: HTTPAPI) -> None:
    await api.server.create(Namespace, Namespace(metadata=ObjectMeta(name="team")), "")
    for name, namespace, on in (("a", "default", "node1"), ("b", "team", "node1"), ("c", "default", "node2")):
        await api.server.create(Pod, pod(name, namespace, on), namespace)
    code, listed = await api.call(
        "GET", "/api/v1/pods?fieldSelector=spec.nodeName%3Dnode1&limit=500", headers=TYPED
    )
    assert (code, listed["kind"], listed["apiVersion"]) == (200, "PodList", "v1")
    assert [(p["metadata"]["namespace"], p["metadata"]["name"]) for p in listed["items"]] == [
        ("default", "a"),
        ("team", "b"),
    ]


async def test_node14_kubectls_eviction_body_is_201_and_a_gone_pod_404(api: HTTPAPI) -> None:
    await api.server.create(Pod, pod("web", node="node1"), "default")
    body = (
        '{"kind":"Eviction","apiVersion":"policy/v1","metadata":{"name":"web","namespace":"default",'
        '"creationTimestamp":null},"deleteOptions":{}}'
    )
    path = "/api/v1/namespaces/default/pods/web/eviction"
    headers = {"Content-Type": "application/json", "Accept": "application/json, */*"}
    code, status = await api.call("POST", path, body, headers=headers)
    assert (code, status) == (
        201,
        {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Success",
            "details": {"name": "web", "kind": "pods"},
            "code": 201,
        },
    )
    await api.server.delete(Pod, "web", "default", DeleteOptions(grace_period_seconds=0))
    code, missing = await api.call("POST", path, body, headers=headers)
    assert (code, missing["reason"], missing["message"]) == (404, "NotFound", 'pods "web" not found')
    assert missing["details"] == {"name": "web", "kind": "pods"}
