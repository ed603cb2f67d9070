"""The real kubectl's imperative commands, whose bodies are protobuf, against the HTTP server
(issue 12 item 2: kubectl does not retry with JSON after a 415, so these only work if we decode)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import anyio
import pytest

from kubelite.api.apps import Deployment
from kubelite.api.batch import Job
from kubelite.api.core import ConfigMap, Namespace, Pod, Secret, Service
from tests.http.conftest import HTTPAPI

KUBECTL = shutil.which("kubectl") or "/usr/bin/kubectl"
HAVE_KUBECTL = Path(KUBECTL).exists()
pytestmark = [pytest.mark.anyio, pytest.mark.slow]


def kubeconfig(directory: Path, url: str) -> Path:
    path = directory / "kubeconfig.yaml"
    path.write_text(
        "apiVersion: v1\nkind: Config\n"
        f"clusters:\n- name: k\n  cluster:\n    server: {url}\n"
        "users:\n- name: admin\n  user: {}\n"
        "contexts:\n- name: k\n  context:\n    cluster: k\n    user: admin\n    namespace: default\n"
        "current-context: k\n"
    )
    return path


async def kubectl(tmp_path: Path, url: str, *args: str) -> str:
    """kubectl's stdout; it must succeed."""
    if not HAVE_KUBECTL:
        pytest.fail("kubectl is required for these tests (issue 12: CI fails if kubectl is missing)")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "KUBECONFIG": str(kubeconfig(tmp_path, url)),
        "KUBECACHEDIR": str(tmp_path / "cache"),
    }
    with anyio.fail_after(30):
        done = await anyio.run_process([KUBECTL, *args], env=env, check=False)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode().strip()


async def test_kubectl_create_imperative_commands(api: HTTPAPI, tmp_path: Path) -> None:
    run = lambda *args: kubectl(tmp_path, api.url, *args)  # noqa: E731
    assert await run("create", "namespace", "foo") == "namespace/foo created"
    assert await run("create", "configmap", "cm", "--from-literal=a=b") == "configmap/cm created"
    assert await run("create", "secret", "generic", "s", "--from-literal=pw=s3cr3t") == "secret/s created"
    out = await run("create", "deployment", "web", "--image=nginx:1.25", "--replicas=3", "--port=80")
    assert out == "deployment.apps/web created"
    assert await run("create", "job", "pi", "--image=busybox", "--", "echo", "hi") == "job.batch/pi created"
    assert await run("create", "service", "clusterip", "svc", "--tcp=80:8080") == "service/svc created"

    assert (await api.server.get(Namespace, "foo", "")).metadata.name == "foo"
    assert (await api.server.get(ConfigMap, "cm", "default")).data == {"a": "b"}
    assert (await api.server.get(Secret, "s", "default")).data == {"pw": "czNjcjN0"}
    deployment = await api.server.get(Deployment, "web", "default")
    assert deployment.spec.replicas == 3
    container = deployment.spec.template.spec.containers[0]
    assert (container.image, container.ports[0].container_port) == ("nginx:1.25", 80)
    job = await api.server.get(Job, "pi", "default")
    assert job.spec.template.spec.containers[0].command == ["echo", "hi"]
    service = await api.server.get(Service, "svc", "default")
    assert (service.spec.ports[0].port, service.spec.ports[0].target_port) == (80, 8080)


NODE = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1"}}


def pod(name: str) -> dict[str, object]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name},
        "spec": {"nodeName": "n1", "containers": [{"name": "c", "image": "busybox"}]},
    }


async def test_kubectl_drain_delete_fallback_sends_protobuf_delete_options(
    api: HTTPAPI, tmp_path: Path
) -> None:
    """`drain --disable-eviction` DELETEs each pod with a protobuf DeleteOptions body; its
    gracePeriodSeconds=0 (a pointer zero) must reach the server as 0: the pods go at once and the
    drain completes."""
    assert (await api.call("POST", "/api/v1/nodes", NODE))[0] == 201
    for name in ("p1", "p2"):
        assert (await api.call("POST", "/api/v1/namespaces/default/pods", pod(name)))[0] == 201
    out = await kubectl(
        tmp_path, api.url, "drain", "n1", "--disable-eviction", "--force", "--grace-period=0", "--timeout=20s"
    )
    assert out.splitlines()[-1] == "node/n1 drained"
    assert [p.metadata.name for p in (await api.server.list(Pod, namespace="default")).items] == []
