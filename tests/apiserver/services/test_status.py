"""A Service's load-balancer status, written through the status subresource as a cloud
controller would (upstream ValidateLoadBalancerStatus and the LoadBalancerIPMode default): an
ingress `ip` gets `ipMode: VIP`; a bad IP, IP mode or hostname, or ingress on a Service that is
not a LoadBalancer, is a 422 with upstream's message and the stored status is unchanged; a main
write keeps the stored status whatever it sends."""

from __future__ import annotations

from typing import Any

import pytest

from kubelite.api.core import LoadBalancerIngress, LoadBalancerStatus, Service, ServiceStatus
from kubelite.api.errors import Invalid
from kubelite.apiserver import APIServer

from .helpers import create, service

pytestmark = pytest.mark.anyio

MERGE = "application/merge-patch+json"
DNS_SUBDOMAIN = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
    "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
    "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)


async def patch_status(server: APIServer, name: str, ingress: list[dict[str, Any]]) -> Service:
    body = {"status": {"loadBalancer": {"ingress": ingress}}}
    patched = await server.patch(Service, name, body, MERGE, "default", subresource="status")
    assert isinstance(patched, Service)
    return patched


async def test_an_ingress_ip_gets_the_vip_mode(server: APIServer) -> None:
    await create(server, service("lb", "LoadBalancer"))
    patched = await patch_status(server, "lb", [{"ip": "192.0.2.50"}, {"hostname": "lb.example.com"}])
    assert patched.status.load_balancer.ingress == [
        LoadBalancerIngress(ip="192.0.2.50", ip_mode="VIP"),
        LoadBalancerIngress(hostname="lb.example.com"),
    ]


@pytest.mark.parametrize(
    ("ingress", "message"),
    [
        pytest.param(
            [{"ip": "not-an-ip"}],
            'status.loadBalancer.ingress[0].ip: Invalid value: "not-an-ip": must be a valid IP address, '
            "(e.g. 10.9.8.7 or 2001:db8::ffff)",
            id="ip",
        ),
        pytest.param(
            [{"ip": "192.0.2.1", "ipMode": "Bogus"}],
            'status.loadBalancer.ingress[0].ipMode: Unsupported value: "Bogus": supported values: "Proxy", "VIP"',
            id="ip-mode",
        ),
        pytest.param(
            [{"hostname": "lb.example.com", "ipMode": "VIP"}],
            "status.loadBalancer.ingress[0].ipMode: Forbidden: may not be specified when `ip` is not set",
            id="ip-mode-without-ip",
        ),
        pytest.param(
            [{"hostname": "192.0.2.1"}],
            'status.loadBalancer.ingress[0].hostname: Invalid value: "192.0.2.1": must be a DNS name, not an IP address',
            id="hostname-ip",
        ),
        pytest.param(
            [{"hostname": "LB_1"}],
            f'status.loadBalancer.ingress[0].hostname: Invalid value: "LB_1": {DNS_SUBDOMAIN}',
            id="hostname",
        ),
    ],
)
async def test_a_bad_ingress_is_refused(
    server: APIServer, ingress: list[dict[str, Any]], message: str
) -> None:
    await create(server, service("lb", "LoadBalancer"))
    await patch_status(server, "lb", [{"ip": "192.0.2.50"}])
    with pytest.raises(Invalid) as caught:
        await patch_status(server, "lb", ingress)
    assert caught.value.status.message == f'Service "lb" is invalid: {message}'
    stored = await server.get(Service, "lb", "default")
    assert isinstance(stored, Service)
    assert stored.status.load_balancer.ingress == [LoadBalancerIngress(ip="192.0.2.50", ip_mode="VIP")]


async def test_ingress_on_a_cluster_ip_service_is_refused(server: APIServer) -> None:
    await create(server, service("plain"))
    with pytest.raises(Invalid) as caught:
        await patch_status(server, "plain", [{"ip": "192.0.2.50"}])
    assert caught.value.status.message == (
        "Service \"plain\" is invalid: status.loadBalancer.ingress: Forbidden: may only be used when `spec.type` is 'LoadBalancer'"
    )


async def test_a_main_write_keeps_the_stored_status(server: APIServer) -> None:
    made = await create(server, service("lb", "LoadBalancer"))
    await patch_status(server, "lb", [{"ip": "192.0.2.50"}])
    made.metadata.resource_version = ""
    made.status = ServiceStatus(load_balancer=LoadBalancerStatus(ingress=[LoadBalancerIngress(ip="bogus")]))
    kept = await server.update(Service, made, "lb", "default")
    assert isinstance(kept, Service)
    assert kept.status.load_balancer.ingress == [LoadBalancerIngress(ip="192.0.2.50", ip_mode="VIP")]
