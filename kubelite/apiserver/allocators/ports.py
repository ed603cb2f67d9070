"""`PortRange`: NodePort allocation from the node-port range (upstream's `portallocator`).

The range is `base-last` inclusive (30000-32767 by default). The lower band of
`min(max(16, size/32), 128)` ports (86 for the default range) is preferred for static
(user-chosen) ports: dynamic allocation takes it only once the upper band is full.

`claim(port)` raises `NotInRange` ("provided port is not in the valid range. The range of valid
ports is 30000-32767") or `AlreadyAllocated` ("provided port is already allocated");
`allocate_next()` raises `RangeFull`; `release` of a free or foreign port does nothing.
"""

from __future__ import annotations

import random

from kubelite.apiserver.allocators.bitmap import Bitmap
from kubelite.apiserver.allocators.errors import AlreadyAllocated, NotInRange, RangeFull

STATIC_MIN, STATIC_MAX, STATIC_STEP = 16, 128, 32


def parse_port_range(text: str) -> tuple[int, int]:
    """`"30000-32767"` → (30000, 32767); a single port `"30000"` is a range of one."""
    low, _, high = text.partition("-")
    first, last = int(low), int(high or low)
    if not 0 < first <= last <= 65535:
        raise ValueError(f"invalid port range {text!r}")
    return first, last


def static_band(size: int) -> int:
    """Upstream's `calculateRangeOffset` for a port range of `size` ports."""
    if size <= STATIC_MIN:
        return 0
    return min(max(STATIC_MIN, size // STATIC_STEP), STATIC_MAX)


class PortRange:
    def __init__(self, spec: str, *, rng: random.Random | None = None) -> None:
        self.base, last = parse_port_range(spec)
        self.spec = f"{self.base}-{last}"
        size = last - self.base + 1
        self._map = Bitmap(size, static_band=static_band(size), rng=rng)

    @property
    def free(self) -> int:
        return self._map.free

    def has(self, port: int) -> bool:
        return self._contains(port) and self._map.has(port - self.base)

    def claim(self, port: int) -> None:
        if not self._contains(port):
            raise NotInRange(
                f"provided port is not in the valid range. The range of valid ports is {self.spec}"
            )
        if not self._map.claim(port - self.base):
            raise AlreadyAllocated("port")

    def allocate_next(self) -> int:
        offset = self._map.allocate_next()
        if offset is None:
            raise RangeFull()
        return self.base + offset

    def release(self, port: int) -> None:
        if self._contains(port):
            self._map.release(port - self.base)

    def _contains(self, port: int) -> bool:
        return 0 <= port - self.base < self._map.size
