"""The real kubectl (v1.32) over plain HTTP against the in-process API (kubectl-wire.md).

Covers `version`, `api-resources`, `get`, `apply -f` (create, update, unchanged, --server-side),
`create -f`, `replace -f`, `delete`, `get -w`, `auth can-i`, and the messages kubectl prints for NotFound,
AlreadyExists, Conflict and Invalid Status replies.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import anyio
import pytest
from anyio.abc import Process

from kubelite.api.apps import Deployment
from kubelite.api.core import ConfigMap, Pod
from kubelite.apiserver.patch import MERGE_PATCH as MERGE
from tests.apiserver.conftest import pod
from tests.http.conftest import HTTPAPI, make_api
from tests.http.kubectl import KUBECTL, Kubectl, require_kubectl, write_kubeconfig

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: {replicas}
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web}}
    spec:
      containers:
      - name: web
        image: {image}
"""


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[tuple[HTTPAPI, Kubectl]]:
    require_kubectl()
    async with make_api() as api:
        kubeconfig = write_kubeconfig(tmp_path, api.url)
        yield api, Kubectl(kubeconfig, tmp_path / "cache")


async def test_version_and_api_resources(served: tuple[HTTPAPI, Kubectl]) -> None:
    _api, kubectl = served
    version = await kubectl.run("version")
    assert version.code == 0, version.stderr
    assert "Server Version: v1.32.0" in version.stdout
    resources = await kubectl.run("api-resources")
    assert resources.code == 0, resources.stderr
    rows = {line.split()[0]: line.split() for line in resources.stdout.splitlines()[1:]}
    assert rows["deployments"][1:] == ["deploy", "apps/v1", "true", "Deployment"]
    assert rows["nodes"][1:] == ["no", "v1", "false", "Node"]


async def test_apply_create_update_unchanged_and_server_side(
    served: tuple[HTTPAPI, Kubectl], tmp_path: Path
) -> None:
    api, kubectl = served
    manifest = tmp_path / "web.yaml"
    manifest.write_text(DEPLOYMENT.format(replicas=2, image="busybox:1.36"))
    first = await kubectl.run("apply", "-f", str(manifest))
    assert (first.code, first.stdout.strip()) == (0, "deployment.apps/web created"), first.stderr
    stored = await api.server.get(Deployment, "web", "default")
    annotation = stored.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]
    assert annotation.endswith("\n") and '"replicas":2' in annotation

    manifest.write_text(DEPLOYMENT.format(replicas=3, image="busybox:2"))
    second = await kubectl.run("apply", "-f", str(manifest))
    assert (second.code, second.stdout.strip()) == (0, "deployment.apps/web configured"), second.stderr
    stored = await api.server.get(Deployment, "web", "default")
    assert isinstance(stored, Deployment) and stored.spec.replicas == 3
    assert [c.image for c in stored.spec.template.spec.containers] == ["busybox:2"]

    third = await kubectl.run("apply", "-f", str(manifest))
    assert (third.code, third.stdout.strip()) == (0, "deployment.apps/web unchanged"), third.stderr

    ssa = tmp_path / "cm.yaml"
    ssa.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: '1'\n")
    applied = await kubectl.run("apply", "--server-side", "-f", str(ssa))
    assert (applied.code, applied.stdout.strip()) == (0, "configmap/cfg serverside-applied"), applied.stderr
    assert (await api.server.get(ConfigMap, "cfg", "default")).data == {"a": "1"}  # type: ignore[attr-defined]


async def test_create_replace_delete_and_error_messages(
    served: tuple[HTTPAPI, Kubectl], tmp_path: Path
) -> None:
    _api, kubectl = served
    manifest = tmp_path / "cm.yaml"
    manifest.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: '1'\n")
    created = await kubectl.run("create", "-f", str(manifest))
    assert (created.code, created.stdout.strip()) == (0, "configmap/cfg created"), created.stderr
    again = await kubectl.run("create", "-f", str(manifest))
    assert again.code == 1
    assert (
        again.stderr.strip()
        == f'Error from server (AlreadyExists): error when creating "{manifest}": configmaps "cfg" already exists'
    )

    manifest.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: '2'\n")
    replaced = await kubectl.run("replace", "-f", str(manifest))
    assert (replaced.code, replaced.stdout.strip()) == (0, "configmap/cfg replaced"), replaced.stderr
    stale = tmp_path / "stale.yaml"
    stale.write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  resourceVersion: '1'\ndata:\n  a: '3'\n"
    )
    conflict = await kubectl.run("replace", "-f", str(stale))
    assert conflict.code == 1
    assert "Error from server (Conflict)" in conflict.stderr
    assert (
        'Operation cannot be fulfilled on configmaps "cfg": the object has been modified' in conflict.stderr
    )

    deleted = await kubectl.run("delete", "configmap", "cfg")
    assert (deleted.code, deleted.stdout.strip()) == (0, 'configmap "cfg" deleted'), deleted.stderr
    missing = await kubectl.run("get", "configmap", "cfg")
    assert missing.code == 1
    assert missing.stderr.strip() == 'Error from server (NotFound): configmaps "cfg" not found'

    bad = tmp_path / "bad.yaml"
    bad.write_text(
        DEPLOYMENT.format(replicas=-1, image="busybox").replace("name: web\nspec", "name: bad\nspec")
    )
    invalid = await kubectl.run("create", "-f", str(bad))
    assert invalid.code == 1
    assert (
        'The Deployment "bad" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0'
        in invalid.stderr
    )


async def test_get_pods_and_get_watch(served: tuple[HTTPAPI, Kubectl]) -> None:
    api, kubectl = served
    await api.server.create(Pod, pod("a", app="web"), "default")
    await api.server.create(Pod, pod("b", app="db"), "default")
    got = await kubectl.run("get", "pods", "-l", "app=web")
    assert got.code == 0, got.stderr
    lines = got.stdout.splitlines()
    assert lines[0].split()[0] == "NAME" and [line.split()[0] for line in lines[1:]] == ["a"]
    as_yaml = await kubectl.run("get", "pod", "b", "-o", "yaml")
    assert "kind: Pod" in as_yaml.stdout and "name: b" in as_yaml.stdout

    process = await anyio.open_process([KUBECTL, "get", "pods", "-w"], env=kubectl.env)
    seen = ""
    try:
        seen = await watch_until_modified(api, process)
    finally:
        process.kill()
        with anyio.fail_after(5):
            await process.aclose()
    assert [line.split()[0] for line in seen.splitlines()] == ["NAME", "a", "b", "c", "c"], seen


async def watch_until_modified(api: HTTPAPI, process: Process) -> str:
    """Read `kubectl get pods -w` until pod c was printed when ADDED and again when MODIFIED."""
    assert process.stdout is not None
    seen, step = "", 0
    with anyio.fail_after(20):
        async for chunk in process.stdout:
            seen += chunk.decode()
            rows = [line.split()[0] for line in seen.splitlines()[1:] if line]
            if len(rows) >= 2 and step == 0:
                step = 1
                await api.server.create(Pod, pod("c"), "default")
            if rows.count("c") == 1 and step == 1:
                step = 2
                await api.server.patch(Pod, "c", {"metadata": {"labels": {"x": "y"}}}, MERGE, "default")
            if rows.count("c") == 2 and seen.endswith("\n"):
                return seen
    return seen


async def test_auth_can_i_is_answered_yes(served: tuple[HTTPAPI, Kubectl]) -> None:
    """`kubectl auth can-i` posts a SelfSubjectAccessReview (protobuf); kubelite has no authorization,
    so the caller may do everything, as a `system:masters` user may in Kubernetes."""
    _api, kubectl = served
    for args in (("create", "pods"), ("delete", "deployments.apps", "-n", "dev"), ("get", "/healthz")):
        result = await kubectl.run("auth", "can-i", *args)
        assert (result.code, result.stdout.strip()) == (0, "yes"), result.stderr
