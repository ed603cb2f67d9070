"""Pure toleration arithmetic of taint eviction (NODE-11).

- `tolerates(toleration, taint)`: an empty effect or key is a wildcard; operator `Exists` matches any
  value, `Equal` (or empty) needs equal values; any other operator matches nothing.
- `eviction_delay(taints, tolerations)`: how long a pod may stay on a node with these NoExecute
  taints. 0 → delete now (some taint is not tolerated, or a matching toleration has
  `tolerationSeconds` ≤ 0); None → tolerated forever (no matching toleration has seconds); else the
  minimum `tolerationSeconds`. As upstream, each taint uses the first toleration that matches it.
"""

from __future__ import annotations

from kubelite.api.core import Taint, Toleration


def tolerates(toleration: Toleration, taint: Taint) -> bool:
    if toleration.effect and toleration.effect != taint.effect:
        return False
    if toleration.key and toleration.key != taint.key:
        return False
    if toleration.operator == "Exists":
        return True
    return toleration.operator in ("", "Equal") and toleration.value == taint.value


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
