"""Validation of core/v1 Endpoints.

A DNS-1123 subdomain name; every subset has `addresses` or `notReadyAddresses`; addresses are
valid IPs with an optional DNS-1123-label hostname and subdomain node name; ports are 1–65535 with
protocol TCP/UDP/SCTP and a DNS-1123-label name, required when a subset has several. Unlike
Kubernetes, loopback and link-local addresses are accepted: kubelite's nodes live on loopback.
Pure functions.
"""

from __future__ import annotations

from kubelite.api.core.endpoints import EndpointAddress, EndpointPort, Endpoints
from kubelite.api.errors import FieldError, not_supported, required
from kubelite.api.validation import names
from kubelite.api.validation.containers import PROTOCOLS
from kubelite.api.validation.fields import messages, valid_ip
from kubelite.api.validation.objectmeta import validate_object_meta


def validate_endpoints(endpoints: Endpoints) -> list[FieldError]:
    errors = validate_object_meta(endpoints.metadata, namespaced=True, name_fn=names.subdomain_name)
    for index, subset in enumerate(endpoints.subsets):
        path = f"subsets[{index}]"
        if not subset.addresses and not subset.not_ready_addresses:
            errors.append(required(path, "must specify `addresses` or `notReadyAddresses`"))
        for field, addresses in (
            ("addresses", subset.addresses),
            ("notReadyAddresses", subset.not_ready_addresses),
        ):
            for number, address in enumerate(addresses):
                errors += _address(address, f"{path}.{field}[{number}]")
        for number, port in enumerate(subset.ports):
            errors += _port(port, len(subset.ports) > 1, f"{path}.ports[{number}]")
    return errors


def _address(address: EndpointAddress, path: str) -> list[FieldError]:
    errors = valid_ip(address.ip, f"{path}.ip")
    if address.hostname:
        errors += messages(address.hostname, f"{path}.hostname", names.is_dns1123_label(address.hostname))
    if address.node_name is not None:
        errors += messages(
            address.node_name, f"{path}.nodeName", names.subdomain_name(address.node_name, False)
        )
    return errors


def _port(port: EndpointPort, name_required: bool, path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    if name_required and not port.name:
        errors.append(required(f"{path}.name"))
    elif port.name:
        errors += messages(port.name, f"{path}.name", names.is_dns1123_label(port.name))
    errors += messages(port.port, f"{path}.port", names.is_valid_port_num(port.port))
    if port.protocol and port.protocol not in PROTOCOLS:
        errors.append(not_supported(port.protocol, f"{path}.protocol", PROTOCOLS))
    if port.app_protocol is not None:
        errors += messages(
            port.app_protocol, f"{path}.appProtocol", names.is_qualified_name(port.app_protocol)
        )
    return errors
