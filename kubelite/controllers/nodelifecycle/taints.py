"""Pure taint arithmetic of the node lifecycle controller (NODE-8, NODE-9, NODE-13).

- `desired_no_schedule(node)`: the NoSchedule taint keys the node's conditions and
  `spec.unschedulable` call for (table of NODE-8).
- `no_schedule_taints(node, now)`: the node's taint list with those keys added (with `timeAdded`)
  and the controller's NoSchedule keys no longer called for removed; every other taint (other keys,
  other effects) is kept as it is. None when nothing changes.
- `no_execute_key(ready)`: `not-ready` for Ready=False, `unreachable` for Unknown, else None.
- `swap(taints, add, remove, now)`: the list with `add` added (if absent) and `remove` removed, or
  None when nothing changes. Taints are identified by key and effect. Inputs are never mutated.
"""

from __future__ import annotations

from collections.abc import Iterable

from kubelite.api.core import Node, Taint
from kubelite.clock import rfc3339

NO_SCHEDULE = "NoSchedule"
NO_EXECUTE = "NoExecute"
NOT_READY = "node.kubernetes.io/not-ready"
UNREACHABLE = "node.kubernetes.io/unreachable"
UNSCHEDULABLE = "node.kubernetes.io/unschedulable"

CONDITION_TAINTS: dict[tuple[str, str], str] = {
    ("Ready", "False"): NOT_READY,
    ("Ready", "Unknown"): UNREACHABLE,
    ("MemoryPressure", "True"): "node.kubernetes.io/memory-pressure",
    ("DiskPressure", "True"): "node.kubernetes.io/disk-pressure",
    ("PIDPressure", "True"): "node.kubernetes.io/pid-pressure",
    ("NetworkUnavailable", "True"): "node.kubernetes.io/network-unavailable",
}
CONTROLLED_NO_SCHEDULE = frozenset({*CONDITION_TAINTS.values(), UNSCHEDULABLE})
NO_EXECUTE_KEYS = (NOT_READY, UNREACHABLE)


def desired_no_schedule(node: Node) -> set[str]:
    keys = {
        CONDITION_TAINTS[(c.type, c.status)]
        for c in node.status.conditions
        if (c.type, c.status) in CONDITION_TAINTS
    }
    if node.spec.unschedulable:
        keys.add(UNSCHEDULABLE)
    return keys


def no_schedule_taints(node: Node, now: float) -> list[Taint] | None:
    wanted = desired_no_schedule(node)
    present = {t.key for t in node.spec.taints if t.effect == NO_SCHEDULE and t.key in CONTROLLED_NO_SCHEDULE}
    stale = [(key, NO_SCHEDULE) for key in present - wanted]
    fresh = [Taint(key=key, effect=NO_SCHEDULE) for key in sorted(wanted - present)]
    return swap(node.spec.taints, fresh, stale, now)


def no_execute_key(ready: str | None) -> str | None:
    if ready == "False":
        return NOT_READY
    if ready == "Unknown":
        return UNREACHABLE
    return None


def opposite(key: str) -> str:
    return UNREACHABLE if key == NOT_READY else NOT_READY


def has_taint(node: Node, key: str, effect: str) -> bool:
    return any(t.key == key and t.effect == effect for t in node.spec.taints)


def no_execute_taints(node: Node) -> list[Taint]:
    return [t for t in node.spec.taints if t.effect == NO_EXECUTE]


def swap(
    taints: list[Taint], add: Iterable[Taint], remove: Iterable[tuple[str, str]], now: float
) -> list[Taint] | None:
    gone = set(remove)
    kept = [t for t in taints if (t.key, t.effect) not in gone]
    have = {(t.key, t.effect) for t in kept}
    stamp = rfc3339(now)
    added = [
        Taint(key=t.key, effect=t.effect, value=t.value, time_added=stamp)
        for t in add
        if (t.key, t.effect) not in have
    ]
    if not added and len(kept) == len(taints):
        return None
    return kept + added
