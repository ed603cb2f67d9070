"""Validation of core/v1 Services.

Create: a DNS-1035 label name; `ports` required unless the Service is headless (`clusterIP:
None`) or `ExternalName`; each port 1–65535 with protocol TCP/UDP/SCTP, a DNS-1123-label name
(required when there are several, unique), a `targetPort` that is a port number or name, no
duplicate (protocol, port) or node port; `type` ClusterIP, NodePort, LoadBalancer or
ExternalName (ClusterIP Services take no `nodePort`, ExternalName ones need `externalName` and no
cluster IPs, headless is not allowed for NodePort/LoadBalancer); valid cluster and external IPs;
selector labels; session affinity; traffic policies; LoadBalancer-only fields; `ipFamilyPolicy`
and `ipFamilies` values (at most two, no repeats).

Update: the primary cluster IP may not change once set (`may not change once set`) nor be unset.
A changed `status.loadBalancer` (a status write; main writes keep the stored status) is checked
as upstream's ValidateLoadBalancerStatus: ingress only on a LoadBalancer, each `ip` a valid IP
with `ipMode` VIP or Proxy (none without an `ip`), each `hostname` a DNS-1123 subdomain that is
not an IP address.
Validation runs before cluster-IP allocation on create, so an empty `clusterIP` is fine then.
Empty fields that defaulting fills (`type`, `protocol`, `sessionAffinity`, `targetPort` 0) pass.
"""

from __future__ import annotations

from kubelite.api.core.service import (
    LoadBalancerIngress,
    LoadBalancerStatus,
    Service,
    ServicePort,
    ServiceSpec,
)
from kubelite.api.errors import FieldError, duplicate, forbidden, invalid, not_supported, required
from kubelite.api.validation import names
from kubelite.api.validation.containers import PROTOCOLS
from kubelite.api.validation.fields import messages, shown, valid_ip
from kubelite.api.validation.objectmeta import validate_labels, validate_object_meta
from kubelite.api.validation.probes import port_num_or_name

TYPES = ("ClusterIP", "ExternalName", "LoadBalancer", "NodePort")
IP_FAMILY_POLICIES = ("PreferDualStack", "RequireDualStack", "SingleStack")
IP_FAMILIES = ("IPv4", "IPv6")
IP_MODES = ("Proxy", "VIP")
KUBELET_PORT = 10250
MAX_AFFINITY_SECONDS = 86400
_LB_ONLY = "may only be used when `type` is 'LoadBalancer'"


def cluster_ips(spec: ServiceSpec) -> list[str]:
    """The effective cluster IPs: `clusterIPs`, or just `clusterIP` before allocation fills both."""
    if spec.cluster_ips:
        return list(spec.cluster_ips)
    return [spec.cluster_ip] if spec.cluster_ip else []


def is_headless(spec: ServiceSpec) -> bool:
    return cluster_ips(spec) == ["None"]


def validate_service(service: Service) -> list[FieldError]:
    spec = service.spec
    errors = validate_object_meta(service.metadata, namespaced=True, name_fn=names.dns1035_name)
    if not spec.ports and not is_headless(spec) and spec.type != "ExternalName":
        errors.append(required("spec.ports"))
    errors += _by_type(spec)
    errors += _ports(spec.ports)
    errors += validate_labels(spec.selector, "spec.selector")
    errors += _session_affinity(spec)
    errors += _cluster_ips(spec)
    for index, address in enumerate(spec.external_ips):
        errors += valid_ip(address, f"spec.externalIPs[{index}]")
    if spec.type and spec.type not in TYPES:
        errors.append(not_supported(spec.type, "spec.type", TYPES))
    errors += _duplicate_ports(spec)
    return errors + _traffic_and_load_balancer(spec) + _ip_families(spec)


def _by_type(spec: ServiceSpec) -> list[FieldError]:
    errors: list[FieldError] = []
    if spec.type in ("LoadBalancer", "NodePort") and is_headless(spec):
        kind = "LoadBalancer" if spec.type == "LoadBalancer" else "NodePort"
        errors.append(invalid("None", "spec.clusterIPs[0]", f"may not be set to 'None' for {kind} services"))
    if spec.type == "LoadBalancer":
        detail = f"may not expose port {KUBELET_PORT} externally since it is used by kubelet"
        errors += [
            invalid(p.port, f"spec.ports[{i}]", detail)
            for i, p in enumerate(spec.ports)
            if p.port == KUBELET_PORT
        ]
    if spec.type == "ClusterIP":
        detail = "may not be used when `type` is 'ClusterIP'"
        errors += [
            forbidden(f"spec.ports[{i}].nodePort", detail) for i, p in enumerate(spec.ports) if p.node_port
        ]
    if spec.type != "ExternalName":
        return errors
    if cluster_ips(spec):
        errors.append(forbidden("spec.clusterIPs", "may not be set for ExternalName services"))
    cname = spec.external_name.removesuffix(".")
    if not cname:
        return [*errors, required("spec.externalName")]
    return errors + messages(cname, "spec.externalName", names.is_dns1123_subdomain(cname))


def _ports(ports: list[ServicePort]) -> list[FieldError]:
    errors: list[FieldError] = []
    seen: set[str] = set()
    for index, port in enumerate(ports):
        path = f"spec.ports[{index}]"
        if len(ports) > 1 and not port.name:
            errors.append(required(f"{path}.name"))
        elif port.name:
            errors += messages(port.name, f"{path}.name", names.is_dns1123_label(port.name))
            if port.name in seen:
                errors.append(duplicate(port.name, f"{path}.name"))
            seen.add(port.name)
        errors += messages(port.port, f"{path}.port", names.is_valid_port_num(port.port))
        if port.protocol and port.protocol not in PROTOCOLS:
            errors.append(not_supported(port.protocol, f"{path}.protocol", PROTOCOLS))
        if port.target_port != 0:
            errors += port_num_or_name(port.target_port, f"{path}.targetPort")
        if port.app_protocol is not None:
            problems = names.is_qualified_name(port.app_protocol)
            errors += messages(port.app_protocol, f"{path}.appProtocol", problems)
    return errors


def _duplicate_ports(spec: ServiceSpec) -> list[FieldError]:
    errors: list[FieldError] = []
    node_ports: set[tuple[str, int]] = set()
    ports: set[tuple[str, int]] = set()
    for index, port in enumerate(spec.ports):
        protocol = port.protocol or "TCP"
        if port.node_port:
            if (protocol, port.node_port) in node_ports:
                errors.append(duplicate(port.node_port, f"spec.ports[{index}].nodePort"))
            node_ports.add((protocol, port.node_port))
        if (protocol, port.port) in ports:
            errors.append(duplicate(shown({"port": port.port, "protocol": protocol}), f"spec.ports[{index}]"))
        ports.add((protocol, port.port))
    return errors


def _session_affinity(spec: ServiceSpec) -> list[FieldError]:
    affinity, config = spec.session_affinity, spec.session_affinity_config
    path = "spec.sessionAffinityConfig"
    if affinity and affinity not in ("ClientIP", "None"):
        return [not_supported(affinity, "spec.sessionAffinity", ("ClientIP", "None"))]
    if affinity == "None" and config is not None:
        return [forbidden(path, "must not be set when session affinity is None")]
    if affinity != "ClientIP" or config is None:
        return []
    timeout = config.client_ip.timeout_seconds if config.client_ip else None
    if timeout is not None and not 0 < timeout <= MAX_AFFINITY_SECONDS:
        detail = f"must be greater than 0 and less than {MAX_AFFINITY_SECONDS}"
        return [invalid(timeout, f"{path}.clientIP.timeoutSeconds", detail)]
    return []


def _cluster_ips(spec: ServiceSpec) -> list[FieldError]:
    if spec.type == "ExternalName":
        return []
    errors: list[FieldError] = []
    addresses = cluster_ips(spec)
    if spec.cluster_ip and spec.cluster_ips and spec.cluster_ips[0] != spec.cluster_ip:
        errors.append(
            invalid(shown(spec.cluster_ips), "spec.clusterIPs", "first value must match `clusterIP`")
        )
    for index, address in enumerate(addresses):
        if address == "None" and index == 0:
            if len(addresses) > 1:
                errors.append(
                    invalid(shown(addresses), "spec.clusterIPs", "'None' must be the first and only value")
                )
            continue
        errors += valid_ip(address, f"spec.clusterIPs[{index}]")
    if len(addresses) > 2:
        errors.append(invalid(shown(addresses), "spec.clusterIPs", "may only hold up to 2 values"))
    return errors


def _traffic_and_load_balancer(spec: ServiceSpec) -> list[FieldError]:
    errors: list[FieldError] = []
    accessible = spec.type in ("NodePort", "LoadBalancer") or (
        spec.type == "ClusterIP" and bool(spec.external_ips)
    )
    policy = spec.external_traffic_policy
    if policy and not accessible:
        detail = "may only be set for externally-accessible services"
        errors.append(invalid(policy, "spec.externalTrafficPolicy", detail))
    elif policy and policy not in ("Cluster", "Local"):
        errors.append(not_supported(policy, "spec.externalTrafficPolicy", ("Cluster", "Local")))
    internal = spec.internal_traffic_policy
    if internal is not None and internal not in ("Cluster", "Local"):
        errors.append(not_supported(internal, "spec.internalTrafficPolicy", ("Cluster", "Local")))
    if spec.type != "LoadBalancer":
        if spec.load_balancer_source_ranges:
            errors.append(forbidden("spec.LoadBalancerSourceRanges", _LB_ONLY))
        if spec.allocate_load_balancer_node_ports is not None:
            errors.append(forbidden("spec.allocateLoadBalancerNodePorts", _LB_ONLY))
        if spec.load_balancer_class is not None:
            errors.append(forbidden("spec.loadBalancerClass", _LB_ONLY))
    return errors


def _ip_families(spec: ServiceSpec) -> list[FieldError]:
    errors: list[FieldError] = []
    policy = spec.ip_family_policy
    if policy is not None and policy not in IP_FAMILY_POLICIES:
        errors.append(not_supported(policy, "spec.ipFamilyPolicy", IP_FAMILY_POLICIES))
    seen: set[str] = set()
    for index, family in enumerate(spec.ip_families):
        if family not in IP_FAMILIES:
            errors.append(not_supported(family, f"spec.ipFamilies[{index}]", IP_FAMILIES))
        if family in seen:
            errors.append(duplicate(family, f"spec.ipFamilies[{index}]"))
        seen.add(family)
    if len(spec.ip_families) > 2:
        detail = "may specify no more than two IP families"
        errors.append(invalid(shown(spec.ip_families), "spec.ipFamilies", detail))
    return errors


def validate_service_update(new: Service, old: Service) -> list[FieldError]:
    """The primary cluster IP is fixed once allocated (headless and ExternalName Services aside);
    a changed load-balancer status is valid."""
    errors = []
    if new.status.load_balancer != old.status.load_balancer:
        errors = validate_load_balancer_status(new.status.load_balancer, new.spec.type)
    return errors + _primary_cluster_ip(new, old)


def validate_load_balancer_status(status: LoadBalancerStatus, kind: str) -> list[FieldError]:
    path = "status.loadBalancer.ingress"
    if kind != "LoadBalancer" and status.ingress:
        return [forbidden(path, "may only be used when `spec.type` is 'LoadBalancer'")]
    errors: list[FieldError] = []
    for index, ingress in enumerate(status.ingress):
        errors += _ingress(ingress, f"{path}[{index}]")
    return errors


def _ingress(ingress: LoadBalancerIngress, path: str) -> list[FieldError]:
    errors = valid_ip(ingress.ip, f"{path}.ip") if ingress.ip else []
    if ingress.ip_mode is not None and not ingress.ip:
        errors.append(forbidden(f"{path}.ipMode", "may not be specified when `ip` is not set"))
    elif ingress.ip_mode is not None and ingress.ip_mode not in IP_MODES:
        errors.append(not_supported(ingress.ip_mode, f"{path}.ipMode", IP_MODES))
    if ingress.hostname:
        errors += messages(ingress.hostname, f"{path}.hostname", names.is_dns1123_subdomain(ingress.hostname))
        if not valid_ip(ingress.hostname, ""):
            errors.append(
                invalid(ingress.hostname, f"{path}.hostname", "must be a DNS name, not an IP address")
            )
    return errors


def _primary_cluster_ip(new: Service, old: Service) -> list[FieldError]:
    if "ExternalName" in (new.spec.type, old.spec.type) or (is_headless(new.spec) and is_headless(old.spec)):
        return []
    before, after = cluster_ips(old.spec), cluster_ips(new.spec)
    if not before:
        return []
    path = "spec.clusterIPs[0]"
    if not after:
        return [invalid(shown(after), path, "primary clusterIP can not be unset")]
    if after[0] != before[0]:
        return [invalid(shown(after), path, "may not change once set")]
    return []
