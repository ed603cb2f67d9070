"""The real kubectl prints kubelite's Tables: `get pods` (and `-o wide`), `get nodes`, `get deploy`,
`get all` and `get events` show Kubernetes' headers and the server-computed cells.

The API is served in-process on 127.0.0.1 (plain HTTP, no auth) over the memory store with a
FakeClock, so every Age is exact; kubectl runs as a subprocess with a fresh discovery cache.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import anyio
import msgspec
import pytest

from kubelite.api.apps import Deployment
from kubelite.api.core import Event, Node, Pod, Service
from kubelite.clock import rfc3339

from ..conftest import HTTPAPI

pytestmark = pytest.mark.anyio

KUBECTL = shutil.which("kubectl") or "/usr/bin/kubectl"


def kubeconfig(directory: Path, url: str) -> Path:
    path = directory / "kubeconfig.yaml"
    path.write_text(
        "apiVersion: v1\nkind: Config\n"
        f"clusters:\n- name: k\n  cluster:\n    server: {url}\n"
        "users:\n- name: u\n  user: {}\n"
        "contexts:\n- name: k\n  context:\n    cluster: k\n    user: u\n    namespace: default\n"
        "current-context: k\n"
    )
    return path


@pytest.fixture
def env(api: HTTPAPI, tmp_path: Path) -> dict[str, str]:
    """The environment kubectl runs in: a kubeconfig for `api` and a fresh discovery cache."""
    if not Path(KUBECTL).exists():
        pytest.fail("kubectl is required (issue 12: the real-kubectl tests must run)")
    config = str(kubeconfig(tmp_path, api.url))
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "KUBECONFIG": config,
        "KUBECACHEDIR": str(tmp_path / "c"),
    }


async def kubectl(env: dict[str, str], *args: str) -> list[list[str]]:
    """kubectl's stdout as lines of whitespace-separated words (it must exit 0)."""
    with anyio.fail_after(30):
        done = await anyio.run_process([KUBECTL, *args], env=env, check=False)
    assert done.returncode == 0, done.stderr.decode()
    return [line.split() for line in done.stdout.decode().splitlines()]


def rfc(api: HTTPAPI, seconds_ago: float) -> str:
    return rfc3339(api.clock.now() - seconds_ago)


async def seed(api: HTTPAPI) -> None:
    """A node, two pods (one running, one initializing), a deployment, a service and an event."""
    await _node(api)
    await _pods(api)
    await _workloads(api)


async def _node(api: HTTPAPI) -> None:
    server = api.server
    node = await server.create(
        Node,
        msgspec.convert(
            {"metadata": {"name": "node1", "labels": {"node-role.kubernetes.io/control-plane": ""}}}, Node
        ),
    )
    node_status: dict[str, Any] = {
        "conditions": [{"type": "Ready", "status": "True"}],
        "addresses": [{"type": "InternalIP", "address": "10.0.0.1"}],
        "nodeInfo": {"kubeletVersion": "v1.32.0"},
    }
    node.status = msgspec.convert(node_status, type(node.status))  # type: ignore[attr-defined]
    await server.update(Node, node, "node1", subresource="status")


async def _pods(api: HTTPAPI) -> None:
    await _pod(
        api,
        "web-1",
        {
            "phase": "Running",
            "podIPs": [{"ip": "10.244.0.7"}],
            "containerStatuses": [
                {
                    "name": "web",
                    "ready": True,
                    "restartCount": 2,
                    "state": {"running": {}},
                    "lastState": {"terminated": {"exitCode": 1, "finishedAt": rfc(api, 0)}},
                }
            ],
        },
    )
    await _pod(
        api,
        "init-1",
        {
            "phase": "Pending",
            "initContainerStatuses": [
                {"name": "setup", "ready": False, "state": {"waiting": {"reason": "CrashLoopBackOff"}}}
            ],
        },
        init=True,
    )


async def _workloads(api: HTTPAPI) -> None:
    server = api.server
    await server.create(
        Deployment,
        msgspec.convert(
            {
                "metadata": {"name": "web"},
                "spec": {
                    "replicas": 3,
                    "selector": {"matchLabels": {"app": "web"}},
                    "template": {
                        "metadata": {"labels": {"app": "web"}},
                        "spec": {"containers": [{"name": "web", "image": "busybox:1.36"}]},
                    },
                },
            },
            Deployment,
        ),
        "default",
    )
    await server.create(
        Service,
        msgspec.convert(
            {
                "metadata": {"name": "web"},
                "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "protocol": "TCP"}]},
            },
            Service,
        ),
        "default",
    )
    await server.create(Event, msgspec.convert({"metadata": {"name": "web-1.1"}, "involvedObject": {
        "kind": "Pod", "name": "web-1", "namespace": "default"}, "reason": "Scheduled", "type": "Normal",
        "message": "Successfully assigned default/web-1 to node1", "firstTimestamp": rfc(api, 0),
        "lastTimestamp": rfc(api, 0), "count": 1}, Event), "default")  # fmt: skip


async def _pod(api: HTTPAPI, name: str, status: dict[str, Any], *, init: bool = False) -> None:
    spec: dict[str, Any] = {"nodeName": "node1", "containers": [{"name": "web", "image": "busybox:1.36"}]}
    if init:
        spec["initContainers"] = [{"name": "setup", "image": "busybox:1.36"}]
    pod = await api.server.create(
        Pod, msgspec.convert({"metadata": {"name": name}, "spec": spec}, Pod), "default"
    )
    pod.status = msgspec.convert(status, type(pod.status))  # type: ignore[attr-defined]
    await api.server.update(Pod, pod, name, "default", subresource="status")


@pytest.fixture
async def seeded(api: HTTPAPI) -> HTTPAPI:
    await seed(api)
    api.clock.advance(75)
    return api


async def test_get_pods_and_wide(seeded: HTTPAPI, env: dict[str, str]) -> None:
    lines = await kubectl(env, "get", "pods")
    assert lines == [
        ["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
        ["init-1", "0/1", "Init:CrashLoopBackOff", "0", "75s"],
        ["web-1", "1/1", "Running", "2", "(75s", "ago)", "75s"],
    ]
    wide = await kubectl(env, "get", "pods", "-o", "wide")
    assert wide[0] == [*lines[0], "IP", "NODE", "NOMINATED", "NODE", "READINESS", "GATES"]
    assert wide[2] == [*lines[2], "10.244.0.7", "node1", "<none>", "<none>"]


async def test_get_nodes(seeded: HTTPAPI, env: dict[str, str]) -> None:
    assert await kubectl(env, "get", "nodes") == [
        ["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
        ["node1", "Ready", "control-plane", "75s", "v1.32.0"],
    ]


async def test_get_deploy_wide(seeded: HTTPAPI, env: dict[str, str]) -> None:
    assert await kubectl(env, "get", "deploy", "-o", "wide") == [
        ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"],
        ["web", "0/3", "0", "0", "75s", "web", "busybox:1.36", "app=web"],
    ]


async def test_get_all(seeded: HTTPAPI, env: dict[str, str]) -> None:
    lines = await kubectl(env, "get", "all")
    service = await seeded.server.get(Service, "web", "default")
    cluster_ip = service.spec.cluster_ip  # type: ignore[attr-defined]
    assert ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"] in lines
    assert ["service/web", "ClusterIP", cluster_ip, "<none>", "80/TCP", "75s"] in lines
    assert ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"] in lines
    assert ["deployment.apps/web", "0/3", "0", "0", "75s"] in lines
    assert ["pod/web-1", "1/1", "Running", "2", "(75s", "ago)", "75s"] in lines


async def test_get_events(seeded: HTTPAPI, env: dict[str, str]) -> None:
    assert await kubectl(env, "get", "events") == [
        ["LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
        [
            "75s",
            "Normal",
            "Scheduled",
            "pod/web-1",
            *["Successfully", "assigned", "default/web-1", "to", "node1"],
        ],
    ]
