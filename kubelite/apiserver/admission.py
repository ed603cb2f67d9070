"""Kind-specific preparation of new objects, run on create before defaulting and validation.

- Pod: status reset to `phase: Pending` (Kubernetes' pod strategy), so clients cannot create running
  pods.
- Namespace: `status.phase: Active`.
- Service: a clusterIP is allocated from the service CIDR unless the Service is headless
  (`clusterIP: None`), of type ExternalName, or names a free in-range address itself. A taken or
  out-of-range address is a 422, as in Kubernetes.
"""

from __future__ import annotations

import ipaddress

from kubelite.api.core import Namespace, Pod, PodStatus, Service
from kubelite.api.errors import invalid, invalid_error
from kubelite.api.meta import Object
from kubelite.api.registry import ResourceInfo
from kubelite.apiserver.core import ServerCore


def prepare_create(core: ServerCore, info: ResourceInfo, obj: Object) -> None:
    if isinstance(obj, Pod):
        obj.status = PodStatus(phase="Pending")
    elif isinstance(obj, Namespace):
        obj.status.phase = "Active"


def prepare_update(old: Object, new: Object) -> None:
    """Fields a client may leave out of a replace and the server carries over."""
    if isinstance(old, Service) and isinstance(new, Service) and not new.spec.cluster_ip:
        new.spec.cluster_ip = old.spec.cluster_ip
        new.spec.cluster_ips = list(old.spec.cluster_ips)


def admit_create(core: ServerCore, info: ResourceInfo, obj: Object) -> None:
    """Admission that needs the rest of the cluster (runs after defaulting)."""
    if isinstance(obj, Service):
        _allocate_cluster_ip(core, info, obj)


def release_in_flight(core: ServerCore, obj: Object) -> None:
    """Forget an allocation once its create has committed or failed."""
    if isinstance(obj, Service):
        core.cluster_ips_in_flight.discard(obj.spec.cluster_ip)


def _allocate_cluster_ip(core: ServerCore, info: ResourceInfo, svc: Service) -> None:
    spec = svc.spec
    if spec.type == "ExternalName" or spec.cluster_ip == "None":
        if spec.cluster_ip == "None":
            spec.cluster_ips = ["None"]
        return
    network = ipaddress.ip_network(core.settings.service_cidr)
    used = _used_cluster_ips(core, info) | core.cluster_ips_in_flight
    if spec.cluster_ip:
        _claim(svc, network, used)
        core.cluster_ips_in_flight.add(spec.cluster_ip)
        return
    for address in network.hosts():
        text = str(address)
        if address != network.network_address + 1 and text not in used:
            spec.cluster_ip = text
            spec.cluster_ips = [text]
            core.cluster_ips_in_flight.add(text)
            return
    raise invalid_error("", "Service", svc.metadata.name, [invalid("", "spec.clusterIPs", "range is full")])


def _claim(svc: Service, network: ipaddress.IPv4Network | ipaddress.IPv6Network, used: set[str]) -> None:
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
