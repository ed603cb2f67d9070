"""Validation of discovery.k8s.io/v1 EndpointSlices (upstream `pkg/apis/discovery/validation`).

A namespaced DNS-1123 subdomain name; `addressType` required, one of FQDN, IPv4, IPv6, and
immutable on update; at most 1000 endpoints, each with 1 to 100 addresses valid for the address
type (an IPv4 or IPv6 address of that family, or a fully qualified domain name), an optional
DNS-1123-label `hostname`, a subdomain `nodeName`, at most 8 zone hints with distinct label-value
names; at most 20000 ports with DNS-1123-label names, distinct (the empty name included), protocol
TCP/UDP/SCTP and a qualified-name `appProtocol`. Endpoint IPs are not checked for special ranges,
as for Endpoints: kubelite's nodes and API server live on loopback. Pure functions.
"""

from __future__ import annotations

import ipaddress

from kubelite.api.discovery import Endpoint, EndpointHints, EndpointPort, EndpointSlice
from kubelite.api.errors import FieldError, duplicate, invalid, not_supported, required
from kubelite.api.validation import names
from kubelite.api.validation.containers import PROTOCOLS
from kubelite.api.validation.fields import immutable, messages
from kubelite.api.validation.jobpolicy import too_many
from kubelite.api.validation.objectmeta import validate_object_meta

ADDRESS_TYPES = ("FQDN", "IPv4", "IPv6")
MAX_ENDPOINTS, MAX_ADDRESSES, MAX_PORTS, MAX_ZONE_HINTS = 1000, 100, 20000, 8
_FAMILY = {"IPv4": ipaddress.IPv4Address, "IPv6": ipaddress.IPv6Address}


def validate_endpoint_slice(slice_: EndpointSlice) -> list[FieldError]:
    errors = validate_object_meta(slice_.metadata, namespaced=True, name_fn=names.subdomain_name)
    if not slice_.address_type:
        errors.append(required("addressType"))
    elif slice_.address_type not in ADDRESS_TYPES:
        errors.append(not_supported(slice_.address_type, "addressType", ADDRESS_TYPES))
    return errors + _endpoints(slice_.endpoints, slice_.address_type) + _ports(slice_.ports)


def validate_endpoint_slice_update(new: EndpointSlice, old: EndpointSlice) -> list[FieldError]:
    return immutable(new.address_type, old.address_type, "addressType")


def _endpoints(endpoints: list[Endpoint], address_type: str) -> list[FieldError]:
    if len(endpoints) > MAX_ENDPOINTS:
        return [too_many(len(endpoints), "endpoints", MAX_ENDPOINTS)]
    errors: list[FieldError] = []
    for index, endpoint in enumerate(endpoints):
        errors += _endpoint(endpoint, address_type, f"endpoints[{index}]")
    return errors


def _endpoint(endpoint: Endpoint, address_type: str, path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    if not endpoint.addresses:
        errors.append(required(f"{path}.addresses", "must contain at least 1 address"))
    elif len(endpoint.addresses) > MAX_ADDRESSES:
        errors.append(too_many(len(endpoint.addresses), f"{path}.addresses", MAX_ADDRESSES))
    for number, address in enumerate(endpoint.addresses):
        errors += _address(address, address_type, f"{path}.addresses[{number}]")
    if endpoint.node_name is not None:
        errors += messages(
            endpoint.node_name, f"{path}.nodeName", names.subdomain_name(endpoint.node_name, False)
        )
    if endpoint.hostname is not None:
        errors += messages(endpoint.hostname, f"{path}.hostname", names.is_dns1123_label(endpoint.hostname))
    if endpoint.hints is not None:
        errors += _hints(endpoint.hints, f"{path}.hints")
    return errors


def _address(address: str, address_type: str, path: str) -> list[FieldError]:
    if address_type == "FQDN":
        return fully_qualified_domain_name(address, path)
    family = _FAMILY.get(address_type)
    if family is None:
        return []  # an unknown address type is reported once, on addressType
    try:
        family(address)
    except ValueError:
        return [invalid(address, path, f"must be a valid {address_type} address")]
    return []


def fully_qualified_domain_name(name: str, path: str) -> list[FieldError]:
    """Upstream's IsFullyQualifiedDomainName: a subdomain of at least two labels, one trailing dot allowed."""
    if not name:
        return [required(path)]
    name = name.removesuffix(".")
    problems = names.is_dns1123_subdomain(name)
    if problems:
        return [invalid(name, path, ",".join(problems))]
    labels = name.split(".")
    if len(labels) < 2:
        return [invalid(name, path, "should be a domain with at least two segments separated by dots")]
    for label in labels:
        problems = names.is_dns1123_label(label)
        if problems:
            return [invalid(label, path, ",".join(problems))]
    return []


def _hints(hints: EndpointHints, path: str) -> list[FieldError]:
    zones = hints.for_zones
    if len(zones) > MAX_ZONE_HINTS:
        return [too_many(len(zones), f"{path}.forZones", MAX_ZONE_HINTS)]
    errors: list[FieldError] = []
    seen: set[str] = set()
    for index, zone in enumerate(zones):
        zone_path = f"{path}.forZones[{index}].name"
        if zone.name in seen:
            errors.append(duplicate(zone.name, zone_path))
        seen.add(zone.name)
        errors += messages(zone.name, zone_path, names.is_label_value(zone.name))
    return errors


def _ports(ports: list[EndpointPort]) -> list[FieldError]:
    if len(ports) > MAX_PORTS:
        return [too_many(len(ports), "ports", MAX_PORTS)]
    errors: list[FieldError] = []
    seen: set[str] = set()
    for index, port in enumerate(ports):
        errors += _port(port, seen, f"ports[{index}]")
    return errors


def _port(port: EndpointPort, seen: set[str], path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    name = port.name or ""
    if name:
        errors += messages(name, f"{path}.name", names.is_dns1123_label(name))
    if name in seen:
        errors.append(duplicate(name, f"{path}.name"))
    seen.add(name)
    if port.protocol is None:
        errors.append(required(f"{path}.protocol"))
    elif port.protocol not in PROTOCOLS:
        errors.append(not_supported(port.protocol, f"{path}.protocol", PROTOCOLS))
    if port.app_protocol is not None:
        errors += messages(
            port.app_protocol, f"{path}.appProtocol", names.is_qualified_name(port.app_protocol)
        )
    return errors
