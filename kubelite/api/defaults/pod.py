"""Pod and pod-template defaults (KUB-1, KUB-2, NODE-10).

`default_pod_spec` is what Kubernetes applies to every PodSpec, including the templates inside
Deployments, ReplicaSets, ReplicationControllers and Jobs: `restartPolicy: Always`,
`dnsPolicy: ClusterFirst`, `schedulerName: default-scheduler`, `terminationGracePeriodSeconds: 30`,
`securityContext: {}`, the container defaults (`kubelite.api.defaults.container`) and the volume
defaults (`kubelite.api.defaults.volume`).

`default_pod` adds what Kubernetes applies to Pods only, never to templates:
- requests default to limits when only limits are set;
- with `hostNetwork`, each port's `hostPort` defaults to its `containerPort`;
- `enableServiceLinks: true`;
- the DefaultTolerationSeconds admission (NODE-10): tolerations of 300 s for the
  `node.kubernetes.io/not-ready` and `node.kubernetes.io/unreachable` NoExecute taints, unless
  the pod already tolerates them.
Everything mutates in place and is idempotent.
"""

from __future__ import annotations

from kubelite.api.core import (
    Container,
    Pod,
    PodSecurityContext,
    PodSpec,
    Toleration,
)
from kubelite.api.defaults.container import default_container, default_requests_from_limits
from kubelite.api.defaults.volume import default_volume

DEFAULT_TOLERATION_SECONDS = 300
NOT_READY_TAINT = "node.kubernetes.io/not-ready"
UNREACHABLE_TAINT = "node.kubernetes.io/unreachable"


def default_pod(pod: Pod) -> None:
    spec = pod.spec
    default_pod_spec(spec)
    for container in (*spec.init_containers, *spec.containers):
        default_requests_from_limits(container)
    if spec.enable_service_links is None:
        spec.enable_service_links = True
    if spec.host_network:
        _default_host_ports(spec.init_containers)
        _default_host_ports(spec.containers)
    _default_tolerations(spec)


def default_pod_spec(spec: PodSpec) -> None:
    if not spec.dns_policy:
        spec.dns_policy = "ClusterFirst"
    if not spec.restart_policy:
        spec.restart_policy = "Always"
    if spec.security_context is None:
        spec.security_context = PodSecurityContext()
    if spec.termination_grace_period_seconds is None:
        spec.termination_grace_period_seconds = 30
    if not spec.scheduler_name:
        spec.scheduler_name = "default-scheduler"
    for container in (*spec.init_containers, *spec.containers, *spec.ephemeral_containers):
        default_container(container)
    for volume in spec.volumes:
        default_volume(volume)


def _default_host_ports(containers: list[Container]) -> None:
    for container in containers:
        for port in container.ports:
            if port.host_port == 0:
                port.host_port = port.container_port


def _default_tolerations(spec: PodSpec) -> None:
    for taint in (NOT_READY_TAINT, UNREACHABLE_TAINT):
        if not any(_tolerates_no_execute(toleration, taint) for toleration in spec.tolerations):
            spec.tolerations.append(
                Toleration(
                    key=taint,
                    operator="Exists",
                    effect="NoExecute",
                    toleration_seconds=DEFAULT_TOLERATION_SECONDS,
                )
            )


def _tolerates_no_execute(toleration: Toleration, taint: str) -> bool:
    """Whether `toleration` covers the NoExecute `taint` (an empty key or effect is a wildcard)."""
    return toleration.key in ("", taint) and toleration.effect in ("", "NoExecute")
