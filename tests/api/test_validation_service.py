"""Service validation: ports, types, cluster IPs (immutable once set), headless and ExternalName."""

from __future__ import annotations

import msgspec
import pytest

from kubelite.api.core import Service
from kubelite.api.core.service import ServicePort, ServiceSpec
from kubelite.api.meta import ObjectMeta
from kubelite.api.validation import validate_create, validate_update


def service(**spec: object) -> Service:
    fields: dict[str, object] = {
        "ports": [ServicePort(port=80, protocol="TCP", target_port=8080)],
        "selector": {"app": "web"},
    }
    fields.update(spec)
    meta = ObjectMeta(name="web", namespace="default", uid="u1", creation_timestamp="2024-01-01T00:00:00Z")
    return Service(metadata=meta, spec=ServiceSpec(**fields))  # type: ignore[arg-type]  # fields are ServiceSpec's


def errors_of(obj: Service) -> list[str]:
    return [str(e) for e in validate_create(obj)]


ACCEPTED = [
    ("cluster-ip", {"type": "ClusterIP"}),
    ("defaults-pending", {}),
    ("headless-without-ports", {"ports": [], "cluster_ip": "None"}),
    ("external-name", {"type": "ExternalName", "ports": [], "external_name": "db.example.com."}),
    ("node-port", {"type": "NodePort", "ports": [ServicePort(port=80, node_port=30080, target_port="http")]}),
    ("allocated", {"type": "ClusterIP", "cluster_ip": "10.96.0.10", "cluster_ips": ["10.96.0.10"]}),
    (
        "named-ports",
        {"ports": [ServicePort(name="http", port=80), ServicePort(name="https", port=443)]},
    ),
]


@pytest.mark.parametrize("spec", [c[1] for c in ACCEPTED], ids=[c[0] for c in ACCEPTED])
def test_valid_services(spec: dict[str, object]) -> None:
    assert errors_of(service(**spec)) == []


CASES: list[tuple[str, dict[str, object], list[str]]] = [
    ("ports-required", {"ports": []}, ["spec.ports: Required value"]),
    (
        "port-range",
        {"ports": [ServicePort(port=0)]},
        ["spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"],
    ),
    (
        "target-port-range",
        {"ports": [ServicePort(port=80, target_port=70000)]},
        ["spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive"],
    ),
    (
        "target-port-name",
        {"ports": [ServicePort(port=80, target_port="HTTP")]},
        [
            'spec.ports[0].targetPort: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
            'spec.ports[0].targetPort: Invalid value: "HTTP": must contain at least one letter (a-z)',
        ],
    ),
    (
        "type",
        {"type": "Ingress"},
        [
            'spec.type: Unsupported value: "Ingress": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'
        ],
    ),
    (
        "protocol",
        {"ports": [ServicePort(port=80, protocol="ICMP")]},
        ['spec.ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"'],
    ),
    (
        "port-names-required",
        {"ports": [ServicePort(port=80), ServicePort(name="b", port=81)]},
        ["spec.ports[0].name: Required value"],
    ),
    (
        "duplicate-port",
        {"ports": [ServicePort(name="a", port=80), ServicePort(name="b", port=80)]},
        ['spec.ports[1]: Duplicate value: {"port":80,"protocol":"TCP"}'],
    ),
    (
        "node-port-on-cluster-ip",
        {"type": "ClusterIP", "ports": [ServicePort(port=80, node_port=30000)]},
        ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
    ),
    (
        "headless-node-port",
        {"type": "NodePort", "cluster_ip": "None"},
        ["spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services"],
    ),
    (
        "external-name-required",
        {"type": "ExternalName", "ports": []},
        ["spec.externalName: Required value"],
    ),
    (
        "bad-cluster-ip",
        {"cluster_ip": "10.0.0.300"},
        [
            'spec.clusterIPs[0]: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'
        ],
    ),
    (
        "session-affinity",
        {"session_affinity": "Cookie"},
        ['spec.sessionAffinity: Unsupported value: "Cookie": supported values: "ClientIP", "None"'],
    ),
    (
        "ip-family-policy",
        {"ip_family_policy": "Dual"},
        [
            'spec.ipFamilyPolicy: Unsupported value: "Dual": supported values: '
            '"PreferDualStack", "RequireDualStack", "SingleStack"'
        ],
    ),
    (
        "ip-families",
        {"ip_families": ["IPv4", "IPv5", "IPv4"]},
        [
            'spec.ipFamilies[1]: Unsupported value: "IPv5": supported values: "IPv4", "IPv6"',
            'spec.ipFamilies[2]: Duplicate value: "IPv4"',
            'spec.ipFamilies: Invalid value: ["IPv4","IPv5","IPv4"]: may specify no more than two IP families',
        ],
    ),
    (
        "selector",
        {"selector": {"app": "-web-"}},
        [
            'spec.selector: Invalid value: "-web-": a valid label must be an empty string or consist of '
            "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character "
            "(e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is "
            "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
        ],
    ),
    (
        "duplicate-port-names",
        {"ports": [ServicePort(name="web", port=80), ServicePort(name="web", port=81)]},
        ['spec.ports[1].name: Duplicate value: "web"'],
    ),
    (
        "traffic-policy-on-cluster-ip",
        {"type": "ClusterIP", "external_traffic_policy": "Local"},
        [
            'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services'
        ],
    ),
]


@pytest.mark.parametrize(("spec", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_service_rejections(spec: dict[str, object], expected: list[str]) -> None:
    assert errors_of(service(**spec)) == expected


def test_cluster_ip_is_immutable_once_set() -> None:
    old = service(type="ClusterIP", cluster_ip="10.96.0.10", cluster_ips=["10.96.0.10"])
    moved = msgspec.structs.replace(
        old, spec=msgspec.structs.replace(old.spec, cluster_ip="10.96.0.11", cluster_ips=["10.96.0.11"])
    )
    assert [str(e) for e in validate_update(moved, old)] == [
        'spec.clusterIPs[0]: Invalid value: ["10.96.0.11"]: may not change once set'
    ]
    unset = msgspec.structs.replace(
        old, spec=msgspec.structs.replace(old.spec, cluster_ip="", cluster_ips=[])
    )
    assert [str(e) for e in validate_update(unset, old)] == [
        "spec.clusterIPs[0]: Invalid value: null: primary clusterIP can not be unset"
    ]
    relabelled = msgspec.structs.replace(old, spec=msgspec.structs.replace(old.spec, selector={"app": "v2"}))
    assert validate_update(relabelled, old) == []


def test_api6_service_names_are_dns1035_labels() -> None:
    target = service()
    target.metadata.name = "1web"
    assert errors_of(target) == [
        'metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric '
        "characters or '-', start with an alphabetic character, and end with an alphanumeric character "
        "(e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
    ]
