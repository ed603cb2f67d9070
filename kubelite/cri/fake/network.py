"""Pod IP allocation for fake nodes.

Contract: one `PodNetwork` may be shared by many fake runtimes (one per fake node), so pod IPs stay
unique across the whole fake cluster (KUB-14). `allocate(sandbox_id)` hands out an address no live
sandbox holds: never the network or broadcast address, fresh addresses first and released ones
(lowest first) only once the fresh ones are used up, which delays reuse as host-local IPAM does.
Asking again for a sandbox that already has an address returns the same one. `release` is
idempotent. When every address is taken, `allocate` raises `CRIError` and changes nothing.
Sandbox ids must be unique among the runtimes sharing a network (the fake runtimes use random ids).
"""

from __future__ import annotations

import heapq
import ipaddress

from kubelite.cri.errors import CRIError


class PodNetwork:
    """An IPv4 or IPv6 address pool over one CIDR."""

    __slots__ = ("_address_type", "_by_sandbox", "_first", "_last", "_network", "_next", "_released")

    def __init__(self, cidr: str = "10.244.0.0/16") -> None:
        self._network = ipaddress.ip_network(cidr)
        self._address_type = type(self._network.network_address)
        first = int(self._network.network_address)
        last = int(self._network.broadcast_address)
        if last - first >= 2:  # /31 and /32 (or /127, /128) have no network or broadcast address
            first, last = first + 1, last - 1
        self._first = first
        self._last = last
        self._next = first
        self._released: list[int] = []
        self._by_sandbox: dict[str, int] = {}

    @property
    def cidr(self) -> str:
        return str(self._network)

    @property
    def capacity(self) -> int:
        """How many addresses the pool can hand out at once."""
        return self._last - self._first + 1

    def __len__(self) -> int:
        """How many addresses are held by live sandboxes."""
        return len(self._by_sandbox)

    def allocate(self, sandbox_id: str) -> str:
        """An address for `sandbox_id`, unique among live sandboxes (the same one if asked again)."""
        held = self._by_sandbox.get(sandbox_id)
        if held is None:
            held = self._take()
            self._by_sandbox[sandbox_id] = held
        return self._text(held)

    def release(self, sandbox_id: str) -> None:
        """Return the sandbox's address to the pool (nothing happens if it holds none)."""
        held = self._by_sandbox.pop(sandbox_id, None)
        if held is not None:
            heapq.heappush(self._released, held)

    def address_of(self, sandbox_id: str) -> str | None:
        held = self._by_sandbox.get(sandbox_id)
        return None if held is None else self._text(held)

    def _take(self) -> int:
        if self._next <= self._last:
            self._next += 1
            return self._next - 1
        if self._released:
            return heapq.heappop(self._released)
        raise CRIError(f"pod network {self._network} has no free address ({self.capacity} in use)")

    def _text(self, value: int) -> str:
        return str(self._address_type(value))
