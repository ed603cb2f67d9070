"""Defaults for the core/v1 kinds other than Pod, and for EndpointSlice.

- Service: `type: ClusterIP`, `sessionAffinity: None` (which drops `sessionAffinityConfig`;
  `ClientIP` affinity gets a 10800 s timeout), each port `protocol: TCP` and `targetPort = port`
  when unset, `externalTrafficPolicy: Cluster` for externally reachable services (NodePort,
  LoadBalancer, ClusterIP with `externalIPs`),
  `internalTrafficPolicy: Cluster` (ClusterIP, NodePort, LoadBalancer),
  `allocateLoadBalancerNodePorts: true` for LoadBalancer; `clusterIPs` mirrors a lone
  `clusterIP` and `clusterIP` the first of a lone `clusterIPs`; a `status.loadBalancer.ingress`
  entry with an `ip` gets `ipMode: VIP` (LoadBalancerIPMode, on since 1.30). The clusterIP is never allocated
  here, nor are `ipFamilies`/`ipFamilyPolicy` set: the apiserver's allocation does that.
- Namespace: the label `kubernetes.io/metadata.name=<name>` (once the name is known),
  `status.phase: Active`; on create only, the `kubernetes` finalizer is added to `spec.finalizers`
  (it is removed over the namespace's life, so it must not come back on update).
- Node: `status.allocatable` defaults to `status.capacity`.
- Secret: `type: Opaque`; `stringData` is merged into `data` (base64-encoded, winning over `data`)
  and cleared, so it is never stored.
- ReplicationController (RS-11): `replicas: 1`; an empty selector and empty `metadata.labels`
  default to the template's labels; the template gets the pod-spec defaults.
- Endpoints and EndpointSlice ports: `protocol: TCP` (EndpointSlice ports also `name: ""`).
ConfigMap, Event, Lease and PodDisruptionBudget have no defaults.
"""

from __future__ import annotations

import base64

from kubelite.api.core import (
    ClientIPConfig,
    Endpoints,
    Namespace,
    Node,
    ReplicationController,
    Secret,
    Service,
    ServiceSpec,
    SessionAffinityConfig,
)
from kubelite.api.defaults.pod import default_pod_spec
from kubelite.api.discovery import EndpointSlice

NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"
NAMESPACE_FINALIZER = "kubernetes"
CLIENT_IP_TIMEOUT_SECONDS = 10800


def default_service(svc: Service) -> None:
    spec = svc.spec
    _default_session_affinity(spec)
    spec.type = spec.type or "ClusterIP"
    if spec.cluster_ip and not spec.cluster_ips:
        spec.cluster_ips = [spec.cluster_ip]
    elif spec.cluster_ips and not spec.cluster_ip:
        spec.cluster_ip = spec.cluster_ips[0]
    for port in spec.ports:
        port.protocol = port.protocol or "TCP"
        if port.target_port in (0, ""):
            port.target_port = port.port
    externally_reachable = spec.type in ("NodePort", "LoadBalancer") or (
        spec.type == "ClusterIP" and bool(spec.external_ips)
    )
    if externally_reachable and not spec.external_traffic_policy:
        spec.external_traffic_policy = "Cluster"
    if spec.internal_traffic_policy is None and spec.type in ("ClusterIP", "NodePort", "LoadBalancer"):
        spec.internal_traffic_policy = "Cluster"
    if spec.type == "LoadBalancer" and spec.allocate_load_balancer_node_ports is None:
        spec.allocate_load_balancer_node_ports = True
    for ingress in svc.status.load_balancer.ingress:
        if ingress.ip and ingress.ip_mode is None:
            ingress.ip_mode = "VIP"


def _default_session_affinity(spec: ServiceSpec) -> None:
    spec.session_affinity = spec.session_affinity or "None"
    if spec.session_affinity == "None":
        spec.session_affinity_config = None
    elif spec.session_affinity == "ClientIP":
        config = spec.session_affinity_config
        if config is None or config.client_ip is None or config.client_ip.timeout_seconds is None:
            timeout = ClientIPConfig(timeout_seconds=CLIENT_IP_TIMEOUT_SECONDS)
            spec.session_affinity_config = SessionAffinityConfig(client_ip=timeout)


def default_namespace(ns: Namespace, creating: bool) -> None:
    if ns.metadata.name:
        ns.metadata.labels[NAMESPACE_NAME_LABEL] = ns.metadata.name
    if not ns.status.phase:
        ns.status.phase = "Active"
    if creating and NAMESPACE_FINALIZER not in ns.spec.finalizers:
        ns.spec.finalizers.append(NAMESPACE_FINALIZER)


def default_node(node: Node) -> None:
    status = node.status
    if not status.allocatable and status.capacity:
        status.allocatable = dict(status.capacity)


def default_secret(secret: Secret) -> None:
    if not secret.type:
        secret.type = "Opaque"
    for key, text in secret.string_data.items():
        secret.data[key] = base64.b64encode(text.encode()).decode()
    secret.string_data = {}


def default_replication_controller(rc: ReplicationController) -> None:
    spec = rc.spec
    template = spec.template
    if template is not None:
        labels = template.metadata.labels
        if labels and not spec.selector:
            spec.selector = dict(labels)
        if labels and not rc.metadata.labels:
            rc.metadata.labels = dict(labels)
        default_pod_spec(template.spec)
    if spec.replicas is None:
        spec.replicas = 1


def default_endpoints(endpoints: Endpoints) -> None:
    for subset in endpoints.subsets:
        for port in subset.ports:
            port.protocol = port.protocol or "TCP"


def default_endpoint_slice(slice_: EndpointSlice) -> None:
    for port in slice_.ports:
        if port.name is None:
            port.name = ""
        if port.protocol is None:
            port.protocol = "TCP"
