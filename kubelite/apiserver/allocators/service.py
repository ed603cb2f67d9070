"""What a Service holds from the allocators, and how a create or update changes that.

Upstream's `pkg/registry/core/service/storage/alloc.go`, single-stack:

- Create: a Service that needs a cluster IP (any type but ExternalName) and is not headless gets
  its `clusterIP` claimed when given, else the next free one; `clusterIPs` becomes `[clusterIP]`.
  NodePort and LoadBalancer Services get a node port for every port: an explicit one is claimed,
  ports sharing a `port` number share a node port, the others get the next free one, except that a
  LoadBalancer with `allocateLoadBalancerNodePorts: false` only keeps what it names. A LoadBalancer
  with `externalTrafficPolicy: Local` gets `healthCheckNodePort` (claimed or allocated).
- Update: ExternalName → any other type allocates the cluster IP; a (not headless) Service
  turning ExternalName frees its addresses; NodePort/LoadBalancer → ClusterIP/ExternalName frees
  its node ports; a NodePort/LoadBalancer update claims new explicit node ports, allocates the
  missing ones and frees the ones it drops; the health-check port follows `needs_health_check`.
  Frees take effect only when the write is stored (see `Transaction`).
- Errors as upstream: a value the user named and cannot have is a 422 on `spec.clusterIPs` ("failed
  to allocate IP <ip>: …") or `spec.ports[i].nodePort` ("provided port is already allocated", "…
  not in the valid range …"); a full range while allocating is a 500 ("failed to allocate a
  serviceIP: range is full", "failed to allocate a nodePort: range is full"), as is any failure
  of the health-check port.
"""

from __future__ import annotations

from kubelite.api.core import Service, ServiceSpec
from kubelite.api.errors import InternalError, Invalid, invalid, invalid_error
from kubelite.api.meta import StatusCause, StatusDetails
from kubelite.api.validation.fields import shown
from kubelite.apiserver.allocators.errors import AllocationError, RangeFull
from kubelite.apiserver.allocators.ips import IPRange
from kubelite.apiserver.allocators.ports import PortRange
from kubelite.apiserver.allocators.transaction import Transaction


def needs_cluster_ip(spec: ServiceSpec) -> bool:
    return spec.type != "ExternalName"


def is_headless(spec: ServiceSpec) -> bool:
    return spec.cluster_ip == "None" or spec.cluster_ips[:1] == ["None"]


def needs_node_ports(spec: ServiceSpec) -> bool:
    return spec.type in ("NodePort", "LoadBalancer")


def should_allocate_node_ports(spec: ServiceSpec) -> bool:
    if spec.type == "NodePort":
        return True
    return spec.type == "LoadBalancer" and spec.allocate_load_balancer_node_ports is not False


def needs_health_check(spec: ServiceSpec) -> bool:
    return spec.type == "LoadBalancer" and spec.external_traffic_policy == "Local"


def held_ips(spec: ServiceSpec) -> list[str]:
    if not needs_cluster_ip(spec) or is_headless(spec):
        return []
    return [ip for ip in (spec.cluster_ips or [spec.cluster_ip]) if ip and ip != "None"]


def held_ports(spec: ServiceSpec) -> list[int]:
    ports = [p.node_port for p in spec.ports if p.node_port]
    if needs_health_check(spec) and spec.health_check_node_port:
        ports.append(spec.health_check_node_port)
    return ports


def seed(ips: IPRange, ports: PortRange, svc: Service) -> None:
    """Mark what a stored Service holds (values outside today's ranges, or twice held, are skipped)."""
    for ip in held_ips(svc.spec):
        if ips.contains(ip) and not ips.has(ip):
            ips.claim(ip)
    for port in held_ports(svc.spec):
        if not ports.has(port):
            try:
                ports.claim(port)
            except AllocationError:
                continue


def release_all(ips: IPRange, ports: PortRange, svc: Service) -> None:
    """Free everything a removed Service held."""
    for ip in held_ips(svc.spec):
        ips.release(ip)
    for port in held_ports(svc.spec):
        ports.release(port)


def allocate_create(txn: Transaction, svc: Service) -> None:
    """Fill the new Service's cluster IP, node ports and health-check port; APIError on failure
    (the caller reverts `txn`)."""
    _allocate_cluster_ip(txn, svc)
    if needs_node_ports(svc.spec):
        _init_node_ports(txn, svc)
    if needs_health_check(svc.spec):
        _allocate_health_check(txn, svc)


def allocate_update(txn: Transaction, old: Service, new: Service) -> None:
    _update_cluster_ip(txn, old, new)
    if needs_node_ports(old.spec) and new.spec.type in ("ExternalName", "ClusterIP"):
        for port in held_ports_of_spec(old.spec):
            txn.release_port_later(port)
    if needs_node_ports(new.spec):
        _update_node_ports(txn, old, new)
    needed, needs = needs_health_check(old.spec), needs_health_check(new.spec)
    if needs and not needed:
        _allocate_health_check(txn, new)
    elif needed and not needs and old.spec.health_check_node_port:
        txn.release_port_later(old.spec.health_check_node_port)


def held_ports_of_spec(spec: ServiceSpec) -> list[int]:
    return [p.node_port for p in spec.ports if p.node_port]


def _allocate_cluster_ip(txn: Transaction, svc: Service) -> None:
    spec = svc.spec
    if not needs_cluster_ip(spec):
        return
    if is_headless(spec):
        spec.cluster_ip, spec.cluster_ips = "None", ["None"]
        return
    wanted = spec.cluster_ip or (spec.cluster_ips[0] if spec.cluster_ips else "")
    if not wanted:
        try:
            wanted = txn.next_ip()
        except RangeFull as error:
            raise internal(f"failed to allocate a serviceIP: {error}") from None
    else:
        try:
            txn.claim_ip(wanted)
        except AllocationError as error:
            detail = f"failed to allocate IP {wanted}: {error}"
            raise _invalid(svc, shown(spec.cluster_ips or [wanted]), "spec.clusterIPs", detail) from None
    spec.cluster_ip, spec.cluster_ips = wanted, [wanted]


def _update_cluster_ip(txn: Transaction, old: Service, new: Service) -> None:
    if old.spec.type == "ExternalName" and new.spec.type != "ExternalName":
        _allocate_cluster_ip(txn, new)
    elif needs_cluster_ip(old.spec) and not needs_cluster_ip(new.spec):
        for ip in held_ips(old.spec):
            txn.release_ip_later(ip)


def _init_node_ports(txn: Transaction, svc: Service) -> None:
    by_port: dict[int, int] = {}
    allocate = should_allocate_node_ports(svc.spec)
    for index, port in enumerate(svc.spec.ports):
        if not port.node_port and not allocate:
            continue
        shared = by_port.get(port.port, 0)
        if not shared:
            requested = next((p.node_port for p in svc.spec.ports if p.port == port.port and p.node_port), 0)
            port.node_port = _claim_or_next(txn, svc, index, requested)
            by_port[port.port] = port.node_port
        elif not port.node_port:
            port.node_port = shared
        elif port.node_port != shared:
            _claim_node_port(txn, svc, index, port.node_port)


def _update_node_ports(txn: Transaction, old: Service, new: Service) -> None:
    before = set(held_ports_of_spec(old.spec))
    claimed: set[int] = set()
    allocate = should_allocate_node_ports(new.spec)
    for index, port in enumerate(new.spec.ports):
        if not port.node_port and not allocate:
            continue
        if not port.node_port:
            port.node_port = _claim_or_next(txn, new, index, 0)
        elif port.node_port not in before and port.node_port not in claimed:
            _claim_node_port(txn, new, index, port.node_port)
            claimed.add(port.node_port)
    after = set(held_ports_of_spec(new.spec))
    for port_number in sorted(before - after):
        txn.release_port_later(port_number)


def _claim_or_next(txn: Transaction, svc: Service, index: int, requested: int) -> int:
    if requested:
        _claim_node_port(txn, svc, index, requested)
        return requested
    try:
        return txn.next_port()
    except RangeFull as error:
        raise internal(f"failed to allocate a nodePort: {error}") from None


def _claim_node_port(txn: Transaction, svc: Service, index: int, port: int) -> None:
    try:
        txn.claim_port(port)
    except AllocationError as error:
        raise _invalid(svc, port, f"spec.ports[{index}].nodePort", str(error)) from None


def _allocate_health_check(txn: Transaction, svc: Service) -> None:
    spec = svc.spec
    wanted = spec.health_check_node_port
    try:
        if wanted:
            txn.claim_port(wanted)
        else:
            spec.health_check_node_port = txn.next_port()
    except AllocationError as error:
        what = f"requested HealthCheck NodePort {wanted}" if wanted else f"a HealthCheck NodePort {wanted}"
        raise internal(f"failed to allocate {what}: {error}") from None


def _invalid(svc: Service, value: object, path: str, detail: str) -> Invalid:
    return invalid_error("", "Service", svc.metadata.name, [invalid(value, path, detail)])


def internal(what: str) -> InternalError:
    """Upstream's `NewInternalError`: the message prefixed, and repeated as the one cause."""
    details = StatusDetails(causes=[StatusCause(message=what)])
    return InternalError(f"Internal error occurred: {what}", details=details)
