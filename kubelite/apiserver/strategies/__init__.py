"""Per-kind strategies and the table that finds a kind's strategy.

`Strategies` belongs to one `APIServer`: it holds a fresh instance of every built-in strategy
(Pod, Namespace, Service, the workload kinds, the kinds without generation), the strategies the
caller passed for its own kinds (keyed by `(group, kind)`; they win over the built-ins), and, for
any other kind, a `generic_strategy` derived from the type's fields on first use. Lookups never
fail and always return the same object for the same kind.
"""

from __future__ import annotations

from collections.abc import Mapping

from kubelite.api.registry import ResourceInfo
from kubelite.apiserver.strategies.base import Strategy, generic_strategy
from kubelite.apiserver.strategies.cluster import cluster_strategies
from kubelite.apiserver.strategies.namespace import NamespaceStrategy
from kubelite.apiserver.strategies.pod import PodStrategy
from kubelite.apiserver.strategies.service import ServiceStrategy
from kubelite.apiserver.strategies.workloads import workload_strategies

__all__ = ["Strategies", "Strategy", "builtin_strategies", "generic_strategy"]

GroupKind = tuple[str, str]


def builtin_strategies() -> dict[GroupKind, Strategy]:
    """New instances of the built-in kinds' strategies."""
    return {
        ("", "Pod"): PodStrategy(),
        ("", "Namespace"): NamespaceStrategy(),
        ("", "Service"): ServiceStrategy(),
        **workload_strategies(),
        **cluster_strategies(),
    }


class Strategies:
    """The strategy of each kind, for one server."""

    def __init__(self, custom: Mapping[GroupKind, Strategy] | None = None) -> None:
        self._by_kind: dict[GroupKind, Strategy] = {**builtin_strategies(), **(custom or {})}

    def for_info(self, info: ResourceInfo) -> Strategy:
        key = (info.group, info.kind)
        strategy = self._by_kind.get(key)
        if strategy is None:
            strategy = self._by_kind[key] = generic_strategy(info)
        return strategy
