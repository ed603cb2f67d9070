"""Bad input gets Kubernetes' Status (code, reason, causes) and changes nothing in the store.

One table of rejections; each runs against a server holding a Deployment `web` and a Pod `web`,
and the whole store (every resource, every byte, the revision) must be identical afterwards.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import msgspec
import pytest

from kubelite.api.apps import Deployment
from kubelite.api.core import Namespace, Pod
from kubelite.api.errors import APIError
from kubelite.api.meta import LabelSelector
from kubelite.apiserver import APIServer, RequestContext

from .conftest import deployment, pod

pytestmark = pytest.mark.anyio
MERGE = "application/merge-patch+json"
JSON_PATCH = "application/json-patch+json"
STRATEGIC = "application/strategic-merge-patch+json"

Action = Callable[[APIServer], Awaitable[object]]


@dataclass(frozen=True)
class Case:
    id: str
    action: Action
    code: int
    reason: str
    field: str = ""
    message: str = ""


def _with(**changes: object) -> Deployment:
    dep = deployment("new")
    for path, value in changes.items():
        target: object = dep
        *parents, last = path.split("__")
        for part in parents:
            target = getattr(target, part)
        setattr(target, last, value)
    return dep


async def _stale_update(server: APIServer) -> object:
    current = await server.get(Deployment, "web", "default")
    assert isinstance(current, Deployment)
    current.metadata.resource_version = "1"
    current.spec.replicas = 9
    return await server.update(Deployment, current, "web", "default")


async def _selector_change(server: APIServer) -> object:
    current = await server.get(Deployment, "web", "default")
    assert isinstance(current, Deployment)
    current.spec.selector = LabelSelector(match_labels={"app": "other"})
    current.spec.template.metadata.labels = {"app": "other"}
    return await server.update(Deployment, current, "web", "default")


CASES = [
    Case(
        "invalid-name",
        lambda s: s.create(Deployment, _with(metadata__name="Web!"), "default"),
        422,
        "Invalid",
        "metadata.name",
    ),
    Case(
        "invalid-label-key",
        lambda s: s.create(Deployment, _with(metadata__labels={"bad key": "v"}), "default"),
        422,
        "Invalid",
        "metadata.labels",
    ),
    Case(
        "invalid-label-value",
        lambda s: s.create(Deployment, _with(metadata__labels={"k": "x" * 64}), "default"),
        422,
        "Invalid",
        "metadata.labels",
    ),
    Case(
        "negative-replicas",
        lambda s: s.create(Deployment, _with(spec__replicas=-1), "default"),
        422,
        "Invalid",
        "spec.replicas",
    ),
    Case(
        "selector-template-mismatch",
        lambda s: s.create(
            Deployment, _with(spec__selector=LabelSelector(match_labels={"app": "zzz"})), "default"
        ),
        422,
        "Invalid",
        "spec.template.metadata.labels",
    ),
    Case(
        "bad-selector-operator",
        lambda s: s.create(
            Deployment,
            {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "metadata": {"name": "x"},
                "spec": {
                    "selector": {"matchExpressions": [{"key": "app", "operator": "Near"}]},
                    "template": {
                        "metadata": {"labels": {"app": "x"}},
                        "spec": {"containers": [{"name": "c", "image": "i"}]},
                    },
                },
            },
            "default",
        ),
        422,
        "Invalid",
        "spec.selector.matchExpressions[0].operator",
    ),
    Case("immutable-selector", _selector_change, 422, "Invalid", "spec.selector"),
    Case("stale-resource-version", _stale_update, 409, "Conflict", message="the object has been modified"),
    Case(
        "duplicate-create",
        lambda s: s.create(Deployment, deployment("web"), "default"),
        409,
        "AlreadyExists",
        message='deployments.apps "web" already exists',
    ),
    Case(
        "missing-namespace",
        lambda s: s.create(Pod, pod(namespace="ghost"), "ghost"),
        404,
        "NotFound",
        message='namespaces "ghost" not found',
    ),
    Case(
        "wrong-type",
        lambda s: s.create(
            Deployment,
            {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "metadata": {"name": "x"},
                "spec": {"replicas": "two"},
            },
            "default",
        ),
        400,
        "BadRequest",
        message="spec.replicas",
    ),
    Case(
        "wrong-kind",
        lambda s: s.create(
            Deployment, {"apiVersion": "apps/v1", "kind": "Service", "metadata": {"name": "x"}}, "default"
        ),
        400,
        "BadRequest",
    ),
    Case(
        "strict-unknown-field",
        lambda s: s.create(
            Pod,
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {"name": "p"},
                "spec": {"containers": [{"name": "c", "image": "i", "imageTag": "x"}]},
            },
            "default",
            RequestContext(field_validation="Strict"),
        ),
        400,
        "BadRequest",
        message='unknown field "spec.containers[0].imageTag"',
    ),
    Case(
        "malformed-merge-patch",
        lambda s: s.patch(Deployment, "web", b"{oops", MERGE, "default"),
        400,
        "BadRequest",
    ),
    Case(
        "malformed-json-patch",
        lambda s: s.patch(Deployment, "web", b'[{"op":"frobnicate","path":"/spec"}]', JSON_PATCH, "default"),
        400,
        "BadRequest",
    ),
    Case(
        "malformed-strategic-patch",
        lambda s: s.patch(Deployment, "web", b'"just a string"', STRATEGIC, "default"),
        400,
        "BadRequest",
    ),
    Case(
        "unsupported-patch-type",
        lambda s: s.patch(Deployment, "web", b"{}", "text/plain", "default"),
        415,
        "UnsupportedMediaType",
    ),
    Case(
        "patch-to-invalid",
        lambda s: s.patch(Deployment, "web", {"spec": {"replicas": -5}}, MERGE, "default"),
        422,
        "Invalid",
        "spec.replicas",
    ),
    Case(
        "patch-missing",
        lambda s: s.patch(Deployment, "ghost", {"spec": {}}, MERGE, "default"),
        404,
        "NotFound",
    ),
    Case(
        "bad-label-selector", lambda s: s.list(Pod, "default", label_selector="app in (a"), 400, "BadRequest"
    ),
    Case(
        "unsupported-field-selector",
        lambda s: s.list(Pod, "default", field_selector="spec.image=x"),
        400,
        "BadRequest",
        message="field label not supported: spec.image",
    ),
    Case(
        "bad-field-validation-value",
        lambda s: s.create(Pod, pod("p"), "default", RequestContext(field_validation="Loud")),
        400,
        "BadRequest",
    ),
    Case(
        "delete-bad-policy",
        lambda s: s.delete(Deployment, "web", "default", {"propagationPolicy": "Sideways"}),
        422,
        "Invalid",
    ),
    Case(
        "delete-bad-options-type",
        lambda s: s.delete(Deployment, "web", "default", {"gracePeriodSeconds": "soon"}),
        400,
        "BadRequest",
    ),
    Case(
        "bind-missing-target",
        lambda s: s.bind("web", {"target": {"kind": "Node"}}, "default"),
        422,
        "Invalid",
    ),
    Case("watch-bad-revision", lambda s: _open_watch(s, "yesterday"), 400, "BadRequest"),
    Case(
        "scale-name-mismatch",
        lambda s: s.update_scale(
            Deployment, "web", {"metadata": {"name": "db"}, "spec": {"replicas": 7}}, "default"
        ),
        400,
        "BadRequest",
        message="the name of the object (db) does not match the name on the URL (web)",
    ),
    Case(
        "scale-namespace-mismatch",
        lambda s: s.update_scale(
            Deployment,
            "web",
            {"metadata": {"name": "web", "namespace": "kube-system"}, "spec": {"replicas": 7}},
            "default",
        ),
        400,
        "BadRequest",
        message="the namespace of the object (kube-system) does not match the namespace on the request (default)",
    ),
    Case(
        "binding-name-mismatch",
        lambda s: s.bind(
            "web", {"metadata": {"name": "db"}, "target": {"kind": "Node", "name": "n1"}}, "default"
        ),
        400,
        "BadRequest",
        message="name in URL does not match name in Binding object",
    ),
    Case(
        "binding-namespace-mismatch",
        lambda s: s.bind(
            "web",
            {
                "metadata": {"name": "web", "namespace": "kube-system"},
                "target": {"kind": "Node", "name": "n1"},
            },
            "default",
        ),
        400,
        "BadRequest",
        message="the namespace of the provided object does not match the namespace sent on the request",
    ),
    Case(
        "eviction-name-mismatch",
        lambda s: s.evict("web", {"metadata": {"name": "db"}}, "default"),
        400,
        "BadRequest",
        message="name in URL does not match name in Eviction object",
    ),
    Case(
        "eviction-namespace-mismatch",
        lambda s: s.evict("web", {"metadata": {"name": "web", "namespace": "kube-system"}}, "default"),
        400,
        "BadRequest",
        message="the namespace of the provided object does not match the namespace sent on the request",
    ),
    Case(
        "oversized-create",
        lambda s: s.create(Pod, _sized_pod("big", 20_000_000), "default"),
        413,
        "RequestEntityTooLarge",
        message="Request entity too large: ",
    ),
    Case(
        "oversized-status-patch",
        lambda s: s.patch(
            Pod, "web", {"status": {"message": "x" * 1_600_000}}, MERGE, "default", subresource="status"
        ),
        413,
        "RequestEntityTooLarge",
    ),
    Case(
        "unknown-subresource",
        lambda s: s.patch(
            Deployment, "web", {"spec": {"replicas": 1}}, MERGE, "default", subresource="finalize"
        ),
        404,
        "NotFound",
        message="the server could not find the requested resource",
    ),
    Case(
        "delete-builtin-namespace",
        lambda s: s.delete(Namespace, "kube-system"),
        403,
        "Forbidden",
        message='namespaces "kube-system" is forbidden: this namespace may not be deleted',
    ),
]


def _sized_pod(name: str, size: int) -> Pod:
    sent = pod(name)
    sent.spec.containers[0].args = ["x" * size]
    return sent


async def _open_watch(server: APIServer, revision: str) -> object:
    return server.watch(Pod, "default", resource_version=revision)


def _snapshot(server: APIServer) -> tuple[int, list[tuple[object, bytes, int]]]:
    rows: list[tuple[object, bytes, int]] = []
    for info in server.registry.all():
        records, _ = server.storage.list(info.qualified_plural)
        rows.extend((r.key, r.value, r.revision) for r in records)
    return server.storage.revision, rows


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_rejection_has_kubernetes_status_and_changes_nothing(server: APIServer, case: Case) -> None:
    await server.create(Deployment, deployment("web"), "default")
    await server.create(Pod, pod("web"), "default")
    before = _snapshot(server)
    with pytest.raises(APIError) as caught:
        await case.action(server)
    status = caught.value.status
    assert (status.code, status.reason, status.status) == (case.code, case.reason, "Failure")
    assert msgspec.json.decode(msgspec.json.encode(status))["kind"] == "Status"
    if case.field:
        assert status.details is not None
        assert case.field in [cause.field for cause in status.details.causes], status.message
    if case.message:
        assert case.message in status.message
    assert _snapshot(server) == before
