"""What the garbage collector does with one object: pure decisions over classified owner
references (upstream's `attemptToDeleteItem` and `processDeletingDependentsItem`; GC-3, GC-5).

Each owner reference of a dependent is one of:
- `SOLID`: the owner exists (same kind, name and uid, reachable from the dependent's namespace)
  and is not being deleted in the foreground;
- `WAITING`: the owner exists and is being deleted in the foreground (`foregroundDeletion`);
- `DANGLING`: the owner is absent (GC-2: no such object, or one with another uid).

`plan_dependent` then decides, as upstream does:
- no references → `Keep` (an object without owners is never collected);
- some solid owner → `Keep`, or `RemoveRefs` of every dangling and waiting reference;
- no solid owner, a waiting one, and dependents of its own → `Delete("Foreground")`, so the
  waiting owner keeps waiting for the whole subtree;
- otherwise → `Delete` with the policy its own finalizers record (`orphan` → Orphan,
  `foregroundDeletion` → Foreground), else Background.
`unblock_first` is upstream's cycle guard: before such a Foreground delete of an object one of whose
own dependents is also being deleted in the foreground, its blocking references are unblocked
(`blockOwnerDeletion=false`), so a cycle of blocking owners cannot wait on itself forever.
`foreground_done` says whether an owner deleted in the foreground may lose its
`foregroundDeletion` finalizer: once no dependent blocks it (`blockOwnerDeletion=true`).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from kubelite.controllers.garbagecollector.graph import FOREGROUND, ORPHAN


class RefState(enum.Enum):
    SOLID = "solid"
    WAITING = "waiting"
    DANGLING = "dangling"


@dataclass(frozen=True, slots=True)
class Keep:
    pass


@dataclass(frozen=True, slots=True)
class RemoveRefs:
    uids: tuple[str, ...]
    """The owner uids to drop from the dependent's ownerReferences."""


@dataclass(frozen=True, slots=True)
class Delete:
    policy: str
    """The propagationPolicy of the DELETE the collector sends."""


Action = Keep | RemoveRefs | Delete


def plan_dependent(
    refs: Sequence[tuple[str, RefState]], finalizers: Sequence[str], has_dependents: bool
) -> Action:
    """`refs` pairs each owner uid with its state; `finalizers` are the dependent's own."""
    if not refs:
        return Keep()
    if any(state is RefState.SOLID for _, state in refs):
        drop = tuple(uid for uid, state in refs if state is not RefState.SOLID)
        return RemoveRefs(drop) if drop else Keep()
    if has_dependents and any(state is RefState.WAITING for _, state in refs):
        return Delete("Foreground")
    return Delete(own_policy(finalizers))


def unblock_first(action: Action, dependents_foreground: Sequence[bool]) -> bool:
    return action == Delete("Foreground") and any(dependents_foreground)


def own_policy(finalizers: Sequence[str]) -> str:
    if ORPHAN in finalizers:
        return "Orphan"
    if FOREGROUND in finalizers:
        return "Foreground"
    return "Background"


def foreground_done(dependents_blocking: Sequence[bool]) -> bool:
    """True when an owner's `foregroundDeletion` finalizer may go: `dependents_blocking` holds, for
    each remaining dependent, whether its reference to the owner has `blockOwnerDeletion=true`;
    non-blocking dependents are deleted but not waited for."""
    return not any(dependents_blocking)
