"""The policy group, version v1: PodDisruptionBudget and the Eviction subresource payload."""

from kubelite.api.policy.eviction import Eviction
from kubelite.api.policy.poddisruptionbudget import (
    PodDisruptionBudget,
    PodDisruptionBudgetSpec,
    PodDisruptionBudgetStatus,
)

__all__ = ["Eviction", "PodDisruptionBudget", "PodDisruptionBudgetSpec", "PodDisruptionBudgetStatus"]
