"""Bad input over HTTP (issue 12): each gets a Status, the server stays up, and state is unchanged."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from kubelite.api.core import ConfigMap
from kubelite.api.meta import ObjectMeta
from tests.http.conftest import HTTPAPI

pytestmark = pytest.mark.anyio

CMS = "/api/v1/namespaces/default/configmaps"


async def snapshot(api: HTTPAPI) -> list[tuple[str, str]]:
    listed = await api.server.list(ConfigMap)
    return [(o.metadata.name, o.metadata.resource_version) for o in listed.items]


def assert_status(body: Any, code: int, reason: str) -> None:
    assert isinstance(body, dict), body
    assert (body["kind"], body["apiVersion"], body["status"]) == ("Status", "v1", "Failure")
    assert (body["code"], body["reason"]) == (code, reason)
    assert body["message"]


BAD = [
    pytest.param(
        "POST", CMS, b'{"metadata": {"name": ', "application/json", 400, "BadRequest", id="malformed-json"
    ),
    pytest.param(
        "POST", CMS, b"metadata: [name: x\n  :", "application/yaml", 400, "BadRequest", id="malformed-yaml"
    ),
    pytest.param("POST", CMS, b"[1, 2]", "application/json", 400, "BadRequest", id="not-an-object"),
    pytest.param(
        "POST",
        CMS,
        b'{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x"}}',
        "application/json",
        400,
        "BadRequest",
        id="wrong-kind-for-path",
    ),
    pytest.param(
        "POST",
        CMS,
        b'{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "Not_Valid"}}',
        "application/json",
        422,
        "Invalid",
        id="invalid-name",
    ),
    pytest.param(
        "POST",
        "/api/v1/namespaces/default/widgets",
        b"{}",
        "application/json",
        404,
        "NotFound",
        id="unknown-resource",
    ),
    pytest.param(
        "GET", "/apis/nothing.example/v1/things", b"", "application/json", 404, "NotFound", id="unknown-group"
    ),
    pytest.param(
        "POST", CMS, b"<cm/>", "application/xml", 415, "UnsupportedMediaType", id="unsupported-media-type"
    ),
    pytest.param(
        "PATCH", CMS + "/x", b"{}", "text/plain", 415, "UnsupportedMediaType", id="unsupported-patch-type"
    ),
    pytest.param("PUT", CMS, b"{}", "application/json", 405, "MethodNotAllowed", id="put-on-a-collection"),
]


@pytest.mark.parametrize(("method", "path", "body", "content_type", "code", "reason"), BAD)
async def test_bad_requests_get_a_status_and_change_nothing(
    api: HTTPAPI, method: str, path: str, body: bytes, content_type: str, code: int, reason: str
) -> None:
    await api.server.create(ConfigMap, {"metadata": {"name": "x"}}, "default")
    before = await snapshot(api)
    got, status = await api.call(method, path, body, headers={"Content-Type": content_type})
    assert got == code
    assert_status(status, code, reason)
    assert await snapshot(api) == before
    ok, _ = await api.call("GET", CMS + "/x")
    assert ok == 200


async def test_a_4_mib_body_is_refused_with_413(api: HTTPAPI) -> None:
    """Kubernetes refuses request bodies over 3 MiB before decoding them."""
    data = {"big": "x" * (4 * 1024 * 1024)}
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "big"}, "data": data}
    payload = io.BytesIO(json.dumps(body).encode())
    code, status = await api.call("POST", CMS, headers={"Content-Type": "application/json"}, data=payload)
    assert code == 413
    assert_status(status, 413, "RequestEntityTooLarge")
    assert status["message"] == "Request entity too large: limit is 3145728"
    assert await snapshot(api) == []
    code, _ = await api.call("GET", CMS)
    assert code == 200


async def test_an_unknown_path_is_kubernetes_404(api: HTTPAPI) -> None:
    code, status = await api.call("GET", "/no/such/path")
    assert code == 404
    assert status == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": "the server could not find the requested resource",
        "reason": "NotFound",
        "details": {},
        "code": 404,
    }


async def test_openapi_v2_stays_404(api: HTTPAPI) -> None:
    """kubectl asks /openapi/v2 for protobuf; answering it would bypass the v3 documents."""
    code, status = await api.call("GET", "/openapi/v2")
    assert code == 404
    assert_status(status, 404, "NotFound")


async def test_a_long_selector_in_the_url_is_served(api: HTTPAPI) -> None:
    """A 16 KB label selector fits in the request line, as it does in Kubernetes (Go's 1 MiB header
    limit); aiohttp's default 8 KiB limit answered a plain-text 400 instead of the list."""
    await api.server.create(
        ConfigMap, ConfigMap(metadata=ObjectMeta(name="c", labels={"k0": "v0"})), "default"
    )
    selector = ",".join(f"k{i}=v{i}" if i == 0 else f"!k{i}" for i in range(2000))
    assert len(selector) > 8 * 1024
    code, body = await api.call("GET", CMS, params={"labelSelector": selector})
    assert code == 200, body
    assert [item["metadata"]["name"] for item in body["items"]] == ["c"]
    code, body = await api.call("GET", CMS, headers={"X-Padding": "p" * 16 * 1024})
    assert code == 200, body
