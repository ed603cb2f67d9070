"""One Recreate step (DEP-21), pure.

`plan_recreate(new, olds, replicas, old_pods_running)`:
1. every active old RS is scaled to 0; if that changes anything it is the whole step;
2. while any old RS still has `status.replicas > 0` or `old_pods_running` (some pod of an old RS is
   Pending, Running or Unknown) nothing else happens;
3. then the new RS is created if missing (`create`) and sized to `replicas` in one step.
So old and new pods are never live at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from kubelite.controllers.deployment.model import Resize, RSView


@dataclass(frozen=True, slots=True)
class RecreatePlan:
    scale_down: list[Resize] = field(default_factory=list)
    wait: bool = False
    """Old pods are still there: do nothing more this sync."""
    create: bool = False
    """Create the new RS (with `replicas`)."""
    scale_up: Resize | None = None


def plan_recreate(
    new: RSView | None, olds: Sequence[RSView], replicas: int, *, old_pods_running: bool
) -> RecreatePlan:
    down = [Resize(rs.name, 0) for rs in olds if rs.replicas > 0]
    if down:
        return RecreatePlan(scale_down=down)
    if old_pods_running or any(rs.status_replicas > 0 for rs in olds):
        return RecreatePlan(wait=True)
    if new is None:
        return RecreatePlan(create=True)
    if new.replicas != replicas:
        return RecreatePlan(scale_up=Resize(new.name, replicas))
    return RecreatePlan()
