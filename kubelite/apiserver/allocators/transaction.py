"""`Transaction`: allocations of one write, kept or undone once the write's fate is known.

Upstream's service registry runs allocation as a transaction around the store write: what it
allocates is taken at once (so a concurrent write cannot take it too) and released again on
`revert`; what it would free (a port the update drops, the addresses of a Service turning
ExternalName) is only noted, and freed on `commit`, so a failed write leaves the old object's
holdings intact. Exactly one of `commit`/`revert` takes effect; later calls do nothing.
"""

from __future__ import annotations

from kubelite.apiserver.allocators.ips import IPRange
from kubelite.apiserver.allocators.ports import PortRange


class Transaction:
    def __init__(self, ips: IPRange, ports: PortRange) -> None:
        self.ips = ips
        self.ports = ports
        self._taken_ips: list[str] = []
        self._taken_ports: list[int] = []
        self._free_ips: list[str] = []
        self._free_ports: list[int] = []
        self._done = False

    def claim_ip(self, ip: str) -> None:
        self.ips.claim(ip)
        self._taken_ips.append(ip)

    def next_ip(self) -> str:
        ip = self.ips.allocate_next()
        self._taken_ips.append(ip)
        return ip

    def claim_port(self, port: int) -> None:
        self.ports.claim(port)
        self._taken_ports.append(port)

    def next_port(self) -> int:
        port = self.ports.allocate_next()
        self._taken_ports.append(port)
        return port

    def release_ip_later(self, ip: str) -> None:
        self._free_ips.append(ip)

    def release_port_later(self, port: int) -> None:
        self._free_ports.append(port)

    def commit(self) -> None:
        if self._done:
            return
        self._done = True
        for ip in self._free_ips:
            self.ips.release(ip)
        for port in self._free_ports:
            self.ports.release(port)

    def revert(self) -> None:
        if self._done:
            return
        self._done = True
        for ip in self._taken_ips:
            self.ips.release(ip)
        for port in self._taken_ports:
            self.ports.release(port)

    def finish(self, stored: bool) -> None:
        """`commit` if the write was stored, else `revert`."""
        if stored:
            self.commit()
        else:
            self.revert()
