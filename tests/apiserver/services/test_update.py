"""Service updates as upstream's registry handles them: type changes allocate and free (frees only
once the write is stored), allocated values the request leaves out are kept, the primary cluster
IP may not change once set, and a rejected update changes nothing."""

from __future__ import annotations

import pytest

from kubelite.api.core import LoadBalancerIngress, LoadBalancerStatus, Service, ServicePort, ServiceStatus
from kubelite.api.errors import Invalid
from kubelite.apiserver import APIServer

from .helpers import create, held, service, stored

pytestmark = pytest.mark.anyio


async def put(server: APIServer, svc: Service) -> Service:
    updated = await server.update(Service, svc, svc.metadata.name, "default")
    assert isinstance(updated, Service)
    return updated


async def test_cluster_ip_to_node_port_allocates_and_back_frees(server: APIServer) -> None:
    made = await create(server, service("a"))
    made.spec.type = "NodePort"
    node = await put(server, made)
    port = node.spec.ports[0].node_port
    assert 30000 <= port <= 32767 and node.spec.cluster_ip == made.spec.cluster_ip
    assert node.spec.external_traffic_policy == "Cluster"
    node.spec.type = "ClusterIP"
    back = await put(server, node)
    assert back.spec.ports[0].node_port == 0 and back.spec.external_traffic_policy == ""
    assert await held(server) == ({made.spec.cluster_ip}, set())
    other = await create(server, service("b", "NodePort", ports=[ServicePort(port=80, node_port=port)]))
    assert other.spec.ports[0].node_port == port


async def test_external_name_releases_the_cluster_ip_and_back_allocates(server: APIServer) -> None:
    made = await create(server, service("a", cluster_ip="10.96.0.20"))
    made.spec.type, made.spec.external_name, made.spec.selector = "ExternalName", "db.example.com", {}
    named = await put(server, made)
    assert (named.spec.cluster_ip, named.spec.cluster_ips, named.spec.ip_families) == ("", [], [])
    assert named.spec.ip_family_policy is None
    assert (await create(server, service("b", cluster_ip="10.96.0.20"))).spec.cluster_ip == "10.96.0.20"
    named.spec.type, named.spec.external_name = "ClusterIP", ""
    again = await put(server, named)
    assert again.spec.cluster_ip not in ("", "10.96.0.20") and again.spec.cluster_ips == [
        again.spec.cluster_ip
    ]
    assert again.spec.ip_families == ["IPv4"] and again.spec.ip_family_policy == "SingleStack"


async def test_a_request_without_allocated_values_keeps_them(server: APIServer) -> None:
    ports = [ServicePort(name="http", port=80), ServicePort(name="https", port=443)]
    made = await create(server, service("a", "LoadBalancer", ports=ports, external_traffic_policy="Local"))
    sent = service(
        "a", "LoadBalancer", ports=[ServicePort(name="https", port=443), ServicePort(name="http", port=80)]
    )
    sent.spec.external_traffic_policy = "Local"
    kept = await put(server, sent)
    by_name = {p.name: p.node_port for p in made.spec.ports}
    assert {p.name: p.node_port for p in kept.spec.ports} == by_name
    assert kept.spec.cluster_ip == made.spec.cluster_ip
    assert kept.spec.health_check_node_port == made.spec.health_check_node_port


async def test_node_port_changes_claim_the_new_and_free_the_old(server: APIServer) -> None:
    made = await create(server, service("a", "NodePort", ports=[ServicePort(port=80, node_port=30080)]))
    made.spec.ports[0].node_port = 30081
    moved = await put(server, made)
    assert moved.spec.ports[0].node_port == 30081
    assert (await held(server))[1] == {30081}
    await create(server, service("b", "NodePort", ports=[ServicePort(port=80, node_port=30080)]))
    moved.spec.ports[0].node_port = 30080
    before = await stored(server)
    with pytest.raises(Invalid) as caught:
        await put(server, moved)
    assert caught.value.status.message == (
        'Service "a" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated'
    )
    assert await stored(server) == before


async def test_a_rejected_update_frees_nothing_it_would_have_dropped(server: APIServer) -> None:
    made = await create(server, service("a", "NodePort", ports=[ServicePort(port=80, node_port=30080)]))
    made.spec.type = "ClusterIP"
    made.spec.selector = {"bad key!": "x"}  # invalid: the update is refused
    with pytest.raises(Invalid):
        await put(server, made)
    with pytest.raises(Invalid, match="provided port is already allocated"):
        await create(server, service("b", "NodePort", ports=[ServicePort(port=80, node_port=30080)]))


async def test_local_traffic_policy_allocates_and_frees_the_health_check_port(server: APIServer) -> None:
    made = await create(server, service("a", "LoadBalancer"))
    made.spec.external_traffic_policy = "Local"
    local = await put(server, made)
    check = local.spec.health_check_node_port
    assert 30000 <= check <= 32767
    local.spec.external_traffic_policy = "Cluster"
    cluster = await put(server, local)
    assert cluster.spec.health_check_node_port == 0
    assert check not in (await held(server))[1]


async def test_the_primary_cluster_ip_may_not_change_once_set(server: APIServer) -> None:
    made = await create(server, service("a", cluster_ip="10.96.0.20"))
    made.spec.cluster_ip, made.spec.cluster_ips = "10.96.0.21", ["10.96.0.21"]
    with pytest.raises(Invalid) as caught:
        await put(server, made)
    assert caught.value.status.message == (
        'Service "a" is invalid: spec.clusterIPs[0]: Invalid value: ["10.96.0.21"]: may not change once set'
    )
    assert (await stored(server))["a"].spec.cluster_ip == "10.96.0.20"
    assert await held(server) == ({"10.96.0.20"}, set())


async def test_leaving_load_balancer_drops_its_fields_and_status(server: APIServer) -> None:
    made = await create(server, service("a", "LoadBalancer", load_balancer_class="example.com/lb"))
    made.status = ServiceStatus(load_balancer=LoadBalancerStatus(ingress=[LoadBalancerIngress(ip="1.2.3.4")]))
    status = await server.update(Service, made, "a", "default", subresource="status")
    assert isinstance(status, Service) and status.status.load_balancer.ingress[0].ip == "1.2.3.4"
    status.spec.type = "ClusterIP"
    plain = await put(server, status)
    assert plain.spec.allocate_load_balancer_node_ports is None and plain.spec.load_balancer_class is None
    assert plain.status == ServiceStatus() and plain.spec.ports[0].node_port == 0
