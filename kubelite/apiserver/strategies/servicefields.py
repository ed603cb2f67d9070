"""Service fields a main write (PUT, PATCH) keeps or drops, as upstream's service strategy and
registry do (`patchAllocatedValues`, `dropTypeDependentFields`).

Kept, when the request leaves them empty and both the stored and the new type use them: the
cluster IP(s); each port's node port, matched by port name; the health-check node port.

Dropped, only when they no longer apply and equal the stored values (so a value the user set on
purpose still reaches validation): cluster IPs, `ipFamilies` and `ipFamilyPolicy` of a Service
turning ExternalName; node ports of a Service leaving NodePort/LoadBalancer; the health-check
port once not a LoadBalancer with `externalTrafficPolicy: Local`. Always dropped off
LoadBalancer: `allocateLoadBalancerNodePorts`, `loadBalancerClass` and `status.loadBalancer`;
`externalTrafficPolicy` of a Service that is no longer externally reachable. The allocators free
what was dropped once the write is stored.
"""

from __future__ import annotations

from kubelite.api.core import LoadBalancerStatus, Service
from kubelite.apiserver.allocators.service import needs_cluster_ip, needs_health_check, needs_node_ports


def keep_allocated_values(old: Service, new: Service) -> None:
    before, after = old.spec, new.spec
    if needs_cluster_ip(before) and needs_cluster_ip(after):
        if not after.cluster_ip:
            after.cluster_ip = before.cluster_ip
        if not after.cluster_ips and before.cluster_ips:
            after.cluster_ips = list(before.cluster_ips)
    if needs_node_ports(before) and needs_node_ports(after):
        by_name = {port.name: port.node_port for port in before.ports}
        for port in after.ports:
            if not port.node_port:
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
    same_ports = [p.node_port for p in after.ports] == [p.node_port for p in before.ports]
    if needs_node_ports(before) and not needs_node_ports(after) and same_ports:
        for port in after.ports:
            port.node_port = 0
    same_check = after.health_check_node_port == before.health_check_node_port
    if needs_health_check(before) and not needs_health_check(after) and same_check:
        after.health_check_node_port = 0
    _drop_load_balancer_only(new)


def _drop_load_balancer_only(svc: Service) -> None:
    spec = svc.spec
    if spec.type != "LoadBalancer":
        spec.allocate_load_balancer_node_ports = None
        spec.load_balancer_class = None
        svc.status.load_balancer = LoadBalancerStatus()
    if spec.type not in ("NodePort", "LoadBalancer") and not spec.external_ips:
        spec.external_traffic_policy = ""
