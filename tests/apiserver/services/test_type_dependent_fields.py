"""What a Service update keeps, drops or refuses as upstream's registry does
(`pkg/registry/core/service/strategy.go` dropTypeDependentFields, `storage.go` patchAllocatedValues).

- Node ports are wiped when the type stops using them and the request adds no node port the stored
  Service did not hold: a type change that also edits, reorders or removes ports still frees them.
- A port the request leaves without a node port gets the stored one of the same name, unless the
  request already gives that node port to another port (then it gets a fresh one).
- A field that only a LoadBalancer (or an externally reachable Service) uses is dropped only when
  the stored Service was of such a type and the request did not change it; otherwise it reaches
  validation and the update is refused, the stored Service unchanged.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kubelite.api.core import Service, ServicePort
from kubelite.api.errors import Invalid
from kubelite.apiserver import APIServer

from .helpers import create, held, service, stored

pytestmark = pytest.mark.anyio


async def put(server: APIServer, svc: Service) -> Service:
    updated = await server.update(Service, svc, svc.metadata.name, "default")
    assert isinstance(updated, Service)
    return updated


def dns_ports(node_port: int = 30053) -> list[ServicePort]:
    return [
        ServicePort(name="tcp", port=53, protocol="TCP", node_port=node_port),
        ServicePort(name="udp", port=53, protocol="UDP", node_port=node_port),
    ]


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda ports: ports[:1], id="a-port-removed"),
        pytest.param(lambda ports: ports[::-1], id="ports-reordered"),
        pytest.param(lambda ports: [*ports, ServicePort(name="http", port=80)], id="a-port-added"),
    ],
)
async def test_node_port_to_cluster_ip_with_port_edits_frees_the_node_ports(
    server: APIServer, edit: Callable[[list[ServicePort]], list[ServicePort]]
) -> None:
    made = await create(server, service("a", "NodePort", ports=dns_ports()))
    made.spec.type = "ClusterIP"
    made.spec.ports = edit(made.spec.ports)
    plain = await put(server, made)
    assert [p.node_port for p in plain.spec.ports] == [0] * len(plain.spec.ports)
    assert plain.spec.external_traffic_policy == ""
    assert (await held(server))[1] == set()
    again = await create(server, service("b", "NodePort", ports=[ServicePort(port=80, node_port=30053)]))
    assert again.spec.ports[0].node_port == 30053


async def test_a_net_new_node_port_on_the_way_to_cluster_ip_is_refused(server: APIServer) -> None:
    made = await create(server, service("a", "NodePort", ports=[ServicePort(port=80, node_port=30080)]))
    made.spec.type = "ClusterIP"
    made.spec.ports[0].node_port = 30081
    before = await stored(server)
    with pytest.raises(Invalid) as caught:
        await put(server, made)
    assert caught.value.status.message == (
        "Service \"a\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"
    )
    assert await stored(server) == before


async def test_a_node_port_moved_to_another_port_is_not_given_twice(server: APIServer) -> None:
    made = await create(
        server, service("a", "NodePort", ports=[ServicePort(name="a", port=80, node_port=30080)])
    )
    made.spec.ports = [ServicePort(name="b", port=81, node_port=30080), ServicePort(name="a", port=80)]
    moved = await put(server, made)
    by_name = {p.name: p.node_port for p in moved.spec.ports}
    assert by_name["b"] == 30080
    assert 30000 <= by_name["a"] <= 32767 and by_name["a"] != 30080
    assert (await held(server))[1] == {30080, by_name["a"]}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        pytest.param(
            "load_balancer_class",
            "example.com/lb",
            "spec.loadBalancerClass: Forbidden: may only be used when `type` is 'LoadBalancer'",
            id="loadBalancerClass",
        ),
        pytest.param(
            "allocate_load_balancer_node_ports",
            False,
            "spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is 'LoadBalancer'",
            id="allocateLoadBalancerNodePorts",
        ),
        pytest.param(
            "external_traffic_policy",
            "Local",
            'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services',
            id="externalTrafficPolicy",
        ),
    ],
)
async def test_a_cluster_ip_service_given_a_load_balancer_field_is_refused(
    server: APIServer, field: str, value: object, message: str
) -> None:
    made = await create(server, service("a"))
    setattr(made.spec, field, value)
    before = await stored(server)
    with pytest.raises(Invalid) as caught:
        await put(server, made)
    assert caught.value.status.message == f'Service "a" is invalid: {message}'
    assert await stored(server) == before


async def test_leaving_load_balancer_with_a_changed_class_is_refused(server: APIServer) -> None:
    made = await create(server, service("a", "LoadBalancer", load_balancer_class="example.com/lb"))
    made.spec.type = "ClusterIP"
    made.spec.load_balancer_class = "example.com/other"
    with pytest.raises(Invalid) as caught:
        await put(server, made)
    assert caught.value.status.message == (
        "Service \"a\" is invalid: spec.loadBalancerClass: Forbidden: may only be used when `type` is 'LoadBalancer'"
    )
    assert (await stored(server))["a"].spec.type == "LoadBalancer"


async def test_leaving_node_port_keeps_a_traffic_policy_it_may_still_use(server: APIServer) -> None:
    made = await create(server, service("a", "NodePort", external_traffic_policy="Local"))
    made.spec.type = "ClusterIP"
    made.spec.external_ips = ["192.0.2.10"]
    plain = await put(server, made)
    assert plain.spec.external_traffic_policy == "Local"
    assert plain.spec.ports[0].node_port == 0


async def test_an_external_name_with_external_ips_is_not_externally_accessible(server: APIServer) -> None:
    """Upstream's ExternallyAccessible: NodePort, LoadBalancer, or ClusterIP with externalIPs."""
    named = service(
        "a", "ExternalName", ports=[], external_name="db.example.com", external_ips=["192.0.2.10"]
    )
    made = await create(server, named)
    assert made.spec.external_traffic_policy == ""
    local = service(
        "b", "ExternalName", ports=[], external_name="db.example.com", external_ips=["192.0.2.10"]
    )
    local.spec.external_traffic_policy = "Local"
    with pytest.raises(Invalid) as caught:
        await create(server, local)
    assert caught.value.status.message == (
        'Service "b" is invalid: spec.externalTrafficPolicy: Invalid value: "Local": '
        "may only be set for externally-accessible services"
    )
    assert "b" not in await stored(server)
