"""Per-kind write rules, as Kubernetes' registry strategies define them.

A `Strategy` answers the questions the generic request handlers ask about a kind:
- does `metadata.generation` track spec changes (API-3)?
- does the kind have a status subresource, so that main-resource writes keep the stored status and
  status writes keep the stored spec (API-4)? Does a status write also keep the stored labels (apps)?
- is a client-supplied status discarded on create (workload kinds, API-4)?
- which propagation policy does a DELETE without one use (GC-6: Orphan for core/v1
  ReplicationController and batch/v1 Job, Background otherwise)?
- is deletion graceful (pods, KUB-12)?

Kinds registered by plugins get `generic_strategy`: generation and status subresource follow from
whether the type has `spec` and `status` fields.
"""

from __future__ import annotations

from dataclasses import dataclass

from kubelite.api.registry import ResourceInfo


@dataclass(frozen=True, slots=True)
class Strategy:
    tracks_generation: bool = False
    status_subresource: bool = False
    reset_status_on_create: bool = False
    status_keeps_labels: bool = False
    default_propagation: str = "Background"
    graceful_delete: bool = False


_WORKLOAD = Strategy(tracks_generation=True, status_subresource=True, reset_status_on_create=True)
_APPS = Strategy(
    tracks_generation=True, status_subresource=True, reset_status_on_create=True, status_keeps_labels=True
)

_BUILTIN: dict[tuple[str, str], Strategy] = {
    ("", "Pod"): Strategy(
        tracks_generation=True, status_subresource=True, reset_status_on_create=True, graceful_delete=True
    ),
    ("", "ReplicationController"): Strategy(
        tracks_generation=True,
        status_subresource=True,
        reset_status_on_create=True,
        default_propagation="Orphan",
    ),
    ("apps", "Deployment"): _APPS,
    ("apps", "ReplicaSet"): _APPS,
    ("batch", "Job"): Strategy(
        tracks_generation=True,
        status_subresource=True,
        reset_status_on_create=True,
        default_propagation="Orphan",
    ),
    ("policy", "PodDisruptionBudget"): _WORKLOAD,
    ("", "Node"): Strategy(status_subresource=True),
    ("", "Service"): Strategy(status_subresource=True, reset_status_on_create=True),
    ("", "Namespace"): Strategy(status_subresource=True),
}


def strategy_for(info: ResourceInfo) -> Strategy:
    """The strategy for a kind: the built-in table, else one derived from the type's fields."""
    known = _BUILTIN.get((info.group, info.kind))
    return known if known is not None else generic_strategy(info)


def generic_strategy(info: ResourceInfo) -> Strategy:
    fields = set(getattr(info.type, "__struct_fields__", ()))
    has_status = "status" in fields and "status" in info.subresources
    return Strategy(
        tracks_generation="spec" in fields,
        status_subresource=has_status,
        reset_status_on_create=has_status,
    )
