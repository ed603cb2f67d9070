"""Element order of merged lists in strategic merge patch, as Kubernetes computes it.

Pure functions over lists of JSON values; nothing is mutated. Elements are identified by a key
(`scalar_key` of the merge-key member for lists of objects, of the element itself for sets of
scalars); an element without a usable key has key None and is never matched.

`arrange(merged, wanted, server)` is Kubernetes' rule (apimachinery `normalizeElementOrder` and
`mergeSortedSlice`), which both a patch list and `$setElementOrder/<field>` drive:

1. Elements whose key is in `wanted` (the patch list's keys, or the `$setElementOrder` list) are
   put in `wanted` order.
2. The other ("server-only") elements keep their relative order.
3. The two sequences are interleaved: the next server-only element goes first when it and the
   next wanted element both appear in the live list (`server`) and it came before it there;
   otherwise the wanted element goes first. So server-only elements keep their place relative to
   the live elements around them, and elements new to the list come as early as they can.

For example, live `[1, 2, 9, 3, 4]` with `$setElementOrder` `[2, 1, 4, 3]` gives
`[2, 1, 9, 4, 3]`; live `[a]` patched with new `[b]` (no `$setElementOrder`) gives `[b, a]`, as
`kubectl patch` adding a container shows on a real cluster. Keys named in `wanted` that are not
in the list are ignored (no element is invented).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

from kubelite.apiserver.patch.jsonvalue import scalar_key

Key = Hashable | None
KeyOf = Callable[[Any], Key]


def key_by(member: str) -> KeyOf:
    """The key function of a list of objects merged by `member`."""

    def key_of(element: Any) -> Key:
        if isinstance(element, dict) and member in element:
            return scalar_key(element[member])
        return None

    return key_of


def key_of_scalar(element: Any) -> Key:
    """The key function of a set of scalars."""
    return scalar_key(element)


def is_subsequence(keys: Sequence[Key], order: Sequence[Key]) -> bool:
    """Whether `keys` appear in `order` in the same relative order (gaps allowed)."""
    remaining = iter(order)
    return all(any(key == candidate for candidate in remaining) for key in keys)


def arrange(merged: list[Any], wanted: Sequence[Key], server: list[Any], key_of: KeyOf) -> list[Any]:
    """`merged` reordered by Kubernetes' rule (see the module docstring)."""
    rank = _first_positions(wanted)
    chosen = sorted((e for e in merged if key_of(e) in rank), key=lambda e: rank[key_of(e)])
    others = [e for e in merged if key_of(e) not in rank]
    return _interleave(others, chosen, _first_positions([key_of(e) for e in server]), key_of)


def _first_positions(keys: Sequence[Key]) -> dict[Key, int]:
    positions: dict[Key, int] = {}
    for index, key in enumerate(keys):
        if key is not None:
            positions.setdefault(key, index)
    return positions


def _interleave(others: list[Any], chosen: list[Any], live: dict[Key, int], key_of: KeyOf) -> list[Any]:
    result: list[Any] = []
    i = j = 0
    while i < len(others) and j < len(chosen):
        other, wanted = live.get(key_of(others[i])), live.get(key_of(chosen[j]))
        if other is not None and wanted is not None and other < wanted:
            result.append(others[i])
            i += 1
        else:
            result.append(chosen[j])
            j += 1
    return result + others[i:] + chosen[j:]


def without_values(items: list[Any], values: Sequence[Any]) -> list[Any]:
    """`items` minus every scalar equal (by JSON rules) to one of `values`."""
    doomed = {key for key in map(scalar_key, values) if key is not None}
    return [element for element in items if scalar_key(element) not in doomed]


def union(items: list[Any], extra: Sequence[Any]) -> list[Any]:
    """The scalars of `items` then of `extra`, each value once (first occurrence kept).

    Non-scalars (which a set should not hold) are kept as they are, never merged together.
    """
    seen: set[Key] = set()
    result: list[Any] = []
    for element in [*items, *extra]:
        key = scalar_key(element)
        if key is None or key not in seen:
            seen.add(key)
            result.append(element)
    return result
