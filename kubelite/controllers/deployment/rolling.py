"""One RollingUpdate step (DEP-13..17), pure: which ReplicaSets to resize and to what.

`plan_rolling(new, olds, f)` returns the resizes of one sync:
- scale-up (DEP-13): a new RS above `replicas` goes down to `replicas`; else, with
  `total = Σ spec.replicas`, it grows by `min(maxTotal − total, replicas − new.replicas)`. If this
  changes anything it is the whole step (the scale-down waits for the next sync);
- scale-down (DEP-14..16): `maxScaledDown = total − minAvailable − (new.replicas − new.available)`;
  unhealthy replicas of old RSs go first, oldest RS first (DEP-15), then up to
  `Σ available − minAvailable` more, oldest first (DEP-16).
`new_rs_replicas(olds, f)` is the size a freshly created new RS starts at (DEP-13 with new = 0).
Neither step raises `Σ spec.replicas` above `maxTotal` nor removes an available replica that would
take `Σ available` below `minAvailable` (DEP-17).
"""

from __future__ import annotations

from collections.abc import Sequence

from kubelite.controllers.deployment.fenceposts import Fenceposts
from kubelite.controllers.deployment.model import Resize, RSView, by_age


def new_rs_replicas(current: int, total: int, f: Fenceposts) -> int:
    """The new RS's size after a scale-up step, given its `current` size and `total` over all RSs."""
    if total >= f.max_total:
        return current
    return current + min(f.max_total - total, f.replicas - current)


def plan_scale_up(new: RSView, olds: Sequence[RSView], f: Fenceposts) -> Resize | None:
    if new.replicas == f.replicas:
        return None
    if new.replicas > f.replicas:
        return Resize(new.name, f.replicas)
    total = new.replicas + sum(rs.replicas for rs in olds)
    target = new_rs_replicas(new.replicas, total, f)
    return Resize(new.name, target) if target != new.replicas else None


def plan_scale_down(new: RSView, olds: Sequence[RSView], f: Fenceposts) -> list[Resize]:
    if sum(rs.replicas for rs in olds) == 0:
        return []
    total = new.replicas + sum(rs.replicas for rs in olds)
    max_scaled_down = total - f.min_available - (new.replicas - new.available)
    if max_scaled_down <= 0:
        return []
    sizes = {rs.name: rs.replicas for rs in olds}
    _clean_unhealthy(by_age(olds), sizes, max_scaled_down)
    _scale_down_available(new, by_age(olds), sizes, f)
    return [Resize(rs.name, sizes[rs.name]) for rs in by_age(olds) if sizes[rs.name] != rs.replicas]


def _clean_unhealthy(olds: list[RSView], sizes: dict[str, int], limit: int) -> None:
    cleaned = 0
    for rs in olds:
        if cleaned >= limit:
            break
        if rs.replicas == 0 or rs.replicas == rs.available:
            continue
        step = min(limit - cleaned, rs.replicas - rs.available)
        sizes[rs.name] -= step
        cleaned += step


def _scale_down_available(new: RSView, olds: list[RSView], sizes: dict[str, int], f: Fenceposts) -> None:
    available = new.available + sum(rs.available for rs in olds)
    if available <= f.min_available:
        return
    budget, removed = available - f.min_available, 0
    for rs in olds:
        if removed >= budget:
            break
        if sizes[rs.name] == 0:
            continue
        step = min(sizes[rs.name], budget - removed)
        sizes[rs.name] -= step
        removed += step


def plan_rolling(new: RSView, olds: Sequence[RSView], f: Fenceposts) -> list[Resize]:
    up = plan_scale_up(new, olds, f)
    if up is not None:
        return [up]
    return plan_scale_down(new, olds, f)
