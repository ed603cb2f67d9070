"""The official `kubernetes` Python client against the HTTP API (plain HTTP on 127.0.0.1): create a
Deployment, list pods by label, read a watch stream, and get Kubernetes' ApiException for errors."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from kubernetes import client, watch  # type: ignore[import-untyped]

from kubelite.api.apps import Deployment
from kubelite.api.core import Pod
from tests.apiserver.conftest import pod
from tests.http.conftest import HTTPAPI

pytestmark = pytest.mark.anyio


def api_client(url: str) -> Any:
    configuration = client.Configuration()
    configuration.host = url
    return client.ApiClient(configuration)


def deployment_body() -> Any:
    labels = {"app": "web"}
    container = client.V1Container(name="web", image="busybox:1.36")
    template = client.V1PodTemplateSpec(
        metadata=client.V1ObjectMeta(labels=labels), spec=client.V1PodSpec(containers=[container])
    )
    spec = client.V1DeploymentSpec(
        replicas=2, selector=client.V1LabelSelector(match_labels=labels), template=template
    )
    return client.V1Deployment(
        api_version="apps/v1", kind="Deployment", metadata=client.V1ObjectMeta(name="web"), spec=spec
    )


async def test_create_a_deployment(api: HTTPAPI) -> None:
    def create() -> Any:
        with api_client(api.url) as c:
            return client.AppsV1Api(c).create_namespaced_deployment("default", deployment_body())

    created = await anyio.to_thread.run_sync(create)
    assert created.metadata.name == "web" and created.spec.replicas == 2
    assert created.metadata.uid and created.metadata.resource_version
    stored = await api.server.get(Deployment, "web", "default")
    assert stored.metadata.uid == created.metadata.uid


async def test_list_pods_by_label(api: HTTPAPI) -> None:
    await api.server.create(Pod, pod("a", app="web"), "default")
    await api.server.create(Pod, pod("b", app="db"), "default")

    def list_pods() -> Any:
        with api_client(api.url) as c:
            return client.CoreV1Api(c).list_namespaced_pod("default", label_selector="app=web")

    pods = await anyio.to_thread.run_sync(list_pods)
    assert [p.metadata.name for p in pods.items] == ["a"]
    assert pods.metadata.resource_version


async def test_read_a_watch_stream(api: HTTPAPI) -> None:
    """The watch starts at the list's resourceVersion, so it sees `b` whenever the stream opens."""
    await api.server.create(Pod, pod("a"), "default")
    rv = (await api.server.list(Pod, "default")).resource_version

    def watch_pods() -> list[tuple[str, str]]:
        seen = []
        with api_client(api.url) as c:
            pods = client.CoreV1Api(c).list_namespaced_pod
            for event in watch.Watch().stream(pods, "default", resource_version=rv, timeout_seconds=5):
                seen.append((event["type"], event["object"].metadata.name))
                if len(seen) == 2:
                    break
        return seen

    result: list[list[tuple[str, str]]] = []
    async with anyio.create_task_group() as tg:

        async def run() -> None:
            result.append(await anyio.to_thread.run_sync(watch_pods))

        tg.start_soon(run)
        await api.server.create(Pod, pod("b"), "default")
        await api.server.delete(Pod, "a", "default")
    assert result == [[("ADDED", "b"), ("DELETED", "a")]]


async def test_errors_are_api_exceptions_with_the_status(api: HTTPAPI) -> None:
    def read_missing() -> Any:
        with api_client(api.url) as c:
            try:
                client.CoreV1Api(c).read_namespaced_pod("missing", "default")
            except client.ApiException as err:
                return err
        return None

    err = await anyio.to_thread.run_sync(read_missing)
    assert err is not None and err.status == 404
    assert '"reason":"NotFound"' in err.body


async def test_version_api_reads_version_with_its_trailing_slash(api: HTTPAPI) -> None:
    """The client's VersionApi asks `/version/` (Kubernetes serves it as `/version`)."""

    def get_code() -> Any:
        with api_client(api.url) as c:
            return client.VersionApi(c).get_code()

    info = await anyio.to_thread.run_sync(get_code)
    assert (info.major, info.minor, info.git_version) == ("1", "32", "v1.32.0")
