"""Services through the real kubectl: `get svc` (and `-o wide`, `get svc,ep`) with kubectl's
columns, `expose deployment --type NodePort` and `create service clusterip --tcp`, against a
served API whose `kubernetes` Service points at it (issue 11, part 3)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from kubelite.api.core import Service
from tests.http.conftest import HTTPAPI, make_api
from tests.http.kubectl import Kubectl, require_kubectl, write_kubeconfig

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: busybox:1.36, ports: [{containerPort: 8080}]}]
"""

LOAD_BALANCER = """apiVersion: v1
kind: Service
metadata: {name: lb}
spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{port: 443, nodePort: 30443}]
"""


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[tuple[HTTPAPI, Kubectl]]:
    require_kubectl()
    async with make_api() as api:
        port = int(api.url.rsplit(":", 1)[1])
        await api.server.ensure_kubernetes_service("127.0.0.1", port)
        yield api, Kubectl(write_kubeconfig(tmp_path, api.url), tmp_path / "cache")


def rows(text: str) -> list[list[str]]:
    return [line.split() for line in text.strip().splitlines()]


async def test_create_service_clusterip_and_get_svc(served: tuple[HTTPAPI, Kubectl]) -> None:
    api, kubectl = served
    created = await kubectl.run("create", "service", "clusterip", "x", "--tcp=80:8080")
    assert (created.code, created.stdout.strip()) == (0, "service/x created"), created.stderr
    x = await api.server.get(Service, "x", "default")
    assert isinstance(x, Service)
    assert (x.spec.ports[0].port, x.spec.ports[0].target_port, x.spec.ports[0].protocol) == (80, 8080, "TCP")
    listed = await kubectl.run("get", "svc")
    assert listed.code == 0, listed.stderr
    assert rows(listed.stdout) == [
        ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"],
        ["kubernetes", "ClusterIP", "10.96.0.1", "<none>", "443/TCP", "0s"],
        ["x", "ClusterIP", x.spec.cluster_ip, "<none>", "80/TCP", "0s"],
    ]
    wide = await kubectl.run("get", "svc", "x", "-o", "wide")
    assert rows(wide.stdout)[1] == ["x", "ClusterIP", x.spec.cluster_ip, "<none>", "80/TCP", "0s", "app=x"]


async def test_expose_a_deployment_as_a_node_port(served: tuple[HTTPAPI, Kubectl], tmp_path: Path) -> None:
    api, kubectl = served
    manifest = tmp_path / "web.yaml"
    manifest.write_text(DEPLOYMENT)
    assert (await kubectl.run("apply", "-f", str(manifest))).code == 0
    exposed = await kubectl.run(
        "expose", "deployment", "web", "--port", "80", "--target-port", "8080", "--type", "NodePort"
    )
    assert (exposed.code, exposed.stdout.strip()) == (0, "service/web exposed"), exposed.stderr
    web = await api.server.get(Service, "web", "default")
    assert isinstance(web, Service) and web.spec.selector == {"app": "web"}
    node_port = web.spec.ports[0].node_port
    assert 30000 <= node_port <= 32767 and web.spec.ports[0].target_port == 8080
    listed = await kubectl.run("get", "svc", "web", "-o", "wide")
    assert rows(listed.stdout)[1] == [
        "web",
        "NodePort",
        web.spec.cluster_ip,
        "<none>",
        f"80:{node_port}/TCP",
        "0s",
        "app=web",
    ]


async def test_a_load_balancer_stays_pending_and_get_svc_ep_shows_both(
    served: tuple[HTTPAPI, Kubectl], tmp_path: Path
) -> None:
    api, kubectl = served
    port = api.url.rsplit(":", 1)[1]
    manifest = tmp_path / "lb.yaml"
    manifest.write_text(LOAD_BALANCER)
    assert (await kubectl.run("apply", "-f", str(manifest))).code == 0
    both = await kubectl.run("get", "svc,ep")
    assert both.code == 0, both.stderr
    table = rows(both.stdout)
    lb = next(r for r in table if r[0] == "service/lb")
    assert lb[1] == "LoadBalancer" and lb[3:5] == ["<pending>", "443:30443/TCP"]
    assert ["endpoints/kubernetes", f"127.0.0.1:{port}", "0s"] in table
    taken = await kubectl.run("create", "service", "nodeport", "again", "--tcp=80:80", "--node-port=30443")
    assert taken.code == 1
    assert taken.stderr.strip() == (
        'error: failed to create NodePort service: Service "again" is invalid: '
        "spec.ports[0].nodePort: Invalid value: 30443: provided port is already allocated"
    )
