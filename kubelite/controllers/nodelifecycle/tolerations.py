"""Pure toleration arithmetic of taint eviction (NODE-11).

- `tolerates(toleration, taint)`: `Toleration.tolerates` (SCH-3), kept as a function for tables.
- `eviction_delay(taints, tolerations)`: how long a pod may stay on a node with these NoExecute
  taints. 0 → delete now (some taint is not tolerated, or a matching toleration has
  `tolerationSeconds` ≤ 0); None → tolerated forever (no matching toleration has seconds); else the
  minimum `tolerationSeconds`. As upstream, each taint uses the first toleration that matches it.
"""

from __future__ import annotations

from kubelite.api.core import Taint, Toleration


def tolerates(toleration: Toleration, taint: Taint) -> bool:
    return toleration.tolerates(taint)


def eviction_delay(taints: list[Taint], tolerations: list[Toleration]) -> float | None:
    used: list[Toleration] = []
    for taint in taints:
        match = next((t for t in tolerations if tolerates(t, taint)), None)
        if match is None:
            return 0.0
        used.append(match)
    seconds = [t.toleration_seconds for t in used if t.toleration_seconds is not None]
    if not used:
        return 0.0
    if not seconds:
        return None
    return float(max(0, min(seconds)))
