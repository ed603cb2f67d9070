"""`IPRange`: ClusterIP allocation from a service CIDR (upstream's `ipallocator.Range`).

The usable addresses are the CIDR without its network address and, for IPv4, its broadcast
address (10.96.0.1 … 10.111.255.254 for 10.96.0.0/12). IPv6 ranges are capped at 2^16 addresses
after the network address, as upstream caps its bitmap. The lower band of
`min(max(16, size/16), 256)` addresses is preferred for static (user-chosen) addresses: dynamic
allocation takes it only once the upper band is full, and never takes the first address, which
the server gives to the `kubernetes` Service.

`claim(ip)` raises `NotInRange` ("the provided IP (…) is not in the valid range. The range of valid
IPs is <cidr>") or `AlreadyAllocated` ("provided IP is already allocated"); `allocate_next()`
raises `RangeFull`; `release` of a free or foreign address does nothing. Malformed text is the
caller's to reject (validation runs first); here it is `NotInRange`.
"""

from __future__ import annotations

import ipaddress
import random

from kubelite.apiserver.allocators.bitmap import Bitmap
from kubelite.apiserver.allocators.errors import AlreadyAllocated, NotInRange, RangeFull

IPV6_MAX = 1 << 16
STATIC_MIN, STATIC_MAX, STATIC_STEP = 16, 256, 16


def static_band(size: int) -> int:
    """Upstream's `calculateRangeOffset` for a CIDR of `size` addresses."""
    if size <= STATIC_MIN:
        return 0
    return min(max(STATIC_MIN, size // STATIC_STEP), STATIC_MAX)


class IPRange:
    def __init__(self, cidr: str, *, rng: random.Random | None = None) -> None:
        self.network = ipaddress.ip_network(cidr, strict=False)
        self.cidr = str(self.network)
        self.family = "IPv4" if self.network.version == 4 else "IPv6"
        total = self.network.num_addresses
        size = max(total - 2, 0) if self.network.version == 4 else min(total - 1, IPV6_MAX)
        self._base = int(self.network.network_address) + 1
        first = 1 if size > 1 else 0
        self._map = Bitmap(size, static_band=min(static_band(total), size), first_dynamic=first, rng=rng)

    @property
    def first(self) -> str:
        """The first usable address: the `kubernetes` Service's."""
        return str(ipaddress.ip_address(self._base))

    @property
    def free(self) -> int:
        return self._map.free

    def has(self, ip: str) -> bool:
        offset = self._offset(ip)
        return offset is not None and self._map.has(offset)

    def contains(self, ip: str) -> bool:
        return self._offset(ip) is not None

    def claim(self, ip: str) -> None:
        offset = self._offset(ip)
        if offset is None:
            raise NotInRange(
                f"the provided IP ({ip}) is not in the valid range. The range of valid IPs is {self.cidr}"
            )
        if not self._map.claim(offset):
            raise AlreadyAllocated("IP")

    def allocate_next(self) -> str:
        offset = self._map.allocate_next()
        if offset is None:
            raise RangeFull()
        return str(ipaddress.ip_address(self._base + offset))

    def release(self, ip: str) -> None:
        offset = self._offset(ip)
        if offset is not None:
            self._map.release(offset)

    def _offset(self, ip: str) -> int | None:
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            return None
        if address.version != self.network.version:
            return None
        offset = int(address) - self._base
        return offset if 0 <= offset < self._map.size else None
