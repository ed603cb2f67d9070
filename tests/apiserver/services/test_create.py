"""Service creation allocates as kube-apiserver does (issue 11, part 3).

ClusterIP from the service CIDR (random in the upper band, never the first address), headless
and ExternalName get none; NodePort and LoadBalancer get a node port per port (shared by ports
with the same number), `allocateLoadBalancerNodePorts: false` only keeps named ones; a
LoadBalancer with `externalTrafficPolicy: Local` gets a health-check node port; `ipFamilies` and
`ipFamilyPolicy` as on a single-stack cluster; `status.loadBalancer` stays empty. Named values that
are taken, out of range or malformed are 422s with Kubernetes' messages and change nothing.
"""

from __future__ import annotations

import ipaddress

import pytest

from kubelite.api.core import LoadBalancerIngress, LoadBalancerStatus, Service, ServicePort, ServiceStatus
from kubelite.api.errors import APIError, Invalid
from kubelite.api.meta import Status, StatusCause, StatusDetails
from kubelite.apiserver import APIServer
from kubelite.apiserver.context import RequestContext

from .helpers import CIDR, create, held, service, stored

pytestmark = pytest.mark.anyio

STATIC_BAND = 256
"""Upstream's lower band of a /12: min(max(16, 2^20/16), 256) addresses kept for static IPs."""


def in_upper_band(ip: str) -> bool:
    offset = int(ipaddress.ip_address(ip)) - int(ipaddress.ip_network(CIDR).network_address) - 1
    return ipaddress.ip_address(ip) in ipaddress.ip_network(CIDR) and offset >= STATIC_BAND


async def test_cluster_ips_are_random_distinct_and_in_the_upper_band(server: APIServer) -> None:
    made = [await create(server, service(f"s{i}")) for i in range(20)]
    ips = [s.spec.cluster_ip for s in made]
    assert len(set(ips)) == 20
    assert all(in_upper_band(ip) for ip in ips)
    assert all(s.spec.cluster_ips == [s.spec.cluster_ip] for s in made)
    assert all(s.spec.ip_families == ["IPv4"] and s.spec.ip_family_policy == "SingleStack" for s in made)


async def test_an_explicit_cluster_ip_is_claimed_once(server: APIServer) -> None:
    named = await create(server, service("dns", cluster_ip="10.96.0.10"))
    assert named.spec.cluster_ip == "10.96.0.10" and named.spec.cluster_ips == ["10.96.0.10"]
    before = await stored(server)
    with pytest.raises(Invalid) as caught:
        await create(server, service("again", cluster_ip="10.96.0.10"))
    detail = "failed to allocate IP 10.96.0.10: provided IP is already allocated"
    assert caught.value.status.message == (
        f'Service "again" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.10"]: {detail}'
    )
    cause = StatusCause(
        reason="FieldValueInvalid",
        message=f'Invalid value: ["10.96.0.10"]: {detail}',
        field="spec.clusterIPs",
    )
    assert caught.value.status.details is not None and caught.value.status.details.causes == [cause]
    assert await stored(server) == before


@pytest.mark.parametrize(
    ("ip", "field", "detail"),
    [
        (
            "192.168.0.1",
            "spec.clusterIPs",
            "failed to allocate IP 192.168.0.1: the provided IP (192.168.0.1) is not in the valid range. "
            "The range of valid IPs is 10.96.0.0/12",
        ),
        (
            "10.96.0.0",
            "spec.clusterIPs",
            "failed to allocate IP 10.96.0.0: the provided IP (10.96.0.0) is not in the valid range. "
            "The range of valid IPs is 10.96.0.0/12",
        ),
        (
            "10.111.255.255",
            "spec.clusterIPs",
            "failed to allocate IP 10.111.255.255: the provided IP (10.111.255.255) is not in the valid "
            "range. The range of valid IPs is 10.96.0.0/12",
        ),
        (
            "10.96.0.300",
            "spec.clusterIPs[0]",
            "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
        ),
    ],
    ids=["other-network", "network-address", "broadcast-address", "malformed"],
)
async def test_a_bad_explicit_cluster_ip_is_a_422_and_changes_nothing(
    server: APIServer, ip: str, field: str, detail: str
) -> None:
    before = await stored(server)
    with pytest.raises(Invalid) as caught:
        await create(server, service("bad", cluster_ip=ip))
    causes = caught.value.status.details.causes if caught.value.status.details else []
    assert [(c.field, c.message.split(": ", 2)[-1]) for c in causes][:1] == [(field, detail)]
    assert await stored(server) == before


async def test_the_first_address_is_never_handed_out_dynamically(tmp_cidr_server: APIServer) -> None:
    """In a /29 (6 usable addresses, the first reserved) five Services fill the range."""
    made = [await create(tmp_cidr_server, service(f"s{i}")) for i in range(5)]
    assert sorted(s.spec.cluster_ip for s in made) == [f"10.0.0.{i}" for i in range(2, 7)]
    with pytest.raises(APIError) as caught:
        await create(tmp_cidr_server, service("full"))
    what = "failed to allocate a serviceIP: range is full"
    assert caught.value.status == Status(
        status="Failure",
        message=f"Internal error occurred: {what}",
        reason="InternalError",
        details=StatusDetails(causes=[StatusCause(message=what)]),
        code=500,
    )
    first = await create(tmp_cidr_server, service("kubernetes-like", cluster_ip="10.0.0.1"))
    assert first.spec.cluster_ip == "10.0.0.1"


@pytest.mark.parametrize(
    ("spec", "ips", "families", "policy"),
    [
        ({"cluster_ip": "None"}, ["None"], ["IPv4"], "SingleStack"),
        ({"cluster_ip": "None", "selector": {}}, ["None"], ["IPv4", "IPv6"], "RequireDualStack"),
        (
            {"cluster_ip": "None", "selector": {}, "ip_family_policy": "SingleStack"},
            ["None"],
            ["IPv4"],
            "SingleStack",
        ),
        ({"type": "ExternalName", "external_name": "db.example.com", "ports": []}, [], [], None),
    ],
    ids=["headless", "headless-selectorless", "headless-selectorless-single", "external-name"],
)
async def test_headless_and_external_name_services_get_no_address(
    server: APIServer, spec: dict[str, object], ips: list[str], families: list[str], policy: str | None
) -> None:
    made = await create(server, service("x", **spec))  # type: ignore[arg-type]  # spec fields
    assert made.spec.cluster_ips == ips and made.spec.ip_families == families
    assert made.spec.ip_family_policy == policy
    assert await held(server) == ({ip for ip in ips if ip != "None"}, set())


async def test_dual_stack_is_refused_on_a_single_stack_cluster(server: APIServer) -> None:
    with pytest.raises(Invalid) as caught:
        await create(server, service("dual", ip_family_policy="RequireDualStack"))
    assert caught.value.status.message == (
        'Service "dual" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": '
        "this cluster is not configured for dual-stack services"
    )
    with pytest.raises(
        Invalid, match=r'spec.ipFamilies\[0\]: Invalid value: "IPv6": not configured on this cluster'
    ):
        await create(server, service("six", ip_families=["IPv6"]))
    assert await stored(server) == {}


async def test_node_ports_for_node_port_and_load_balancer_services(server: APIServer) -> None:
    ports = [
        ServicePort(name="http", port=80),
        ServicePort(name="dns-udp", port=53, protocol="UDP"),
        ServicePort(name="dns-tcp", port=53, protocol="TCP"),
    ]
    node = await create(server, service("np", "NodePort", ports=ports))
    http, udp, tcp = (p.node_port for p in node.spec.ports)
    assert 30000 + 86 <= http <= 32767 and 30000 + 86 <= udp <= 32767
    assert udp == tcp != http  # ports that share a number share a node port, as upstream
    lb = await create(server, service("lb", "LoadBalancer"))
    assert 30000 <= lb.spec.ports[0].node_port <= 32767 and lb.spec.health_check_node_port == 0
    assert lb.spec.allocate_load_balancer_node_ports is True
    assert lb.status == ServiceStatus()  # nothing provides a load balancer: it stays pending
    assert (await held(server))[1] == {http, udp, lb.spec.ports[0].node_port}


async def test_a_load_balancer_without_node_ports_keeps_only_named_ones(server: APIServer) -> None:
    ports = [ServicePort(name="a", port=80), ServicePort(name="b", port=81, node_port=30081)]
    lb = await create(
        server, service("lb", "LoadBalancer", ports=ports, allocate_load_balancer_node_ports=False)
    )
    assert [p.node_port for p in lb.spec.ports] == [0, 30081]


async def test_local_traffic_load_balancer_gets_a_health_check_node_port(server: APIServer) -> None:
    lb = await create(server, service("lb", "LoadBalancer", external_traffic_policy="Local"))
    check = lb.spec.health_check_node_port
    assert 30000 <= check <= 32767 and check != lb.spec.ports[0].node_port
    named = await create(
        server, service("lb2", "LoadBalancer", external_traffic_policy="Local", health_check_node_port=31000)
    )
    assert named.spec.health_check_node_port == 31000
    with pytest.raises(APIError) as caught:
        await create(
            server,
            service("lb3", "LoadBalancer", external_traffic_policy="Local", health_check_node_port=31000),
        )
    what = "failed to allocate requested HealthCheck NodePort 31000: provided port is already allocated"
    assert (
        caught.value.status.code == 500 and caught.value.status.message == f"Internal error occurred: {what}"
    )
    assert set(await stored(server)) == {"lb", "lb2"}


@pytest.mark.parametrize(
    ("node_port", "detail"),
    [
        (30080, "provided port is already allocated"),
        (8080, "provided port is not in the valid range. The range of valid ports is 30000-32767"),
    ],
    ids=["taken", "out-of-range"],
)
async def test_a_bad_explicit_node_port_is_a_422_and_changes_nothing(
    server: APIServer, node_port: int, detail: str
) -> None:
    await create(server, service("first", "NodePort", ports=[ServicePort(port=80, node_port=30080)]))
    before = await stored(server)
    ips_before = await held(server)
    ports = [ServicePort(name="a", port=80), ServicePort(name="b", port=81, node_port=node_port)]
    with pytest.raises(Invalid) as caught:
        await create(server, service("second", "NodePort", ports=ports))
    assert caught.value.status.message == (
        f'Service "second" is invalid: spec.ports[1].nodePort: Invalid value: {node_port}: {detail}'
    )
    assert await stored(server) == before
    # nothing leaked: the node port and cluster IP the failed create took are free again
    again = await create(server, service("second", "NodePort", ports=[ServicePort(port=80)]))
    assert again.spec.cluster_ip not in ips_before[0]


async def test_node_port_range_full_is_a_500(small_server: APIServer) -> None:
    """Range 30000-30001: two node ports, then upstream's "failed to allocate a nodePort"."""
    await create(
        small_server,
        service("a", "NodePort", ports=[ServicePort(name="x", port=1), ServicePort(name="y", port=2)]),
    )
    with pytest.raises(APIError) as caught:
        await create(small_server, service("b", "NodePort"))
    what = "failed to allocate a nodePort: range is full"
    assert (
        caught.value.status.code == 500 and caught.value.status.message == f"Internal error occurred: {what}"
    )
    assert caught.value.status.details == StatusDetails(causes=[StatusCause(message=what)])
    assert set(await stored(small_server)) == {"a"}


async def test_status_load_balancer_sent_on_create_is_dropped(server: APIServer) -> None:
    svc = service("lb", "LoadBalancer")
    svc.status = ServiceStatus(load_balancer=LoadBalancerStatus(ingress=[LoadBalancerIngress(ip="1.2.3.4")]))
    made = await create(server, svc)
    assert made.status == ServiceStatus()
    assert (await stored(server))["lb"].status == ServiceStatus()


async def test_dry_run_allocates_nothing(server: APIServer) -> None:
    dry = await server.create(
        Service, service("dns", cluster_ip="10.96.0.10"), "default", RequestContext(dry_run=True)
    )
    assert isinstance(dry, Service) and dry.spec.cluster_ip == "10.96.0.10"
    assert (await create(server, service("dns", cluster_ip="10.96.0.10"))).spec.cluster_ip == "10.96.0.10"


async def test_ep5_port_defaults_and_the_other_v1_defaults(server: APIServer) -> None:
    """EP-5 first bullet: each port gets `protocol: TCP` and `targetPort = port`; a named target
    port stays. The rest of upstream's v1 defaults: type ClusterIP, sessionAffinity None,
    internalTrafficPolicy Cluster, and externalTrafficPolicy Cluster once externally reachable."""
    body = {
        "metadata": {"name": "web"},
        "spec": {
            "selector": {"app": "web"},
            "ports": [{"name": "a", "port": 80}, {"name": "b", "port": 81, "targetPort": "http"}],
        },
    }
    made = await server.create(Service, body, "default")
    assert isinstance(made, Service)
    assert made.spec.ports == [
        ServicePort(name="a", port=80, protocol="TCP", target_port=80),
        ServicePort(name="b", port=81, protocol="TCP", target_port="http"),
    ]
    spec = made.spec
    assert (spec.type, spec.session_affinity, spec.internal_traffic_policy) == (
        "ClusterIP",
        "None",
        "Cluster",
    )
    assert spec.external_traffic_policy == ""
    node = await create(server, service("np", "NodePort"))
    assert node.spec.external_traffic_policy == "Cluster" and node.spec.internal_traffic_policy == "Cluster"
