"""Which pods back a Service, and with what: the rules both the Endpoints and the EndpointSlice
controllers follow (upstream's `endpointslice/util` and `pkg/api/v1/pod` helpers). Pure functions.

- `is_pod_ready(pod)`: the pod's `Ready` condition is `True`.
- `should_pod_be_in_endpoints(pod, include_terminating)` (EP-2): not Succeeded or Failed, has an IP
  (`podIP` or `podIPs`), and no `deletionTimestamp` unless `include_terminating`.
- `should_set_hostname(pod, service)` (EP-4): the pod has a hostname and its `subdomain` is the
  Service's name, in the Service's namespace.
- `find_port(pod, port)` (EP-5): a numeric targetPort as-is, declared or not; a named one is the
  `containerPort` of the first container port with that name and the same protocol, in container
  order, then in restartable (sidecar) init containers; None when it does not resolve.
- Service port defaults, applied here so nothing depends on API defaulting (EP-5): protocol TCP
  (`protocol_of`), targetPort = port (`target_port_of`); a container port's protocol is TCP too.
- `is_service_ip_set(service)`: a cluster IP other than `None`; a Service without one is headless
  (EP-8). `is_headless_without_ports(service)`: `clusterIP: None` and no ports (EP-7).
- `ip_family(service, pod)` and `pod_ips(pod)`: the Service's first IP family (else its cluster
  IP's, else the pod IP's) and the pod's IPs (`podIPs`, else `podIP`).
"""

from __future__ import annotations

from kubelite.api.core import Container, Pod, Service, ServicePort

TCP = "TCP"
IPV4 = "IPv4"
IPV6 = "IPv6"
CLUSTER_IP_NONE = "None"
TERMINAL_PHASES = ("Succeeded", "Failed")


def is_pod_ready(pod: Pod) -> bool:
    return any(c.type == "Ready" and c.status == "True" for c in pod.status.conditions)


def ready_transition_time(pod: Pod) -> str | None:
    """The Ready condition's lastTransitionTime (the pod's endpoint trigger time), if any."""
    for condition in pod.status.conditions:
        if condition.type == "Ready":
            return condition.last_transition_time
    return None


def pod_ips(pod: Pod) -> list[str]:
    if pod.status.pod_ips:
        return [entry.ip for entry in pod.status.pod_ips]
    return [pod.status.pod_ip] if pod.status.pod_ip else []


def should_pod_be_in_endpoints(pod: Pod, include_terminating: bool) -> bool:
    if pod.status.phase in TERMINAL_PHASES:
        return False
    if not pod.status.pod_ip and not pod.status.pod_ips:
        return False
    return include_terminating or pod.metadata.deletion_timestamp is None


def should_set_hostname(pod: Pod, service: Service) -> bool:
    return (
        bool(pod.spec.hostname)
        and pod.spec.subdomain == service.metadata.name
        and pod.metadata.namespace == service.metadata.namespace
    )


def protocol_of(port: ServicePort) -> str:
    return port.protocol or TCP


def target_port_of(port: ServicePort) -> int | str:
    target = port.target_port
    return port.port if target in (0, "") else target


def _restartable(container: Container) -> bool:
    return container.restart_policy == "Always"


def find_port(pod: Pod, port: ServicePort) -> int | None:
    target = target_port_of(port)
    if isinstance(target, int):
        return target
    protocol = protocol_of(port)
    sidecars = [c for c in pod.spec.init_containers if _restartable(c)]
    for container in [*pod.spec.containers, *sidecars]:
        for declared in container.ports:
            if declared.name == target and (declared.protocol or TCP) == protocol:
                return declared.container_port
    return None


def is_service_ip_set(service: Service) -> bool:
    return service.spec.cluster_ip not in ("", CLUSTER_IP_NONE)


def is_headless_without_ports(service: Service) -> bool:
    return service.spec.cluster_ip == CLUSTER_IP_NONE and not service.spec.ports


def is_ipv6(address: str) -> bool:
    """Whether `address` is an IPv6 address (every IPv6 text form has a colon, no IPv4 one does)."""
    return ":" in address


def service_families(service: Service) -> list[str]:
    """The Service's IP families: `ipFamilies`, else its cluster IP's family, else IPv4 (what the
    API server defaults a single-stack Service to)."""
    families = [family for family in service.spec.ip_families if family in (IPV4, IPV6)]
    if families:
        return families
    if is_service_ip_set(service):
        return [IPV6 if is_ipv6(service.spec.cluster_ip) else IPV4]
    return [IPV4]


def ip_family(service: Service, pod: Pod) -> str:
    """The family of a Service's Endpoints address for `pod` (upstream's
    podToEndpointAddressForService: a headless Service without families follows the pod IP)."""
    if service.spec.ip_families:
        return service.spec.ip_families[0]
    if is_service_ip_set(service):
        return IPV6 if is_ipv6(service.spec.cluster_ip) else IPV4
    return IPV6 if is_ipv6(pod.status.pod_ip) else IPV4


def ips_of_family(pod: Pod, family: str) -> list[str]:
    want_v6 = family == IPV6
    return [ip for ip in pod_ips(pod) if is_ipv6(ip) == want_v6]
