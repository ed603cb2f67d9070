"""Scheduling constraints of a pod: node and pod (anti-)affinity, tolerations, topology spread.

Kubernetes' long field names are kept (`requiredDuringSchedulingIgnoredDuringExecution`). Label
selectors inside affinity terms are `LabelSelector | None`: an absent selector selects nothing.
Tolerations are an atomic list; topology spread constraints merge by `topologyKey`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kubelite.api.meta import Base, LabelSelector

if TYPE_CHECKING:
    from kubelite.api.core.node import Taint


class NodeSelectorRequirement(Base):
    key: str
    operator: str
    values: list[str] = []


class NodeSelectorTerm(Base):
    match_expressions: list[NodeSelectorRequirement] = []
    match_fields: list[NodeSelectorRequirement] = []


class NodeSelector(Base):
    """Terms are ORed; the requirements inside one term are ANDed."""

    node_selector_terms: list[NodeSelectorTerm]


class PreferredSchedulingTerm(Base):
    weight: int
    preference: NodeSelectorTerm


class NodeAffinity(Base):
    required_during_scheduling_ignored_during_execution: NodeSelector | None = None
    preferred_during_scheduling_ignored_during_execution: list[PreferredSchedulingTerm] = []


class PodAffinityTerm(Base):
    topology_key: str
    label_selector: LabelSelector | None = None
    namespaces: list[str] = []
    namespace_selector: LabelSelector | None = None
    match_label_keys: list[str] = []
    mismatch_label_keys: list[str] = []


class WeightedPodAffinityTerm(Base):
    weight: int
    pod_affinity_term: PodAffinityTerm


class PodAffinity(Base):
    required_during_scheduling_ignored_during_execution: list[PodAffinityTerm] = []
    preferred_during_scheduling_ignored_during_execution: list[WeightedPodAffinityTerm] = []


class PodAntiAffinity(Base):
    required_during_scheduling_ignored_during_execution: list[PodAffinityTerm] = []
    preferred_during_scheduling_ignored_during_execution: list[WeightedPodAffinityTerm] = []


class Affinity(Base):
    node_affinity: NodeAffinity | None = None
    pod_affinity: PodAffinity | None = None
    pod_anti_affinity: PodAntiAffinity | None = None


class Toleration(Base):
    """An empty `key` with operator `Exists` tolerates everything; an empty `effect` any effect."""

    key: str = ""
    operator: str = ""
    value: str = ""
    effect: str = ""
    toleration_seconds: int | None = None

    def tolerates(self, taint: Taint) -> bool:
        """SCH-3: effect empty or equal; key empty or equal; `Exists`, or `Equal`/empty with equal
        values. Any other operator matches nothing."""
        if self.effect and self.effect != taint.effect:
            return False
        if self.key and self.key != taint.key:
            return False
        if self.operator == "Exists":
            return True
        return self.operator in ("", "Equal") and self.value == taint.value


class TopologySpreadConstraint(Base):
    max_skew: int
    topology_key: str
    when_unsatisfiable: str
    label_selector: LabelSelector | None = None
    min_domains: int | None = None
    node_affinity_policy: str | None = None
    node_taints_policy: str | None = None
    match_label_keys: list[str] = []
