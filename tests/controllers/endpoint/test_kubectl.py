"""`kubectl get endpoints` and `kubectl get endpointslices` against the served API with both
controllers running: the Table columns (Name, Endpoints, Age; Name, AddressType, Ports, Endpoints,
Age) show what the controllers wrote (EP-3, EP-5, EP-11)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import anyio
import pytest

from kubelite.api.core import Endpoints, Node, Service, ServicePort, ServiceSpec
from kubelite.api.discovery import EndpointSlice
from kubelite.api.meta import ObjectMeta
from kubelite.client import EventRecorder, InProcessClient
from kubelite.controllers.endpoint import COMPONENT, EndpointsController
from kubelite.controllers.endpointslice import EndpointSliceController
from kubelite.controllers.runtime import Manager
from kubelite.informers import SharedInformerFactory
from tests.http.conftest import HTTPAPI, make_api
from tests.http.kubectl import Kubectl, require_kubectl, write_kubeconfig

from .support import pod

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[tuple[HTTPAPI, Kubectl, InProcessClient]]:
    require_kubectl()
    async with make_api() as api:
        client = InProcessClient(api.server)
        manager = Manager(client, clock=api.clock)
        recorder = EventRecorder(client, COMPONENT, clock=api.clock)
        EndpointsController(manager, client, recorder)
        EndpointSliceController(manager, client, recorder)
        async with anyio.create_task_group() as group:
            await group.start(recorder.run)
            await group.start(manager.run)
            yield api, Kubectl(write_kubeconfig(tmp_path, api.url), tmp_path / "cache"), client
            group.cancel_scope.cancel()


async def test_kubectl_get_endpoints_and_endpointslices_show_what_the_controllers_wrote(
    served: tuple[HTTPAPI, Kubectl, InProcessClient],
) -> None:
    """EP-3, EP-5: ready addresses as ip:port, up to three then "+ N more..."; a Service without
    ready pods shows <none>. EP-11: the slice row shows IPv4, the resolved port and its
    addresses (all five, the not-ready one too)."""
    api, kubectl, client = served
    await client.create(Node(metadata=ObjectMeta(name="node-1")))
    ports = [ServicePort(port=80, target_port=8080)]
    for name, selector in (("web", {"app": "web"}), ("idle", {"app": "idle"})):
        await client.create(
            Service(
                metadata=ObjectMeta(name=name, namespace="default"),
                spec=ServiceSpec(selector=selector, ports=ports),
            )
        )
    for i in range(1, 6):
        created = await client.create(pod(f"p{i}", ready=i != 5))
        created.status = pod(f"p{i}", f"10.0.0.{i}", ready=i != 5).status
        await client.update_status(created)
    observer = SharedInformerFactory(client, clock=api.clock)
    endpoints, slices = observer.lister(Endpoints), observer.lister(EndpointSlice)
    async with anyio.create_task_group() as group:
        observer.start(group)

        def written() -> bool:
            web, idle = endpoints.get("web", "default"), endpoints.get("idle", "default")
            filled = sum(len(s.endpoints) for s in slices.list("default")) == 5
            return (
                idle is not None
                and web is not None
                and len(web.subsets[0].not_ready_addresses) == 1
                and filled
            )

        with anyio.fail_after(20):
            await api.clock.run_until(written)
        group.cancel_scope.cancel()
    got = await kubectl.run("get", "endpoints")
    assert got.code == 0, got.stderr
    lines = got.stdout.splitlines()
    assert lines[0].split() == ["NAME", "ENDPOINTS", "AGE"]
    column = lines[0].index("ENDPOINTS")
    rows = [(line[:column].strip(), line[column:].rsplit(None, 1)[0]) for line in lines[1:]]
    assert rows == [("idle", "<none>"), ("web", "10.0.0.1:8080,10.0.0.2:8080,10.0.0.3:8080 + 1 more...")]

    got = await kubectl.run("get", "endpointslices", "-l", "kubernetes.io/service-name=web")
    assert got.code == 0, got.stderr
    lines = got.stdout.splitlines()
    assert lines[0].split() == ["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"]
    [row] = [line.split() for line in lines[1:]]
    assert row[0].startswith("web-") and len(row[0]) == len("web-") + 5
    assert row[1:6] == ["IPv4", "8080", "10.0.0.1,10.0.0.2,10.0.0.3", "+", "2"]
