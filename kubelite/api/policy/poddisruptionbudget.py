"""policy/v1 PodDisruptionBudget: how many matching pods voluntary evictions must leave (NODE-15,
NODE-16).

`minAvailable` and `maxUnavailable` are int-or-string (`2` or `"50%"`); at most one is set. The four
status counters are always encoded, as Kubernetes prints them (clients require them).
`disruptedPods` maps pod names to the RFC 3339 time of their eviction.
"""

from __future__ import annotations

from typing import Annotated

import msgspec

from kubelite.api.meta import Base, Condition, LabelSelector, Object
from kubelite.api.patchmeta import MergeKey


class PodDisruptionBudgetSpec(Base):
    min_available: int | str | None = None
    selector: LabelSelector | None = None
    max_unavailable: int | str | None = None
    unhealthy_pod_eviction_policy: str | None = None


class PodDisruptionBudgetStatus(Base):
    observed_generation: int = 0
    disrupted_pods: dict[str, str] = {}
    disruptions_allowed: int = msgspec.field(default_factory=int)
    current_healthy: int = msgspec.field(default_factory=int)
    desired_healthy: int = msgspec.field(default_factory=int)
    expected_pods: int = msgspec.field(default_factory=int)
    conditions: Annotated[list[Condition], MergeKey("type")] = []


class PodDisruptionBudget(Object):
    api_version: str = msgspec.field(default_factory=lambda: "policy/v1")
    spec: PodDisruptionBudgetSpec = msgspec.field(default_factory=PodDisruptionBudgetSpec)
    status: PodDisruptionBudgetStatus = msgspec.field(default_factory=PodDisruptionBudgetStatus)
