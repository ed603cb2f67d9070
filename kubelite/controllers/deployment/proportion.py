"""Scale-only syncs: proportional scaling of a Deployment's ReplicaSets (DEP-22..24), pure.

`plan_proportional(new, olds, f, status_replicas=..., rolling=...)` returns the resizes; every RS it
names gets its `desired-replicas`/`max-replicas` annotations rewritten even if its size stays.
- At most one active RS: that one (or, with none, the new RS, else the newest old RS) is sized to
  `replicas` (DEP-22).
- A saturated new RS (`replicas` spec and `desired-replicas`, all available): active old RSs go
  to 0 (DEP-22).
- Otherwise, under RollingUpdate, `toAdd = allowed − Σ active` (allowed = replicas + MaxSurge, or
  0 with no replicas) is shared among the active RSs, largest first (ties: newer first when
  growing, older first when shrinking), each in proportion to its size over its `max-replicas`
  annotation (or the Deployment's `status.replicas` when missing); the rounding leftover goes to
  the first RS, never below 0 (DEP-23, DEP-24). Recreate leaves the sizes as they are. With no RS
  at all (a Deployment created paused) nothing is resized.
`round` rounds half away from zero (C-4).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from kubelite.controllers.deployment.fenceposts import Fenceposts
from kubelite.controllers.deployment.model import Resize, RSView, by_age


def go_round(value: float) -> int:
    return math.floor(abs(value) + 0.5) * (1 if value >= 0 else -1)


def is_saturated(new: RSView | None, replicas: int) -> bool:
    return (
        new is not None and new.replicas == replicas and new.desired == replicas and new.available == replicas
    )


def active_or_latest(new: RSView | None, olds: Sequence[RSView]) -> RSView | None:
    active = [rs for rs in [*olds, *([new] if new else [])] if rs.active]
    if len(active) == 1:
        return active[0]
    if active:
        return None
    if new is not None:
        return new
    return by_age(olds)[-1] if olds else None


def fraction(rs: RSView, f: Fenceposts, status_replicas: int) -> int:
    if f.replicas == 0:
        return -rs.replicas
    annotated = rs.max_replicas if rs.max_replicas is not None else status_replicas
    if annotated == 0:
        return 0
    return go_round(rs.replicas * f.max_total / annotated) - rs.replicas


def proportion(rs: RSView, f: Fenceposts, status_replicas: int, to_add: int, added: int) -> int:
    if rs.replicas == 0 or to_add == 0 or to_add == added:
        return 0
    share = fraction(rs, f, status_replicas)
    allowed = to_add - added
    return min(share, allowed) if to_add > 0 else max(share, allowed)


def _ordered(active: list[RSView], to_add: int) -> list[RSView]:
    """Largest first; equal sizes newer first when growing, older first when shrinking."""
    oldest_first = by_age(active)
    if to_add == 0:
        return active
    age = 1 if to_add < 0 else -1
    ranked = sorted(enumerate(oldest_first), key=lambda pair: (-pair[1].replicas, age * pair[0]))
    return [rs for _, rs in ranked]


def plan_proportional(
    new: RSView | None, olds: Sequence[RSView], f: Fenceposts, *, status_replicas: int, rolling: bool = True
) -> list[Resize]:
    single = active_or_latest(new, olds)
    if single is not None:
        return [] if single.replicas == f.replicas else [Resize(single.name, f.replicas)]
    if is_saturated(new, f.replicas):
        return [Resize(rs.name, 0) for rs in olds if rs.active]
    if not rolling:
        return []
    active = [rs for rs in [*olds, *([new] if new else [])] if rs.active]
    allowed = f.max_total if f.replicas > 0 else 0
    to_add = allowed - sum(rs.replicas for rs in active)
    ordered = _ordered(active, to_add)
    sizes, added = {}, 0
    for rs in ordered:
        share = proportion(rs, f, status_replicas, to_add, added)
        sizes[rs.name] = rs.replicas + share
        added += share
    if to_add != 0 and ordered:
        first = ordered[0].name
        sizes[first] = max(0, sizes[first] + to_add - added)
    return [Resize(rs.name, sizes[rs.name]) for rs in ordered]
