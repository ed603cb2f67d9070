"""Capping an Endpoints object at 1000 addresses (EP-10; upstream's truncateEndpoints). Pure.

`truncate(subsets, capacity)` returns `(subsets, truncated)`. Within capacity nothing changes.
Over it, ready addresses are kept first: if the ready ones alone exceed capacity, every
not-ready address goes and the ready ones are cut; otherwise only not-ready ones are cut. Each
subset keeps a share of what remains proportional to its size (rounded up, the last subsets
getting what is left), its first addresses in subset order.
"""

from __future__ import annotations

import math

import msgspec

from kubelite.api.core import EndpointSubset

MAX_CAPACITY = 1000
OVER_CAPACITY = "endpoints.kubernetes.io/over-capacity"
TRUNCATED = "truncated"


def address_count(subsets: list[EndpointSubset]) -> int:
    return sum(len(s.addresses) + len(s.not_ready_addresses) for s in subsets)


def truncate(
    subsets: list[EndpointSubset], capacity: int = MAX_CAPACITY
) -> tuple[list[EndpointSubset], bool]:
    ready = sum(len(s.addresses) for s in subsets)
    not_ready = sum(len(s.not_ready_addresses) for s in subsets)
    if ready + not_ready <= capacity:
        return subsets, False
    cut_ready = ready > capacity
    budget, total = (capacity, ready) if cut_ready else (capacity - ready, not_ready)
    left = budget
    result = []
    for subset in subsets:
        size = len(subset.addresses) if cut_ready else len(subset.not_ready_addresses)
        share = min(math.ceil(size / total * budget), left)
        if cut_ready:
            kept = msgspec.structs.replace(subset, addresses=subset.addresses[:share], not_ready_addresses=[])
            left -= len(kept.addresses)
        else:
            kept = msgspec.structs.replace(subset, not_ready_addresses=subset.not_ready_addresses[:share])
            left -= len(kept.not_ready_addresses)
        result.append(kept)
    return result, True
