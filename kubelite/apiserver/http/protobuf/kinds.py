"""Which message decodes which (apiVersion, kind) of a protobuf envelope.

Every built-in kind kubelite serves, plus the bodies kubectl sends that are not stored objects:
DeleteOptions (under any apiVersion: client-go registers it in every group version), Eviction,
Scale and SelfSubjectAccessReview. `message_for` raises `ProtobufError(unknown_kind=True)` for the
rest.
"""

from __future__ import annotations

from kubelite.apiserver.http.protobuf.errors import ProtobufError

KINDS: dict[tuple[str, str], str] = {
    **{
        ("v1", kind): f"core.{kind}"
        for kind in (
            "Binding", "ConfigMap", "Endpoints", "Event", "Namespace", "Node", "Pod",
            "ReplicationController", "Secret", "Service",
        )
    },
    ("apps/v1", "Deployment"): "apps.Deployment",
    ("apps/v1", "ReplicaSet"): "apps.ReplicaSet",
    ("batch/v1", "Job"): "batch.Job",
    ("coordination.k8s.io/v1", "Lease"): "coordination.Lease",
    ("policy/v1", "PodDisruptionBudget"): "policy.PodDisruptionBudget",
    ("policy/v1", "Eviction"): "policy.Eviction",
    ("discovery.k8s.io/v1", "EndpointSlice"): "discovery.EndpointSlice",
    ("autoscaling/v1", "Scale"): "autoscaling.Scale",
    ("authorization.k8s.io/v1", "SelfSubjectAccessReview"): "authorization.SelfSubjectAccessReview",
}  # fmt: skip


def message_for(api_version: str, kind: str) -> str:
    """The message name for an envelope's type; DeleteOptions is accepted under any version."""
    if kind == "DeleteOptions":
        return "meta.DeleteOptions"
    name = KINDS.get((api_version, kind))
    if name is None:
        raise ProtobufError(f'no kind "{kind}" is registered for version "{api_version}"', unknown_kind=True)
    return name
