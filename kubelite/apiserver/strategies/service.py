"""The Service strategy (Kubernetes' `pkg/registry/core/service/`).

- Create discards the sent status; main writes keep the stored status, status writes the stored
  spec. Services do not track generation.
- Admission allocates a clusterIP from the service CIDR unless the Service is headless
  (`clusterIP: None`), of type ExternalName, or names a free in-range address itself. A taken or
  out-of-range address is a 422, as in Kubernetes. Addresses handed to creates that are accepted
  but not yet committed are remembered until `release`, so two concurrent creates never share one.
- A replace that leaves `clusterIP` empty keeps the allocated address.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

from kubelite.api.core import Service
from kubelite.api.errors import invalid, invalid_error
from kubelite.api.meta import Object
from kubelite.apiserver.strategies.base import Strategy

if TYPE_CHECKING:
    from kubelite.api.registry import ResourceInfo
    from kubelite.apiserver.core import ServerCore

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class ServiceStrategy(Strategy):
    def __init__(self) -> None:
        super().__init__(status_subresource=True, reset_status_on_create=True)
        self.in_flight: set[str] = set()
        """clusterIPs handed to Services whose create is accepted but not yet committed."""

    def prepare_for_update(self, old: Object, new: Object) -> None:
        super().prepare_for_update(old, new)
        assert isinstance(old, Service) and isinstance(new, Service)
        if not new.spec.cluster_ip:
            new.spec.cluster_ip = old.spec.cluster_ip
            new.spec.cluster_ips = list(old.spec.cluster_ips)

    def admit_create(self, core: ServerCore, info: ResourceInfo, obj: Object) -> None:
        assert isinstance(obj, Service)
        spec = obj.spec
        if spec.type == "ExternalName" or spec.cluster_ip == "None":
            if spec.cluster_ip == "None":
                spec.cluster_ips = ["None"]
            return
        network = ipaddress.ip_network(core.settings.service_cidr)
        used = _used_cluster_ips(core, info) | self.in_flight
        if spec.cluster_ip:
            _claim(obj, network, used)
        else:
            _allocate(obj, network, used)
        self.in_flight.add(spec.cluster_ip)

    def release(self, obj: Object) -> None:
        assert isinstance(obj, Service)
        self.in_flight.discard(obj.spec.cluster_ip)


def _allocate(svc: Service, network: Network, used: set[str]) -> None:
    for address in network.hosts():
        text = str(address)
        if address != network.network_address + 1 and text not in used:
            svc.spec.cluster_ip = text
            svc.spec.cluster_ips = [text]
            return
    raise invalid_error("", "Service", svc.metadata.name, [invalid("", "spec.clusterIPs", "range is full")])


def _claim(svc: Service, network: Network, used: set[str]) -> None:
    wanted = svc.spec.cluster_ip
    try:
        address = ipaddress.ip_address(wanted)
    except ValueError:
        return  # validation reports the malformed address
    problem = ""
    if address not in network:
        problem = f"failed to allocate IP {wanted}: the provided IP ({wanted}) is not in the valid range"
    elif wanted in used:
        problem = f"failed to allocate IP {wanted}: provided IP is already allocated"
    if problem:
        err = invalid([wanted], "spec.clusterIPs", problem)
        raise invalid_error("", "Service", svc.metadata.name, [err])
    svc.spec.cluster_ips = [wanted]


def _used_cluster_ips(core: ServerCore, info: ResourceInfo) -> set[str]:
    records, _ = core.storage.list(info.qualified_plural)
    used: set[str] = set()
    for record in records:
        svc = core.load(info, record)
        assert isinstance(svc, Service)
        if svc.spec.cluster_ip and svc.spec.cluster_ip != "None":
            used.add(svc.spec.cluster_ip)
    return used
