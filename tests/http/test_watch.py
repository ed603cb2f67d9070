"""WATCH over HTTP: chunked JSON lines, flushed per event; Table watches; resume; 410; timeoutSeconds."""

from __future__ import annotations

import json
from typing import Any

import aiohttp
import anyio
import pytest

from kubelite.api.core import ConfigMap
from kubelite.api.meta import ObjectMeta
from kubelite.apiserver.http import build_app, serve
from tests.http.conftest import HTTPAPI, make_api

pytestmark = pytest.mark.anyio

TABLE_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"


def cm(name: str, value: str = "1") -> ConfigMap:
    return ConfigMap(metadata=ObjectMeta(name=name, namespace="default"), data={"v": value})


async def next_event(response: aiohttp.ClientResponse) -> dict[str, Any]:
    with anyio.fail_after(5):
        line = await response.content.readline()
    assert line.endswith(b"\n")
    return json.loads(line)  # type: ignore[no-any-return]


async def test_watch_streams_each_change_as_one_json_line(api: HTTPAPI) -> None:
    await api.server.create(ConfigMap, cm("a"), "default")
    _code, listed = await api.call("GET", "/api/v1/namespaces/default/configmaps")
    rv = listed["metadata"]["resourceVersion"]
    url = f"{api.url}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={rv}"
    async with api.session.get(url) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "application/json"
        assert response.headers["Transfer-Encoding"] == "chunked"
        await api.server.create(ConfigMap, cm("b"), "default")
        added = await next_event(response)
        assert added["type"] == "ADDED" and added["object"]["metadata"]["name"] == "b"
        assert added["object"]["kind"] == "ConfigMap" and added["object"]["apiVersion"] == "v1"
        await api.server.update(ConfigMap, cm("b", "2"), "b", "default")
        modified = await next_event(response)
        assert (modified["type"], modified["object"]["data"]) == ("MODIFIED", {"v": "2"})
        await api.server.delete(ConfigMap, "a", "default")
        deleted = await next_event(response)
        assert (deleted["type"], deleted["object"]["metadata"]["name"]) == ("DELETED", "a")


async def test_watch_from_zero_starts_with_every_current_object(api: HTTPAPI) -> None:
    await api.server.create(ConfigMap, cm("a"), "default")
    url = f"{api.url}/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=0&timeoutSeconds=1"
    async with api.session.get(url) as response:
        first = await next_event(response)
        assert (first["type"], first["object"]["metadata"]["name"]) == ("ADDED", "a")


async def test_watch_resumes_from_any_recent_resource_version(api: HTTPAPI) -> None:
    first = await api.server.create(ConfigMap, cm("a"), "default")
    await api.server.create(ConfigMap, cm("b"), "default")
    await api.server.create(ConfigMap, cm("c"), "default")
    rv = first.metadata.resource_version
    url = f"{api.url}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={rv}"
    async with api.session.get(url) as response:
        names = [(await next_event(response))["object"]["metadata"]["name"] for _ in range(2)]
    assert names == ["b", "c"]


async def test_a_compacted_resource_version_is_an_error_event_with_410() -> None:
    async with make_api(history=2) as api:
        for name in "abcde":
            await api.server.create(ConfigMap, cm(name), "default")
        url = f"{api.url}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=2"
        async with api.session.get(url) as response:
            assert response.status == 200
            event = await next_event(response)
            with anyio.fail_after(5):
                rest = await response.content.read()
    assert event["type"] == "ERROR"
    status = event["object"]
    assert (status["kind"], status["apiVersion"], status["status"]) == ("Status", "v1", "Failure")
    assert (status["code"], status["reason"]) == (410, "Expired")
    assert status["message"].startswith("too old resource version: 2 (")
    assert rest == b""


async def test_timeout_seconds_ends_the_stream(api: HTTPAPI) -> None:
    url = f"{api.url}/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1"
    async with api.session.get(url) as response:
        with anyio.fail_after(5):
            body = await response.content.read()
    assert body == b""


async def test_table_watch_sends_one_row_tables(api: HTTPAPI) -> None:
    _code, listed = await api.call("GET", "/api/v1/namespaces/default/configmaps")
    rv = listed["metadata"]["resourceVersion"]
    url = f"{api.url}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={rv}"
    async with api.session.get(url, headers={"Accept": TABLE_ACCEPT}) as response:
        assert response.headers["Content-Type"] == "application/json;as=Table;v=v1;g=meta.k8s.io"
        await api.server.create(ConfigMap, cm("a"), "default")
        event = await next_event(response)
    table = event["object"]
    assert (event["type"], table["kind"], table["apiVersion"]) == ("ADDED", "Table", "meta.k8s.io/v1")
    assert [row["cells"][0] for row in table["rows"]] == ["a"]
    assert table["rows"][0]["object"]["kind"] == "PartialObjectMetadata"


async def test_watch_with_a_label_selector_sees_only_matching_objects(api: HTTPAPI) -> None:
    url = f"{api.url}/api/v1/namespaces/default/configmaps?watch=true&labelSelector=app%3Dweb"
    async with api.session.get(url) as response:
        await api.server.create(ConfigMap, cm("other"), "default")
        web = cm("web")
        web.metadata.labels = {"app": "web"}
        await api.server.create(ConfigMap, web, "default")
        event = await next_event(response)
    assert event["object"]["metadata"]["name"] == "web"


async def test_a_malformed_resource_version_is_a_400_status(api: HTTPAPI) -> None:
    code, status = await api.call("GET", "/api/v1/configmaps?watch=true&resourceVersion=abc")
    assert (code, status["kind"], status["reason"]) == (400, "Status", "BadRequest")
    assert status["message"] == 'invalid resource version "abc"'


async def test_shutdown_ends_open_watches_at_once(api: HTTPAPI) -> None:
    """Leaving `serve` closes every open watch, so shutdown does not wait out the watchers (the
    runner would otherwise give open handlers 1 s)."""
    app = build_app(api.server)
    async with aiohttp.ClientSession() as session:
        with anyio.fail_after(0.9):
            async with serve(app, "127.0.0.1", 0) as serving:
                url = f"{serving.url}/api/v1/namespaces/default/configmaps?watch=true"
                response = await session.get(url)
                assert response.status == 200
            assert await response.content.read() == b""
            response.release()
