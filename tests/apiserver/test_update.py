"""Update, patch and status semantics: API-2, API-3, API-4, API-10, GC-7, DEP-2 (immutable selector)."""

from __future__ import annotations

import anyio
import anyio.lowlevel
import pytest

from kubelite.api.apps import Deployment, DeploymentStatus
from kubelite.api.core import Pod
from kubelite.api.errors import BadRequest, Conflict, Invalid, NotFound
from kubelite.api.meta import LabelSelector
from kubelite.apiserver import APIServer

from .conftest import deployment, pod

pytestmark = pytest.mark.anyio

STRATEGIC = "application/strategic-merge-patch+json"
MERGE = "application/merge-patch+json"
JSON_PATCH = "application/json-patch+json"


async def _dep(server: APIServer) -> Deployment:
    created = await server.create(Deployment, deployment(), "default")
    assert isinstance(created, Deployment)
    return created


async def test_api2_noop_update_keeps_resource_version_and_sends_no_event(server: APIServer) -> None:
    created = await _dep(server)
    async with server.watch(
        Deployment, "default", resource_version=created.metadata.resource_version
    ) as stream:
        same = await server.update(Deployment, created, "web", "default")
        assert same.metadata.resource_version == created.metadata.resource_version
        changed = await server.patch(
            Deployment, "web", {"metadata": {"labels": {"x": "y"}}}, MERGE, "default"
        )
        with anyio.fail_after(5):
            event = await anext(aiter(stream))
    assert event.type == "MODIFIED"
    assert event.object is not None
    assert event.object.metadata.resource_version == changed.metadata.resource_version


async def test_api3_generation_moves_on_spec_changes_only(server: APIServer) -> None:
    await _dep(server)
    labelled = await server.patch(
        Deployment, "web", {"metadata": {"labels": {"team": "a"}}}, MERGE, "default"
    )
    assert labelled.metadata.generation == 1
    annotated = await server.patch(
        Deployment, "web", {"metadata": {"annotations": {"n": "1"}}}, MERGE, "default"
    )
    assert annotated.metadata.generation == 1
    status = await server.patch(
        Deployment, "web", {"status": {"replicas": 2}}, MERGE, "default", subresource="status"
    )
    assert status.metadata.generation == 1
    scaled = await server.patch(Deployment, "web", {"spec": {"replicas": 5}}, MERGE, "default")
    assert scaled.metadata.generation == 2


async def test_api3_unchanged_spec_sent_without_defaults_does_not_bump_generation(server: APIServer) -> None:
    created = await _dep(server)
    bare = deployment()
    bare.metadata.resource_version = created.metadata.resource_version
    again = await server.update(Deployment, bare, "web", "default")
    assert again.metadata.generation == 1
    assert again.metadata.resource_version == created.metadata.resource_version


async def test_api4_main_write_ignores_status(server: APIServer) -> None:
    created = await _dep(server)
    created.status = DeploymentStatus(replicas=9)
    created.spec.replicas = 4
    updated = await server.update(Deployment, created, "web", "default")
    assert isinstance(updated, Deployment)
    assert updated.status == DeploymentStatus()
    assert updated.spec.replicas == 4


async def test_api4_status_write_ignores_spec_and_apps_labels(server: APIServer) -> None:
    created = await _dep(server)
    created.status = DeploymentStatus(replicas=3, observed_generation=1)
    created.spec.replicas = 10
    created.metadata.labels = {"sneaky": "yes"}
    updated = await server.update(Deployment, created, "web", "default", subresource="status")
    assert isinstance(updated, Deployment)
    assert updated.status.replicas == 3
    assert updated.spec.replicas == 3
    assert updated.metadata.labels == {}


async def test_api10_stale_resource_version_conflicts(server: APIServer) -> None:
    created = await _dep(server)
    await server.patch(Deployment, "web", {"spec": {"replicas": 4}}, MERGE, "default")
    created.spec.replicas = 1
    with pytest.raises(Conflict) as caught:
        await server.update(Deployment, created, "web", "default")
    assert caught.value.status.code == 409
    assert caught.value.message == (
        'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; '
        "please apply your changes to the latest version and try again"
    )
    current = await server.get(Deployment, "web", "default")
    assert isinstance(current, Deployment) and current.spec.replicas == 4


async def test_api10_empty_resource_version_is_unconditional(server: APIServer) -> None:
    created = await _dep(server)
    await server.patch(Deployment, "web", {"spec": {"replicas": 4}}, MERGE, "default")
    created.metadata.resource_version = ""
    created.spec.replicas = 1
    updated = await server.update(Deployment, created, "web", "default")
    assert isinstance(updated, Deployment) and updated.spec.replicas == 1


async def test_update_of_missing_object_is_404(server: APIServer) -> None:
    with pytest.raises(NotFound):
        await server.update(Deployment, deployment(), "web", "default")


async def test_update_name_must_match(server: APIServer) -> None:
    await _dep(server)
    with pytest.raises(BadRequest, match="does not match the name on the URL"):
        await server.update(Deployment, deployment("other"), "web", "default")


async def test_dep2_selector_is_immutable(server: APIServer) -> None:
    created = await _dep(server)
    revision = server.storage.revision
    created.spec.selector = LabelSelector(match_labels={"app": "web", "tier": "x"})
    created.spec.template.metadata.labels = {"app": "web", "tier": "x"}
    with pytest.raises(Invalid) as caught:
        await server.update(Deployment, created, "web", "default")
    assert caught.value.causes[0].field == "spec.selector"
    assert server.storage.revision == revision


async def test_strategic_patch_sets_image_like_kubectl(server: APIServer) -> None:
    await _dep(server)
    body = (
        b'{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],'
        b'"containers":[{"image":"busybox:2","name":"web"}]}}}}'
    )
    patched = await server.patch(Deployment, "web", body, STRATEGIC, "default")
    assert isinstance(patched, Deployment)
    assert [c.image for c in patched.spec.template.spec.containers] == ["busybox:2"]
    assert patched.spec.template.spec.containers[0].image_pull_policy == "IfNotPresent"
    assert patched.metadata.generation == 2


async def test_json_patch_and_failed_test_op(server: APIServer) -> None:
    await _dep(server)
    ok = await server.patch(
        Deployment, "web", b'[{"op":"replace","path":"/spec/replicas","value":6}]', JSON_PATCH, "default"
    )
    assert isinstance(ok, Deployment) and ok.spec.replicas == 6
    revision = server.storage.revision
    with pytest.raises(Invalid):
        await server.patch(
            Deployment, "web", b'[{"op":"test","path":"/spec/replicas","value":1}]', JSON_PATCH, "default"
        )
    assert server.storage.revision == revision


@pytest.mark.parametrize(
    ("body", "content_type"),
    [(b"{not json", MERGE), (b'{"op":"add"}', JSON_PATCH), (b"[1, 2]", MERGE)],
    ids=["malformed-json", "json-patch-not-a-list", "merge-patch-not-an-object"],
)
async def test_malformed_patches_are_bad_requests(server: APIServer, body: bytes, content_type: str) -> None:
    await _dep(server)
    revision = server.storage.revision
    with pytest.raises(BadRequest):
        await server.patch(Deployment, "web", body, content_type, "default")
    assert server.storage.revision == revision


async def test_patch_that_makes_the_object_invalid_is_rejected(server: APIServer) -> None:
    await _dep(server)
    with pytest.raises(Invalid) as caught:
        await server.patch(Deployment, "web", {"spec": {"replicas": -1}}, MERGE, "default")
    assert str(caught.value) == (
        'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0'
    )


async def test_gc7_finalizers_keep_object_until_removed(server: APIServer) -> None:
    sent = pod()
    sent.metadata.finalizers = ["example.com/hold"]
    await server.create(Pod, sent, "default")
    kept = await server.delete(Pod, "web", "default")
    assert isinstance(kept, Pod)
    assert kept.metadata.deletion_timestamp is not None
    assert kept.metadata.deletion_grace_period_seconds == 0
    assert kept.metadata.generation == 2
    with pytest.raises(Invalid, match="no new finalizers can be added if the object is being deleted"):
        await server.patch(
            Pod, "web", {"metadata": {"finalizers": ["example.com/hold", "b"]}}, MERGE, "default"
        )
    await server.patch(Pod, "web", {"metadata": {"finalizers": None}}, MERGE, "default")
    with pytest.raises(NotFound):
        await server.get(Pod, "web", "default")


async def test_api10_get_after_a_conflict_sees_the_write_it_conflicted_with(server: APIServer) -> None:
    """A write accepted into the group-commit batch but not yet committed already makes updates
    with the older resourceVersion conflict; a GET then waits for it, so a client retrying a
    conflict reads the winning version instead of the stale one (and retries forever)."""
    created = await _dep(server)
    winner: list[Deployment] = []

    async def write() -> None:
        patched = await server.patch(
            Deployment, "web", {"metadata": {"labels": {"w": "1"}}}, MERGE, "default"
        )
        assert isinstance(patched, Deployment)
        winner.append(patched)

    async with anyio.create_task_group() as group:
        group.start_soon(write)
        await anyio.lowlevel.checkpoint()  # the patch is accepted, its batch not yet committed
        with pytest.raises(Conflict):
            await server.update(Deployment, created, "web", "default")
        fresh = await server.get(Deployment, "web", "default")
    assert fresh.metadata.labels.get("w") == "1"
    assert fresh.metadata.resource_version == winner[0].metadata.resource_version
