"""Repacking addresses into Endpoints subsets (EP-6; upstream's RepackSubsets). Pure.

`repack(entries)` builds the canonical form: for every port, the set of addresses offering it and
whether each is ready (an address not ready for a port is not ready there, whatever else says);
ports whose address sets (with readiness) are identical share one subset `{addresses,
notReadyAddresses, ports}`. So every (address, port) pair appears exactly once, and when all pods
resolve the same ports each address appears exactly once. Addresses are identified by (ip,
targetRef uid); port-less entries (a headless Service without ports, EP-7) make port-less subsets.

Order: `addresses` and `notReadyAddresses` by IP string (bytewise), then targetRef UID (an
address without targetRef first). Upstream orders ports and subsets by an MD5 of their Go
representation, which is deterministic but arbitrary; kubelite orders ports by (port, protocol,
name) and subsets by their first port, then their first address, so equal inputs give equal
subsets and EP-9's comparison is exact.
"""

from __future__ import annotations

from collections.abc import Iterable

from kubelite.api.core import EndpointAddress, EndpointPort, EndpointSubset
from kubelite.controllers.endpoint.addresses import Entry

AddressKey = tuple[str, int, str]
PortKey = tuple[int, str, str, str]


def address_key(address: EndpointAddress) -> AddressKey:
    ref = address.target_ref
    return (address.ip, 0, "") if ref is None else (address.ip, 1, ref.uid)


def port_key(port: EndpointPort) -> PortKey:
    return (port.port, port.protocol, port.name, port.app_protocol or "")


def repack(entries: Iterable[Entry]) -> list[EndpointSubset]:
    addresses: dict[AddressKey, EndpointAddress] = {}
    ports: dict[PortKey, EndpointPort] = {}
    readiness: dict[PortKey | None, dict[AddressKey, bool]] = {}
    for entry in entries:
        key = address_key(entry.address)
        addresses.setdefault(key, entry.address)
        pkey = None if entry.port is None else port_key(entry.port)
        if entry.port is not None and pkey is not None:
            ports.setdefault(pkey, entry.port)
        offered = readiness.setdefault(pkey, {})
        offered[key] = offered.get(key, True) and entry.ready
    groups: dict[frozenset[tuple[AddressKey, bool]], list[PortKey]] = {}
    for pkey, offered in readiness.items():
        group = groups.setdefault(frozenset(offered.items()), [])
        if pkey is not None:
            group.append(pkey)
    subsets = [_subset(members, keys, addresses, ports) for members, keys in groups.items()]
    return sorted(subsets, key=_subset_order)


def _subset(
    members: frozenset[tuple[AddressKey, bool]],
    keys: list[PortKey],
    addresses: dict[AddressKey, EndpointAddress],
    ports: dict[PortKey, EndpointPort],
) -> EndpointSubset:
    ordered = sorted(members)
    return EndpointSubset(
        addresses=[addresses[key] for key, ready in ordered if ready],
        not_ready_addresses=[addresses[key] for key, ready in ordered if not ready],
        ports=[ports[key] for key in sorted(keys)],
    )


def _subset_order(subset: EndpointSubset) -> tuple[tuple[PortKey, ...], AddressKey]:
    first = min(address_key(a) for a in [*subset.addresses, *subset.not_ready_addresses])
    return tuple(port_key(port) for port in subset.ports), first
