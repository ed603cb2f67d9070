"""How far a rollout may go above and below `spec.replicas` (DEP-3..5), pure.

`fenceposts(replicas, max_surge, max_unavailable, rolling=...)` resolves the int-or-percent values
against `replicas`: a percentage surge rounds up, a percentage unavailability rounds down (exact
rational arithmetic, C-4); when both come out 0, one replica may be unavailable. `MaxSurge` is 0
and `MaxUnavailable` is 0 under Recreate; `MaxUnavailable` is capped at `replicas` (0 when there
are none). `Fenceposts.min_available` / `max_total` are DEP-5's bounds.
"""

from __future__ import annotations

from dataclasses import dataclass

from kubelite.api.apps import Deployment

DEFAULT_PERCENT = "25%"


@dataclass(frozen=True, slots=True)
class Fenceposts:
    replicas: int
    max_surge: int
    max_unavailable: int

    @property
    def min_available(self) -> int:
        return self.replicas - self.max_unavailable

    @property
    def max_total(self) -> int:
        return self.replicas + self.max_surge


def scaled_value(value: int | str, total: int, *, round_up: bool) -> int:
    """An int-or-string against `total`: an int as given, "p%" as ceil or floor of p·total/100."""
    if isinstance(value, int):
        return value
    if not value.endswith("%") or not value[:-1].isdigit():
        raise ValueError(
            f"invalid value for IntOrString: invalid value {value!r}: must be an integer or a percentage"
        )
    share = int(value[:-1]) * total
    return -(-share // 100) if round_up else share // 100


def fenceposts(
    replicas: int, max_surge: int | str, max_unavailable: int | str, *, rolling: bool = True
) -> Fenceposts:
    if not rolling:
        return Fenceposts(replicas, 0, 0)
    surge = scaled_value(max_surge, replicas, round_up=True)
    unavailable = scaled_value(max_unavailable, replicas, round_up=False)
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return Fenceposts(replicas, surge, min(unavailable, replicas))


def of(deployment: Deployment) -> Fenceposts:
    """The fenceposts of a (defaulted) Deployment."""
    spec = deployment.spec
    replicas = spec.replicas if spec.replicas is not None else 1
    rolling = spec.strategy.rolling_update
    if spec.strategy.type == "Recreate":
        return fenceposts(replicas, 0, 0, rolling=False)
    surge = rolling.max_surge if rolling and rolling.max_surge is not None else DEFAULT_PERCENT
    unavailable = (
        rolling.max_unavailable if rolling and rolling.max_unavailable is not None else DEFAULT_PERCENT
    )
    return fenceposts(replicas, surge, unavailable)
