"""Settings of the apiserver layer. Every field has a default that matches Kubernetes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class APIServerSettings:
    service_cidr: str = "10.96.0.0/12"
    """Range that Service clusterIPs are allocated from (kube-apiserver's
    `--service-cluster-ip-range`); its first address is the `kubernetes` Service's."""

    service_node_port_range: str = "30000-32767"
    """Ports that NodePort and LoadBalancer Services get node ports from, both ends included
    (kube-apiserver's `--service-node-port-range`)."""

    default_grace_period_seconds: int = 30
    """Pod grace period when neither the DELETE nor the pod spec names one (KUB-12)."""

    generate_name_attempts: int = 8
    """How often a create with `generateName` retries a name that already exists."""

    max_annotation_bytes: int = 262_144
    """Upper bound on all annotations of one object together (API-7)."""

    max_object_bytes: int = 1_572_864
    """Largest encoded object the store accepts (etcd's default request limit, 1.5 MiB); a create
    or update of a larger one is a 413 RequestEntityTooLarge."""
