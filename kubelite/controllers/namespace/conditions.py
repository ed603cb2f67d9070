"""The status conditions of a terminating Namespace, as upstream's namespace deleter writes them
(`pkg/controller/namespace/deletion/status_condition_utils.go`; GC-8). Pure functions.

`Content` is what one pass over the namespace found: per resource (`pods.`, `replicasets.apps`,
Kubernetes' `resource.group` form) how many objects are still there, per finalizer how many of
them carry it, and the deletions that failed. `deletion_conditions` turns it into the five
conditions upstream always writes, in upstream's order; `merge_conditions` keeps each stored
condition's `lastTransitionTime` unless its status changed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from kubelite.api.core import NamespaceCondition
from kubelite.clock import rfc3339


@dataclass
class Content:
    remaining: Counter[str] = field(default_factory=Counter)
    """Objects still present, by `resource.group`."""
    finalizers: Counter[str] = field(default_factory=Counter)
    """Remaining objects carrying each finalizer."""
    failures: list[str] = field(default_factory=list)
    """One message per failed list or delete."""
    estimate: float = 0.0
    """Seconds until the longest running grace period among the remaining objects ends."""


def deletion_conditions(content: Content) -> list[NamespaceCondition]:
    return [
        _false(
            "NamespaceDeletionDiscoveryFailure",
            "ResourcesDiscovered",
            "All resources successfully discovered",
        ),
        _false(
            "NamespaceDeletionGroupVersionParsingFailure",
            "ParsedGroupVersions",
            "All legacy kube types successfully parsed",
        ),
        _content_failure(content.failures),
        _remaining(content.remaining),
        _finalizers(content.finalizers),
    ]


def merge_conditions(
    old: list[NamespaceCondition], new: list[NamespaceCondition], now: float
) -> list[NamespaceCondition]:
    by_type = {c.type: c for c in old}
    merged = []
    for condition in new:
        previous = by_type.get(condition.type)
        keep = previous is not None and previous.status == condition.status
        since = previous.last_transition_time if keep and previous is not None else rfc3339(now)
        merged.append(
            NamespaceCondition(
                type=condition.type,
                status=condition.status,
                last_transition_time=since,
                reason=condition.reason,
                message=condition.message,
            )
        )
    return merged


def _false(kind: str, reason: str, message: str) -> NamespaceCondition:
    return NamespaceCondition(type=kind, status="False", reason=reason, message=message)


def _content_failure(failures: list[str]) -> NamespaceCondition:
    kind = "NamespaceDeletionContentFailure"
    if not failures:
        return _false(
            kind, "ContentDeleted", "All content successfully deleted, may be waiting on finalization"
        )
    message = f"Failed to delete all resource types, {len(failures)} remaining: {', '.join(failures)}"
    return NamespaceCondition(type=kind, status="True", reason="ContentDeletionFailed", message=message)


def _remaining(remaining: Counter[str]) -> NamespaceCondition:
    kind = "NamespaceContentRemaining"
    if not remaining:
        return _false(kind, "ContentRemoved", "All content successfully removed")
    parts = sorted(f"{resource} has {count} resource instances" for resource, count in remaining.items())
    message = f"Some resources are remaining: {', '.join(parts)}"
    return NamespaceCondition(type=kind, status="True", reason="SomeResourcesRemain", message=message)


def _finalizers(finalizers: Counter[str]) -> NamespaceCondition:
    kind = "NamespaceFinalizersRemaining"
    if not finalizers:
        return _false(kind, "ContentHasNoFinalizers", "All content-preserving finalizers finished")
    parts = sorted(f"{name} in {count} resource instances" for name, count in finalizers.items())
    message = f"Some content in the namespace has finalizers remaining: {', '.join(parts)}"
    return NamespaceCondition(type=kind, status="True", reason="SomeFinalizersRemain", message=message)
