"""Request bodies are checked against the URL and the store's limits (issue 9 items 4, 5).

A Scale must name the object the URL names (Kubernetes' checkName: 400 BadRequest). An object
whose encoding exceeds 1.5 MiB (etcd's default request limit) is refused with 413
RequestEntityTooLarge on create, update and patch; the store is unchanged.
"""

from __future__ import annotations

import pytest

from kubelite.api.apps import Deployment
from kubelite.api.autoscaling import Scale, ScaleSpec
from kubelite.api.core import ConfigMap, Pod
from kubelite.api.errors import BadRequest, NotFound, RequestEntityTooLarge
from kubelite.api.meta import ObjectMeta
from kubelite.apiserver import APIServer, APIServerSettings, RequestContext
from kubelite.store.memory import MemoryStorage

from .conftest import deployment, pod

pytestmark = pytest.mark.anyio
MERGE = "application/merge-patch+json"
LIMIT = 1_572_864


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        (ObjectMeta(name="other"), "the name of the object (other) does not match the name on the URL (web)"),
        (
            ObjectMeta(name="web", namespace="kube-system"),
            "the namespace of the object (kube-system) does not match the namespace on the request (default)",
        ),
        (ObjectMeta(), "the name of the object (web based on URL) was undeterminable: name must be provided"),
    ],
    ids=["name", "namespace", "no-name"],
)
async def test_scale_body_must_name_the_url_object(server: APIServer, meta: ObjectMeta, message: str) -> None:
    created = await server.create(Deployment, deployment(), "default")
    with pytest.raises(BadRequest) as caught:
        await server.update_scale(
            Deployment, "web", Scale(metadata=meta, spec=ScaleSpec(replicas=9)), "default"
        )
    status = caught.value.status
    assert (status.code, status.reason, status.message) == (400, "BadRequest", message)
    assert await server.get(Deployment, "web", "default") == created


async def test_scale_patch_cannot_rename(server: APIServer) -> None:
    await server.create(Deployment, deployment(), "default")
    body = b'[{"op": "replace", "path": "/metadata/name", "name": "x", "value": "other"}]'
    with pytest.raises(BadRequest, match=r"the name of the object \(other\) does not match"):
        await server.patch_scale(Deployment, "web", body, "application/json-patch+json", "default")


async def test_scale_of_a_kind_without_scale_is_404(server: APIServer) -> None:
    await server.create(Pod, pod(), "default")
    with pytest.raises(NotFound, match="the server could not find the requested resource"):
        await server.get_scale(Pod, "web", "default")


def _big_pod(size: int) -> Pod:
    sent = pod("big")
    sent.spec.containers[0].args = ["x" * size]
    return sent


async def test_a_20_mb_pod_is_413_and_not_stored(server: APIServer) -> None:
    revision = server.storage.revision
    with pytest.raises(RequestEntityTooLarge) as caught:
        await server.create(Pod, _big_pod(20_000_000), "default")
    status = caught.value.status
    assert (status.code, status.reason) == (413, "RequestEntityTooLarge")
    assert status.message.startswith("Request entity too large: ")
    assert f"limit is {LIMIT}" in status.message
    assert server.storage.revision == revision
    with pytest.raises(NotFound):
        await server.get(Pod, "big", "default")


async def test_object_just_under_the_limit_is_stored(server: APIServer) -> None:
    created = await server.create(Pod, _big_pod(LIMIT - 2_000), "default")
    assert isinstance(created, Pod) and len(created.spec.containers[0].args[0]) == LIMIT - 2_000


async def test_dry_run_of_an_oversized_object_is_413_too(server: APIServer) -> None:
    with pytest.raises(RequestEntityTooLarge):
        await server.create(Pod, _big_pod(LIMIT), "default", RequestContext(dry_run=True))


@pytest.mark.parametrize("verb", ["update", "patch", "status"])
async def test_growing_past_the_limit_is_413_and_changes_nothing(server: APIServer, verb: str) -> None:
    created = await server.create(Deployment, deployment(), "default")
    big = {
        "metadata": {"labels": {"app": "web"}},
        "spec": {
            "template": {
                "spec": {"containers": [{"name": "web", "image": "busybox:1.36", "args": ["x" * LIMIT]}]}
            }
        },
    }
    with pytest.raises(RequestEntityTooLarge):
        if verb == "update":
            grown = await server.get(Deployment, "web", "default")
            assert isinstance(grown, Deployment)
            grown.spec.template.spec.containers[0].args = ["x" * LIMIT]
            await server.update(Deployment, grown, "web", "default")
        elif verb == "patch":
            await server.patch(Deployment, "web", big, "application/strategic-merge-patch+json", "default")
        else:
            message = {
                "status": {"conditions": [{"type": "Progressing", "status": "True", "message": "x" * LIMIT}]}
            }
            await server.patch(Deployment, "web", message, MERGE, "default", subresource="status")
    assert await server.get(Deployment, "web", "default") == created


async def test_the_limit_is_a_setting() -> None:
    async with MemoryStorage() as storage:
        server = APIServer(storage, settings=APIServerSettings(max_object_bytes=400))
        await server.bootstrap()
        with pytest.raises(RequestEntityTooLarge, match="limit is 400"):
            await server.create(
                ConfigMap, ConfigMap(metadata=ObjectMeta(name="c"), data={"k": "v" * 400}), "default"
            )
        await server.create(ConfigMap, ConfigMap(metadata=ObjectMeta(name="c"), data={"k": "v"}), "default")


async def test_the_limit_counts_the_stored_bytes_resource_version_included(server: APIServer) -> None:
    """The stored encoding (with the resourceVersion the store stamps) is what is compared: one
    byte over the limit is a 413 that stores nothing; exactly the limit is stored."""
    probe = pod("a")
    probe.spec.containers[0].args = [""]
    await server.create(Pod, probe, "default")
    record = server.storage.get(("pods", "default", "a"))
    assert record is not None
    room = LIMIT - len(record.value)
    over, exact = pod("b"), pod("c")
    over.spec.containers[0].args = ["x" * (room + 1)]
    exact.spec.containers[0].args = ["x" * room]
    revision = server.storage.revision
    with pytest.raises(RequestEntityTooLarge, match=f"the object is {LIMIT + 1} bytes, limit is {LIMIT}"):
        await server.create(Pod, over, "default")
    assert server.storage.revision == revision
    with pytest.raises(NotFound):
        await server.get(Pod, "b", "default")
    await server.create(Pod, exact, "default")
    stored = server.storage.get(("pods", "default", "c"))
    assert stored is not None and len(stored.value) == LIMIT
