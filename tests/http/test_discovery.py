"""Discovery, /version, OpenAPI v3, health and metrics, as kubectl reads them (kubectl-wire.md)."""

from __future__ import annotations

import pytest

from tests.http.conftest import HTTPAPI, make_api

pytestmark = pytest.mark.anyio

AGGREGATED = (
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
    "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"
)


async def test_version_reports_minor_32(api: HTTPAPI) -> None:
    code, version = await api.call("GET", "/version?timeout=5s")
    assert code == 200
    assert (version["major"], version["minor"], version["gitVersion"]) == ("1", "32", "v1.32.0")
    assert version["platform"].startswith("linux/")


@pytest.mark.parametrize("version", ["v2", "v2beta1"])
async def test_aggregated_discovery_echoes_the_chosen_content_type(api: HTTPAPI, version: str) -> None:
    accept = AGGREGATED if version == "v2" else AGGREGATED.split(",", 1)[1]
    async with api.session.get(f"{api.url}/apis", headers={"Accept": accept}) as response:
        body = await response.json(content_type=None)
        assert response.headers["Content-Type"] == (
            f"application/json;g=apidiscovery.k8s.io;v={version};as=APIGroupDiscoveryList"
        )
    assert (body["kind"], body["apiVersion"]) == ("APIGroupDiscoveryList", f"apidiscovery.k8s.io/{version}")
    apps = next(group for group in body["items"] if group["metadata"]["name"] == "apps")
    deployments = next(r for r in apps["versions"][0]["resources"] if r["resource"] == "deployments")
    assert deployments == {
        "resource": "deployments",
        "responseKind": {"group": "apps", "version": "v1", "kind": "Deployment"},
        "scope": "Namespaced",
        "singularResource": "deployment",
        "verbs": ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
        "shortNames": ["deploy"],
        "categories": ["all"],
        "subresources": [
            {
                "subresource": "status",
                "responseKind": {"group": "apps", "version": "v1", "kind": "Deployment"},
                "verbs": ["get", "patch", "update"],
            },
            {
                "subresource": "scale",
                "responseKind": {"group": "autoscaling", "version": "v1", "kind": "Scale"},
                "verbs": ["get", "patch", "update"],
            },
        ],
    }


async def test_aggregated_core_group_has_an_empty_name(api: HTTPAPI) -> None:
    code, body = await api.call("GET", "/api", headers={"Accept": AGGREGATED})
    assert code == 200
    assert [group["metadata"]["name"] for group in body["items"]] == [""]
    nodes = next(r for r in body["items"][0]["versions"][0]["resources"] if r["resource"] == "nodes")
    assert nodes["scope"] == "Cluster"


async def test_legacy_discovery(api: HTTPAPI) -> None:
    code, versions = await api.call("GET", "/api")
    assert (code, versions["kind"], versions["versions"]) == (200, "APIVersions", ["v1"])
    code, groups = await api.call("GET", "/apis")
    assert groups["kind"] == "APIGroupList"
    apps = next(group for group in groups["groups"] if group["name"] == "apps")
    assert apps["preferredVersion"] == {"groupVersion": "apps/v1", "version": "v1"}
    code, core = await api.call("GET", "/api/v1")
    assert (code, core["kind"], core["groupVersion"]) == (200, "APIResourceList", "v1")
    by_name = {r["name"]: r for r in core["resources"]}
    assert by_name["pods/eviction"] == {
        "name": "pods/eviction",
        "singularName": "",
        "namespaced": True,
        "group": "policy",
        "version": "v1",
        "kind": "Eviction",
        "verbs": ["create"],
    }
    assert by_name["pods"]["shortNames"] == ["po"] and by_name["pods"]["categories"] == ["all"]
    assert by_name["pods/log"]["verbs"] == ["get"]
    code, batch = await api.call("GET", "/apis/batch/v1")
    assert [r["name"] for r in batch["resources"]] == ["jobs", "jobs/status"]
    code, _ = await api.call("GET", "/apis/batch/v9")
    assert code == 404


async def test_openapi_v3_index_and_documents_let_kubectl_validate(api: HTTPAPI) -> None:
    code, index = await api.call("GET", "/openapi/v3")
    assert code == 200
    url = index["paths"]["apis/apps/v1"]["serverRelativeURL"]
    assert url.startswith("/openapi/v3/apis/apps/v1?hash=")
    code, doc = await api.call("GET", url)
    assert code == 200
    patch = doc["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]["patch"]
    assert patch["x-kubernetes-group-version-kind"] == {
        "group": "apps",
        "version": "v1",
        "kind": "Deployment",
    }
    assert "fieldValidation" in [p["name"] for p in patch["parameters"]]
    code, core = await api.call("GET", index["paths"]["api/v1"]["serverRelativeURL"])
    assert "/api/v1/nodes/{name}" in core["paths"]


async def test_health_endpoints_and_readiness() -> None:
    state = {"ready": False}
    async with make_api(ready=lambda: state["ready"]) as api:
        for path in ("/healthz", "/livez"):
            assert await api.call("GET", path) == (200, "ok")
        code, text = await api.call("GET", "/readyz")
        assert code == 500
        assert "[-]informer-sync failed" in text and text.endswith("readyz check failed\n")
        state["ready"] = True
        assert await api.call("GET", "/readyz") == (200, "ok")


async def test_metrics_count_requests_by_verb_resource_and_code(api: HTTPAPI) -> None:
    await api.call("GET", "/api/v1/namespaces/default/pods")
    await api.call("GET", "/api/v1/namespaces/default/pods/missing")
    async with api.session.get(f"{api.url}/metrics") as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain")
        text = await response.text()
    assert 'apiserver_request_total{code="200",resource="pods",subresource="",verb="LIST"} 1.0' in text
    assert 'apiserver_request_total{code="404",resource="pods",subresource="",verb="GET"} 1.0' in text
    assert "apiserver_request_duration_seconds_bucket" in text
