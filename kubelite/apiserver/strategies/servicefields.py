"""Service fields a main write (PUT, PATCH) keeps or drops, as upstream's service strategy and
registry do (`patchAllocatedValues`, `dropTypeDependentFields`).

Kept, when the request leaves them empty and both the stored and the new type use them: the
cluster IP(s); each port's node port, matched by port name, unless the request already gives that
node port to another of its ports; the health-check node port.

Dropped, only when the stored Service used them, the new type does not, and the request did not
change them (so a value the user set on purpose still reaches validation and is refused there):
cluster IPs, `ipFamilies` and `ipFamilyPolicy` of a Service turning ExternalName; node ports of a
Service leaving NodePort/LoadBalancer (unchanged: the request names no node port the stored
Service did not hold, whatever else it does to the ports); the health-check port once not a
LoadBalancer with `externalTrafficPolicy: Local`; `allocateLoadBalancerNodePorts` and
`loadBalancerClass` of a Service leaving LoadBalancer; `externalTrafficPolicy` of a Service no
longer externally reachable. `status.loadBalancer` is always cleared off LoadBalancer. The
allocators free what was dropped once the write is stored.
"""

from __future__ import annotations

from kubelite.api.core import LoadBalancerStatus, Service, ServiceSpec
from kubelite.apiserver.allocators.service import needs_cluster_ip, needs_health_check, needs_node_ports


def keep_allocated_values(old: Service, new: Service) -> None:
    before, after = old.spec, new.spec
    if needs_cluster_ip(before) and needs_cluster_ip(after):
        if not after.cluster_ip:
            after.cluster_ip = before.cluster_ip
        if not after.cluster_ips and before.cluster_ips:
            after.cluster_ips = list(before.cluster_ips)
    if needs_node_ports(before) and needs_node_ports(after):
        used = _node_ports(before) & _node_ports(after)
        by_name = {port.name: port.node_port for port in before.ports}
        for port in after.ports:
            if not port.node_port and by_name.get(port.name, 0) not in used:
                port.node_port = by_name.get(port.name, 0)
    if needs_health_check(before) and needs_health_check(after) and not after.health_check_node_port:
        after.health_check_node_port = before.health_check_node_port


def drop_type_dependent_fields(old: Service, new: Service) -> None:
    before, after = old.spec, new.spec
    if needs_cluster_ip(before) and not needs_cluster_ip(after):
        if after.cluster_ips == before.cluster_ips and after.cluster_ip == before.cluster_ip:
            after.cluster_ip, after.cluster_ips = "", []
        if after.ip_families == before.ip_families:
            after.ip_families = []
        if after.ip_family_policy == before.ip_family_policy:
            after.ip_family_policy = None
    same_ports = _node_ports(after) <= _node_ports(before)
    if needs_node_ports(before) and not needs_node_ports(after) and same_ports:
        for port in after.ports:
            port.node_port = 0
    same_check = after.health_check_node_port == before.health_check_node_port
    if needs_health_check(before) and not needs_health_check(after) and same_check:
        after.health_check_node_port = 0
    _drop_load_balancer_only(old, new)


def _node_ports(spec: ServiceSpec) -> set[int]:
    return {port.node_port for port in spec.ports if port.node_port}


def _externally_accessible(spec: ServiceSpec) -> bool:
    return spec.type in ("NodePort", "LoadBalancer") or (spec.type == "ClusterIP" and bool(spec.external_ips))


def _drop_load_balancer_only(old: Service, new: Service) -> None:
    before, after = old.spec, new.spec
    if before.type == "LoadBalancer" and after.type != "LoadBalancer":
        allocate = before.allocate_load_balancer_node_ports
        if allocate is not None and after.allocate_load_balancer_node_ports == allocate:
            after.allocate_load_balancer_node_ports = None
        if after.load_balancer_class == before.load_balancer_class:
            after.load_balancer_class = None
    if after.type != "LoadBalancer":
        new.status.load_balancer = LoadBalancerStatus()
    same_policy = after.external_traffic_policy == before.external_traffic_policy
    if _externally_accessible(before) and not _externally_accessible(after) and same_policy:
        after.external_traffic_policy = ""
