"""EndpointSlice validation (EP-11, upstream `pkg/apis/discovery/validation`): address type,
endpoints and their addresses by type, ports, hints, the limits, and `addressType` immutable on
update; what the EndpointSlice controller and the `kubernetes` slice write passes."""

from __future__ import annotations

from typing import Any

import pytest

from kubelite.api.core.reference import ObjectReference
from kubelite.api.discovery import (
    Endpoint,
    EndpointConditions,
    EndpointHints,
    EndpointPort,
    EndpointSlice,
    ForZone,
)
from kubelite.api.meta import ObjectMeta
from kubelite.api.validation import validate_create, validate_update

DNS_LABEL = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
    "start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
    "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)


def endpoint(*addresses: str, **fields: Any) -> Endpoint:
    return Endpoint(addresses=list(addresses), conditions=EndpointConditions(ready=True), **fields)


def slice_of(
    address_type: str = "IPv4", endpoints: list[Endpoint] | None = None, **fields: Any
) -> EndpointSlice:
    meta = ObjectMeta(
        name="web-abcde", namespace="default", uid="u1", creation_timestamp="2026-01-01T00:00:00Z"
    )
    ports = fields.pop("ports", [EndpointPort(name="", protocol="TCP", port=8080)])
    chosen = endpoints if endpoints is not None else [endpoint("10.244.0.1")]
    return EndpointSlice(metadata=meta, address_type=address_type, endpoints=chosen, ports=ports, **fields)


def errors_of(obj: EndpointSlice) -> list[str]:
    return [str(e) for e in validate_create(obj)]


ACCEPTED: list[tuple[str, EndpointSlice]] = [
    (
        "controller-written",
        slice_of(
            endpoints=[
                endpoint(
                    "10.244.0.1",
                    node_name="node-1",
                    hostname="web-0",
                    zone="zone-a",
                    target_ref=ObjectReference(kind="Pod", namespace="default", name="web-0", uid="p1"),
                )
            ]
        ),
    ),
    ("loopback-kubernetes", slice_of(endpoints=[endpoint("127.0.0.1")])),
    ("ipv6", slice_of("IPv6", [endpoint("fd00::1")])),
    ("fqdn-trailing-dot", slice_of("FQDN", [endpoint("db.example.com.")])),
    ("placeholder", slice_of(endpoints=[], ports=[])),
    ("hundred-addresses", slice_of(endpoints=[endpoint(*(f"10.0.0.{i}" for i in range(100)))])),
    ("thousand-endpoints", slice_of(endpoints=[endpoint(f"10.0.{i // 250}.{i % 250}") for i in range(1000)])),
    (
        "hints",
        slice_of(endpoints=[endpoint("10.0.0.1", hints=EndpointHints(for_zones=[ForZone(name="zone-a")]))]),
    ),
]


@pytest.mark.parametrize("obj", [c[1] for c in ACCEPTED], ids=[c[0] for c in ACCEPTED])
def test_ep11_valid_slices(obj: EndpointSlice) -> None:
    assert errors_of(obj) == []


CASES: list[tuple[str, EndpointSlice, list[str]]] = [
    ("address-type-required", slice_of("", endpoints=[]), ["addressType: Required value"]),
    (
        "address-type-unknown",
        slice_of("IPv7"),
        ['addressType: Unsupported value: "IPv7": supported values: "FQDN", "IPv4", "IPv6"'],
    ),
    (
        "no-addresses",
        slice_of(endpoints=[endpoint()]),
        ["endpoints[0].addresses: Required value: must contain at least 1 address"],
    ),
    (
        "too-many-addresses",
        slice_of(endpoints=[endpoint(*(f"10.0.0.{i}" for i in range(101)))]),
        ["endpoints[0].addresses: Too many: 101: must have at most 100 items"],
    ),
    (
        "too-many-endpoints",
        slice_of(endpoints=[endpoint("10.0.0.1")] * 1001),
        ["endpoints: Too many: 1001: must have at most 1000 items"],
    ),
    (
        "ipv6-in-ipv4-slice",
        slice_of(endpoints=[endpoint("10.0.0.1", "fd00::1", "not-an-ip")]),
        [
            'endpoints[0].addresses[1]: Invalid value: "fd00::1": must be a valid IPv4 address',
            'endpoints[0].addresses[2]: Invalid value: "not-an-ip": must be a valid IPv4 address',
        ],
    ),
    (
        "ipv4-in-ipv6-slice",
        slice_of("IPv6", [endpoint("10.0.0.1")]),
        ['endpoints[0].addresses[0]: Invalid value: "10.0.0.1": must be a valid IPv6 address'],
    ),
    (
        "fqdn-one-label",
        slice_of("FQDN", [endpoint("localhost")]),
        [
            'endpoints[0].addresses[0]: Invalid value: "localhost": should be a domain with at least two '
            "segments separated by dots"
        ],
    ),
    (
        "fqdn-bad",
        slice_of("FQDN", [endpoint("Db.example.com")]),
        [
            'endpoints[0].addresses[0]: Invalid value: "Db.example.com": a lowercase RFC 1123 subdomain must '
            "consist of lower case alphanumeric characters, '-' or '.', and must start and end with an "
            "alphanumeric character (e.g. 'example.com', regex used for validation is "
            "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
        ],
    ),
    (
        "hostname",
        slice_of(endpoints=[endpoint("10.0.0.1", hostname="Bad_Host")]),
        [f'endpoints[0].hostname: Invalid value: "Bad_Host": {DNS_LABEL}'],
    ),
    (
        "duplicate-zone-hints",
        slice_of(
            endpoints=[
                endpoint("10.0.0.1", hints=EndpointHints(for_zones=[ForZone(name="a"), ForZone(name="a")]))
            ]
        ),
        ['endpoints[0].hints.forZones[1].name: Duplicate value: "a"'],
    ),
    (
        "too-many-zone-hints",
        slice_of(
            endpoints=[
                endpoint("10.0.0.1", hints=EndpointHints(for_zones=[ForZone(name=f"z{i}") for i in range(9)]))
            ]
        ),
        ["endpoints[0].hints.forZones: Too many: 9: must have at most 8 items"],
    ),
    (
        "port-name-and-protocol",
        slice_of(ports=[EndpointPort(name="Http", protocol="HTTP", port=80)]),
        [
            f'ports[0].name: Invalid value: "Http": {DNS_LABEL}',
            'ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
        ],
    ),
    (
        "duplicate-port-names",
        slice_of(
            ports=[
                EndpointPort(name="", protocol="TCP", port=80),
                EndpointPort(name="", protocol="UDP", port=81),
            ]
        ),
        ['ports[1].name: Duplicate value: ""'],
    ),
    (
        "protocol-required",
        slice_of(ports=[EndpointPort(name="a", port=80)]),
        ["ports[0].protocol: Required value"],
    ),
]


@pytest.mark.parametrize(("obj", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_ep11_invalid_slices(obj: EndpointSlice, expected: list[str]) -> None:
    assert errors_of(obj) == expected


def test_ep11_address_type_is_immutable() -> None:
    old = slice_of()
    new = slice_of("IPv6", [endpoint("fd00::1")])
    assert [str(e) for e in validate_update(new, old)] == [
        'addressType: Invalid value: "IPv6": field is immutable'
    ]
    assert validate_update(slice_of(endpoints=[endpoint("10.0.0.9")]), old) == []
