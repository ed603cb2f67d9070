"""CRUD over HTTP: Kubernetes paths for namespaced and cluster-scoped kinds, Status bodies, lists."""

from __future__ import annotations

import pytest

from kubelite.api.core import ConfigMap
from tests.http.conftest import HTTPAPI

pytestmark = pytest.mark.anyio

CM = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": {"a": "1"}}


async def test_create_get_list_delete_a_namespaced_object(api: HTTPAPI) -> None:
    code, created = await api.call("POST", "/api/v1/namespaces/default/configmaps", CM)
    assert code == 201
    assert created["kind"] == "ConfigMap" and created["metadata"]["namespace"] == "default"
    stored = await api.server.get(ConfigMap, "cfg", "default")
    assert isinstance(stored, ConfigMap) and stored.data == {"a": "1"}

    code, got = await api.call("GET", "/api/v1/namespaces/default/configmaps/cfg")
    assert (code, got["data"]) == (200, {"a": "1"})

    code, listed = await api.call("GET", "/api/v1/configmaps")
    assert code == 200
    assert listed["kind"] == "ConfigMapList" and listed["apiVersion"] == "v1"
    assert listed["metadata"]["resourceVersion"] == created["metadata"]["resourceVersion"]
    assert [item["metadata"]["name"] for item in listed["items"]] == ["cfg"]
    assert listed["items"][0]["kind"] == "ConfigMap"

    code, status = await api.call("DELETE", "/api/v1/namespaces/default/configmaps/cfg")
    assert code == 200
    assert status["kind"] == "Status" and status["status"] == "Success"
    assert status["details"]["name"] == "cfg"

    code, missing = await api.call("GET", "/api/v1/namespaces/default/configmaps/cfg")
    assert code == 404
    assert missing == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": 'configmaps "cfg" not found',
        "reason": "NotFound",
        "details": {"name": "cfg", "kind": "configmaps"},
        "code": 404,
    }


async def test_cluster_scoped_kinds_live_outside_namespaces(api: HTTPAPI) -> None:
    code, listed = await api.call("GET", "/api/v1/namespaces")
    assert code == 200
    names = {item["metadata"]["name"] for item in listed["items"]}
    assert {"default", "kube-system", "kube-public", "kube-node-lease"} <= names
    code, ns = await api.call("GET", "/api/v1/namespaces/default")
    assert (code, ns["kind"]) == (200, "Namespace")
    code, _ = await api.call("GET", "/api/v1/namespaces/default/nodes")
    assert code == 404
