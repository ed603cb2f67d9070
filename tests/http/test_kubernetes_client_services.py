"""Services through the official `kubernetes` Python client: create a NodePort Service, patch and
replace it (a PUT without the node port keeps it), then delete it. Services and pods are stored
with upstream's `ReturnDeletedObject`: DELETE answers with the object as it was last stored, its
resourceVersion the deletion's (the client parses a `V1Service` / `V1Pod` from it; a Status there
breaks it), other kinds with a Status; a second DELETE is the client's 404 ApiException."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from kubernetes import client  # type: ignore[import-untyped]

from kubelite.api.core import Pod, Service
from kubelite.api.errors import NotFound
from kubelite.api.meta import Status
from tests.apiserver.conftest import pod
from tests.http.conftest import HTTPAPI
from tests.http.test_kubernetes_client import api_client

pytestmark = pytest.mark.anyio


def node_port_service() -> Any:
    port = client.V1ServicePort(port=81, target_port="http")
    spec = client.V1ServiceSpec(selector={"app": "web"}, ports=[port], type="NodePort")
    return client.V1Service(metadata=client.V1ObjectMeta(name="web"), spec=spec)


def service_life(url: str) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    with api_client(url) as c:
        core = client.CoreV1Api(c)
        seen["created"] = core.create_namespaced_service("default", node_port_service())
        body = {"spec": {"ports": [{"port": 81, "targetPort": "http", "nodePort": 31999}]}}
        seen["patched"] = core.patch_namespaced_service("web", "default", body)
        current = core.read_namespaced_service("web", "default")
        current.spec.ports[0].node_port = None
        seen["replaced"] = core.replace_namespaced_service("web", "default", current)
        seen["deleted"] = core.delete_namespaced_service("web", "default")
        try:
            core.delete_namespaced_service("web", "default")
        except client.ApiException as err:
            seen["again"] = err
    return seen


async def test_a_service_created_patched_replaced_and_deleted(api: HTTPAPI) -> None:
    seen = await anyio.to_thread.run_sync(service_life, api.url)
    created, patched, replaced = seen["created"], seen["patched"], seen["replaced"]
    assert 30000 <= created.spec.ports[0].node_port <= 32767 and created.spec.cluster_ip
    assert patched.spec.ports[0].node_port == 31999
    assert replaced.spec.ports[0].node_port == 31999, "a PUT without the node port keeps it"
    deleted = seen["deleted"]
    assert isinstance(deleted, client.V1Service)
    assert (deleted.metadata.name, deleted.metadata.uid) == ("web", created.metadata.uid)
    assert deleted.spec == replaced.spec, "the Service as last stored"
    assert seen["again"].status == 404 and '"reason":"NotFound"' in seen["again"].body
    with pytest.raises(NotFound):
        await api.server.get(Service, "web", "default")


async def test_a_pod_deleted_at_once_comes_back_as_the_pod(api: HTTPAPI) -> None:
    made = await api.server.create(Pod, pod("a"), "default")

    def delete_now() -> Any:
        with api_client(api.url) as c:
            return client.CoreV1Api(c).delete_namespaced_pod("a", "default", grace_period_seconds=0)

    deleted = await anyio.to_thread.run_sync(delete_now)
    assert isinstance(deleted, client.V1Pod) and deleted.metadata.uid == made.metadata.uid
    with pytest.raises(NotFound):
        await api.server.get(Pod, "a", "default")


async def test_other_kinds_still_answer_a_delete_with_a_status(api: HTTPAPI) -> None:
    status, body = await api.call(
        "POST", "/api/v1/namespaces/default/configmaps", {"metadata": {"name": "c"}}
    )
    assert status == 201
    status, body = await api.call("DELETE", "/api/v1/namespaces/default/configmaps/c")
    assert status == 200 and body["kind"] == "Status" and body["status"] == "Success"
    assert body["details"]["name"] == "c" and body["details"]["kind"] == "configmaps"


async def test_a_dry_run_delete_returns_the_service_and_keeps_it(api: HTTPAPI) -> None:
    status, made = await api.call(
        "POST",
        "/api/v1/namespaces/default/services",
        {"metadata": {"name": "s"}, "spec": {"ports": [{"port": 80}]}},
    )
    assert status == 201
    status, body = await api.call("DELETE", "/api/v1/namespaces/default/services/s?dryRun=All")
    assert status == 200 and body["kind"] == "Service" and body["metadata"]["uid"] == made["metadata"]["uid"]
    kept = await api.server.get(Service, "s", "default")
    assert not isinstance(kept, Status) and kept.spec.cluster_ip == made["spec"]["clusterIP"]
