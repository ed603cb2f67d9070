"""Service, Endpoints and EndpointSlice rows reproduce upstream's printers."""

from __future__ import annotations

from typing import Any

import pytest

from kubelite.api.core import Endpoints, Service
from kubelite.api.discovery import EndpointSlice
from kubelite.apiserver.http.tables import services

from .build import CREATED, make

NOW = CREATED + 24


def service(spec: dict[str, Any], ingress: list[dict[str, str]] = ()) -> Service:  # type: ignore[assignment]
    return make(Service, {"spec": spec, "status": {"loadBalancer": {"ingress": list(ingress)}}}, name="web")


def test_cluster_ip_service_cells() -> None:
    obj = service(
        {
            "type": "ClusterIP",
            "clusterIPs": ["10.96.0.1"],
            "ports": [{"port": 443, "protocol": "TCP"}],
            "selector": {"b": "2", "a": "1"},
        }
    )
    assert services.service_cells(obj, NOW) == [
        "web",
        "ClusterIP",
        "10.96.0.1",
        "<none>",
        "443/TCP",
        "24s",
        "a=1,b=2",
    ]


def test_headless_service_without_ports_or_selector() -> None:
    obj = service({"type": "ClusterIP", "clusterIPs": ["None"]})
    assert services.service_cells(obj, NOW)[2:] == ["None", "<none>", "<none>", "24s", "<none>"]


def test_node_port_ports() -> None:
    ports = [{"port": 80, "nodePort": 30080, "protocol": "TCP"}, {"port": 53, "protocol": "UDP"}]
    obj = service(
        {"type": "NodePort", "clusterIPs": ["10.96.0.9"], "ports": ports, "externalIPs": ["1.2.3.4"]}
    )
    assert services.service_cells(obj, NOW)[3:5] == ["1.2.3.4", "80:30080/TCP,53/UDP"]


EXTERNAL_CASES = {
    "cluster-ip-none": ({"type": "ClusterIP"}, [], "<none>"),
    "cluster-ip-external-ips": (
        {"type": "ClusterIP", "externalIPs": ["1.1.1.1", "2.2.2.2"]},
        [],
        "1.1.1.1,2.2.2.2",
    ),
    "load-balancer-pending": ({"type": "LoadBalancer"}, [], "<pending>"),
    "load-balancer-ingress-sorted": (
        {"type": "LoadBalancer"},
        [{"ip": "5.5.5.5"}, {"hostname": "lb.example"}, {"ip": "5.5.5.5"}],
        "5.5.5.5,lb.example",
    ),
    "load-balancer-ingress-then-external": (
        {"type": "LoadBalancer", "externalIPs": ["1.1.1.1"]},
        [{"ip": "5.5.5.5"}],
        "5.5.5.5,1.1.1.1",
    ),
    "external-name": ({"type": "ExternalName", "externalName": "db.example.com"}, [], "db.example.com"),
    "unknown-type": ({"type": ""}, [], "<unknown>"),
}


@pytest.mark.parametrize(("spec", "ingress", "text"), EXTERNAL_CASES.values(), ids=EXTERNAL_CASES.keys())
def test_external_ip(spec: dict[str, Any], ingress: list[dict[str, str]], text: str) -> None:
    assert services.service_cells(service(spec, ingress), NOW)[3] == text


def endpoints(subsets: list[dict[str, Any]]) -> Endpoints:
    return make(Endpoints, {"subsets": subsets}, name="web")


def addresses(*ips: str) -> list[dict[str, str]]:
    return [{"ip": ip} for ip in ips]


ENDPOINTS_CASES = {
    "no-subsets": ([], "<none>"),
    "one": ([{"addresses": addresses("10.0.0.1"), "ports": [{"port": 80}]}], "10.0.0.1:80"),
    "ipv6": ([{"addresses": addresses("fd00::1"), "ports": [{"port": 80}]}], "[fd00::1]:80"),
    "portless-headless": ([{"addresses": addresses("10.0.0.1", "10.0.0.2")}], "10.0.0.1,10.0.0.2"),
    "more": (
        [
            {
                "addresses": addresses("10.0.0.1", "10.0.0.2", "10.0.0.3"),
                "ports": [{"port": 80}, {"port": 443}],
            }
        ],
        "10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 3 more...",
    ),
    "not-ready-only": ([{"notReadyAddresses": addresses("10.0.0.1"), "ports": [{"port": 80}]}], ""),
}


@pytest.mark.parametrize(("subsets", "text"), ENDPOINTS_CASES.values(), ids=ENDPOINTS_CASES.keys())
def test_endpoints(subsets: list[dict[str, Any]], text: str) -> None:
    assert services.endpoints_cells(endpoints(subsets), NOW) == ["web", text, "24s"]


def test_endpointslice_cells() -> None:
    obj = make(
        EndpointSlice,
        {
            "addressType": "IPv4",
            "ports": [{"port": 80}, {"name": "metrics"}, {}, {"port": 9000}],
            "endpoints": [{"addresses": ["10.0.0.1", "10.0.0.2"]}, {"addresses": ["10.0.0.3"]}],
        },
        name="web-abc",
    )
    assert services.endpointslice_cells(obj, NOW) == [
        "web-abc", "IPv4", "80,metrics,* + 1 more...", "10.0.0.1,10.0.0.2,10.0.0.3", "24s",
    ]  # fmt: skip


def test_empty_endpointslice_is_unset() -> None:
    obj = make(EndpointSlice, {"addressType": "IPv6"})
    assert services.endpointslice_cells(obj, NOW)[1:4] == ["IPv6", "<unset>", "<unset>"]
