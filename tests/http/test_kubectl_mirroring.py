"""The real kubectl against a served API with the EndpointSliceMirroring controller running:
`describe svc` (which reads EndpointSlices) shows the hand-made Endpoints of a selector-less
Service (EP-11 mirroring, EP-1)."""

from __future__ import annotations

from pathlib import Path

import anyio
import pytest

from kubelite.api.core import Service
from kubelite.api.discovery import EndpointSlice
from kubelite.client import InProcessClient
from kubelite.controllers.endpointslicemirroring import EndpointSliceMirroringController
from kubelite.controllers.runtime import Manager
from kubelite.informers import SharedInformerFactory
from tests.http.conftest import make_api
from tests.http.kubectl import Kubectl, require_kubectl, write_kubeconfig

pytestmark = pytest.mark.anyio

MANAGED_BY = "endpointslice.kubernetes.io/managed-by"
MANUAL = """apiVersion: v1
kind: Service
metadata: {name: manual}
spec:
  ports: [{port: 80, targetPort: 9376}]
---
apiVersion: v1
kind: Endpoints
metadata: {name: manual}
subsets:
- addresses: [{ip: 192.0.2.42}]
  ports: [{port: 9376}]
"""


async def test_ep11_kubectl_describe_svc_shows_mirrored_endpoints(tmp_path: Path) -> None:
    """EP-11 mirroring: after `kubectl apply` of a selector-less Service and its Endpoints at
    192.0.2.42:9376, `kubectl describe svc manual` lists `Endpoints: 192.0.2.42:9376`; the
    apiserver's own `kubernetes` Endpoints (labelled skip-mirror=true) gets no mirrored slice."""
    require_kubectl()
    manifest = tmp_path / "manual.yaml"
    manifest.write_text(MANUAL)
    async with make_api() as api, anyio.create_task_group() as group:
        await api.server.ensure_kubernetes_service("127.0.0.1", int(api.url.rsplit(":", 1)[1]))
        client = InProcessClient(api.server)
        manager = Manager(client, clock=api.clock)
        EndpointSliceMirroringController(manager, client)
        observer = SharedInformerFactory(client, clock=api.clock)
        slices = observer.lister(EndpointSlice)
        observer.start(group)
        await group.start(manager.run)
        kubectl = Kubectl(write_kubeconfig(tmp_path, api.url), tmp_path / "cache")
        applied = await kubectl.run("apply", "-f", str(manifest))
        assert applied.stdout == "service/manual created\nendpoints/manual created\n", applied.stderr
        with anyio.fail_after(20):
            await api.clock.run_until(lambda: bool(slices.list("default")))
        described = await kubectl.run("describe", "svc", "manual")
        assert described.code == 0, described.stderr
        ip = (await client.get(Service, "manual", "default")).spec.cluster_ip
        assert described.stdout.replace(ip, "IP").splitlines() == [
            "Name:                     manual",
            "Namespace:                default",
            "Labels:                   <none>",
            "Annotations:              <none>",
            "Selector:                 <none>",
            "Type:                     ClusterIP",
            "IP Family Policy:         SingleStack",
            "IP Families:              IPv4",
            "IP:                       IP",
            "IPs:                      IP",
            "Port:                     <unset>  80/TCP",
            "TargetPort:               9376/TCP",
            "Endpoints:                192.0.2.42:9376",
            "Session Affinity:         None",
            "Internal Traffic Policy:  Cluster",
            "Events:                   <none>",
        ]
        managers = {
            s.metadata.labels["kubernetes.io/service-name"]: s.metadata.labels.get(MANAGED_BY)
            for s in slices.list("default")
        }
        assert managers == {
            "manual": "endpointslicemirroring-controller.k8s.io",
            "kubernetes": None,  # the apiserver's own, not a mirror
        }
        group.cancel_scope.cancel()
