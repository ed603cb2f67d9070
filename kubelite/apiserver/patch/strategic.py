"""Kubernetes strategic merge patch, content type `application/strategic-merge-patch+json`.

`strategic_merge(doc, patch, schema)` merges a patch object into a document, both JSON-shaped
builtins, taking the merge rules from the msgspec Struct class `schema` (see
`kubelite.apiserver.patch.schema` and `kubelite.api.patchmeta`):

- Objects merge member by member; `null` deletes a member; scalars and mismatched types replace.
- Lists marked `MergeKey(k)` merge element-wise: a patch element is merged into the live element
  with the same `k`, or appended when there is none. Lists marked `MergeSet()` take the union of
  their scalars. Other lists (and members the schema does not know) are replaced whole.
- Merged lists are ordered by the patch list, or by `$setElementOrder/<field>` when present, with
  live-only elements interleaved as Kubernetes does (`kubelite.apiserver.patch.ordering`).

Directives (none of them ever appears in the result):
- `"$patch": "replace"` in an object: the object becomes the patch's other members; as an element
  of a merged list: the list becomes the patch's other elements (not merged with the live ones).
- `"$patch": "delete"` in an object: the member holding it is removed (Kubernetes leaves `{}`;
  kubelite removes the member, so an optional struct becomes unset); as an element with a merge
  key: every live element with that key is removed.
- `"$patch": "merge"`: the default, accepted and ignored (Kubernetes rejects it in lists).
- `"$retainKeys": [...]` in an object: live members not listed are cleared first; the patch may set
  only listed members (else BadRequest). Honoured on any object, as in Kubernetes.
- `"$setElementOrder/<field>": [...]`: the final order of the merged list `<field>` (objects carry
  just the merge key). The patch list must follow the same relative order (else BadRequest).
  Ignored for atomic lists.
- `"$deleteFromPrimitiveList/<field>": [...]`: remove these scalars from the list `<field>` (before
  the patch list, if any, is merged in); a list that does not exist is not created.

A malformed patch (wrong types for directives, unknown `$patch` values, list elements without
their merge key, non-scalars in a set) raises BadRequest. Inputs are never mutated; the result
may share untouched subtrees with `doc` and copies of values from `patch`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import msgspec

from kubelite.api.errors import BadRequest
from kubelite.apiserver.patch import ordering
from kubelite.apiserver.patch.jsonvalue import scalar_key
from kubelite.apiserver.patch.schema import Node, child, item, node_for

PATCH = "$patch"
RETAIN_KEYS = "$retainKeys"
SET_ELEMENT_ORDER = "$setElementOrder"
DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList"

_NOTHING: Any = object()
"""A value that is absent (a missing member, or one a patch deletes)."""


def strategic_merge(
    doc: Mapping[str, Any], patch: Mapping[str, Any], schema: type[msgspec.Struct]
) -> dict[str, Any]:
    """The document after applying a strategic merge patch, with merge rules from `schema`."""
    merged = merge_map(doc, patch, node_for(schema))
    return merged if isinstance(merged, dict) else {}


@dataclass(slots=True)
class _Parts:
    """A patch object split into plain members and the directives that target its lists."""

    members: dict[str, Any] = field(default_factory=dict)
    retain: list[str] | None = None
    orders: dict[str, list[Any]] = field(default_factory=dict)
    deletions: dict[str, list[Any]] = field(default_factory=dict)

    def fields(self) -> list[str]:
        """Every member name the patch touches, plain members first."""
        names = dict.fromkeys([*self.members, *self.orders, *self.deletions])
        return list(names)


def merge_map(original: Mapping[str, Any], patch: Mapping[str, Any], node: Node) -> Any:
    """`original` with the object `patch` merged in, or `_NOTHING` if the patch deletes it."""
    if PATCH in patch:
        directive = patch[PATCH]
        rest = {key: value for key, value in patch.items() if key != PATCH}
        if directive == "delete":
            return _NOTHING
        if directive == "replace":
            return merge_map({}, rest, node)
        if directive != "merge":
            raise BadRequest(f"unknown patch type: {directive!r} in map: {dict(patch)!r}")
        patch = rest
    parts = _split(patch)
    result = dict(original)
    if parts.retain is not None:
        _retain(result, parts)
    for name in parts.fields():
        _merge_member(result, name, parts, child(node, name))
    return result


def _split(patch: Mapping[str, Any]) -> _Parts:
    parts = _Parts()
    for key, value in patch.items():
        if key == RETAIN_KEYS:
            parts.retain = _string_list(value, key)
        elif key.startswith(SET_ELEMENT_ORDER):
            parts.orders[_target(key, SET_ELEMENT_ORDER)] = _list(value, key)
        elif key.startswith(DELETE_FROM_PRIMITIVE_LIST):
            parts.deletions[_target(key, DELETE_FROM_PRIMITIVE_LIST)] = _list(value, key)
        else:
            parts.members[key] = value
    return parts


def _target(key: str, prefix: str) -> str:
    name = key[len(prefix) + 1 :]
    if key[len(prefix) : len(prefix) + 1] != "/" or not name:
        raise BadRequest(f'invalid patch directive "{key}": expected "{prefix}/<field>"')
    return name


def _list(value: Any, key: str) -> list[Any]:
    if not isinstance(value, list):
        raise BadRequest(f'the value of patch directive "{key}" must be a list')
    return value


def _string_list(value: Any, key: str) -> list[str]:
    items = _list(value, key)
    if not all(isinstance(entry, str) for entry in items):
        raise BadRequest(f'the value of patch directive "{key}" must be a list of strings')
    return items


def _retain(result: dict[str, Any], parts: _Parts) -> None:
    kept = set(parts.retain or ())
    for key, value in parts.members.items():
        if value is not None and key not in kept:
            raise BadRequest(f'the patch sets "{key}", which its $retainKeys list does not name')
    for key in [key for key in result if key not in kept]:
        del result[key]


def _merge_member(result: dict[str, Any], name: str, parts: _Parts, node: Node) -> None:
    value = parts.members.get(name, _NOTHING)
    if value is None:
        result.pop(name, None)
        return
    current = result.get(name, _NOTHING)
    if value is _NOTHING or isinstance(value, list):
        order, deletions = parts.orders.get(name), parts.deletions.get(name)
        merged = merge_list(current, value, node, order, deletions)
    else:
        merged = merge_value(current, value, node)
    if merged is _NOTHING:
        result.pop(name, None)
    else:
        result[name] = merged


def merge_value(current: Any, value: Any, node: Node) -> Any:
    """`value` (not null) merged into `current` (`_NOTHING` when absent)."""
    if isinstance(value, Mapping):
        return merge_map(current if isinstance(current, Mapping) else {}, value, node)
    if isinstance(value, list):
        return merge_list(current, value, node, None, None)
    return value


def merge_list(
    current: Any, patch: Any, node: Node, order: list[Any] | None, deletions: list[Any] | None
) -> Any:
    """A list member after its patch list (`_NOTHING` if none) and list directives are applied."""
    if patch is _NOTHING and not isinstance(current, list):
        return current
    live = current if isinstance(current, list) else []
    base = ordering.without_values(live, deletions) if deletions else live
    if patch is _NOTHING:
        merged, wanted = base, None
    elif not node.merging:
        return _atomic(patch, item(node))
    elif node.merge_key:
        merged, wanted = _merge_keyed(base, patch, node)
    else:
        merged, wanted = _merge_set(base, patch)
    key_of = ordering.key_by(node.merge_key) if node.merge_key else ordering.key_of_scalar
    if order is not None and node.merging:
        order_keys = _order_keys(order, node)
        if wanted is not None and not ordering.is_subsequence(wanted, order_keys):
            raise BadRequest(f"the order in the patch list doesn't match the $setElementOrder list: {order}")
        wanted = order_keys
    return merged if wanted is None else ordering.arrange(merged, wanted, base, key_of)


def _atomic(patch: list[Any], node: Node) -> list[Any]:
    result = []
    for element in patch:
        if isinstance(element, Mapping) and dict(element) == {PATCH: "replace"}:
            continue
        value = merge_value(_NOTHING, element, node) if element is not None else None
        if value is not _NOTHING:
            result.append(value)
    return result


def _merge_set(base: list[Any], patch: list[Any]) -> tuple[list[Any], list[Any]]:
    if any(scalar_key(element) is None for element in patch):
        raise BadRequest(f"a merged list of scalars may hold only scalars: {patch}")
    return ordering.union(base, patch), [scalar_key(element) for element in patch]


def _merge_keyed(base: list[Any], patch: list[Any], node: Node) -> tuple[list[Any], list[Any] | None]:
    key, key_of = node.merge_key, ordering.key_by(node.merge_key)
    plain, doomed, replace = _special_elements(patch, key)
    if replace:
        return _atomic(plain, item(node)), None
    merged = [element for element in base if key_of(element) not in doomed]
    for element in plain:
        _merge_element(merged, element, key_of, item(node))
    return merged, [key_of(element) for element in plain]


def _special_elements(patch: list[Any], key: str) -> tuple[list[Mapping[str, Any]], set[Any], bool]:
    """The plain elements, the keys `$patch: delete` removes, and whether `$patch: replace` is set."""
    plain: list[Mapping[str, Any]] = []
    doomed: set[Any] = set()
    replace = False
    for element in patch:
        if not isinstance(element, Mapping):
            raise BadRequest(f"elements of a list merged by {key!r} must be objects: {element!r}")
        directive = element.get(PATCH, "merge")
        if directive == "replace":
            replace = True
        elif directive == "delete":
            doomed.add(_require_key(element, key))
        elif directive == "merge":
            _require_key(element, key)
            plain.append({name: value for name, value in element.items() if name != PATCH})
        else:
            raise BadRequest(f"unknown patch type: {directive!r} in list element: {dict(element)!r}")
    return plain, doomed, replace


def _require_key(element: Mapping[str, Any], key: str) -> Any:
    found = scalar_key(element.get(key)) if key in element else None
    if found is None:
        raise BadRequest(f"map: {dict(element)!r} does not contain declared merge key: {key}")
    return found


def _merge_element(merged: list[Any], element: Mapping[str, Any], key_of: ordering.KeyOf, node: Node) -> None:
    wanted = key_of(element)
    for index, live in enumerate(merged):
        if key_of(live) == wanted:
            merged[index] = merge_map(live if isinstance(live, Mapping) else {}, element, node)
            return
    merged.append(merge_map({}, element, node))


def _order_keys(order: Sequence[Any], node: Node) -> list[Any]:
    if not node.merge_key:
        if any(scalar_key(entry) is None for entry in order):
            raise BadRequest(f"$setElementOrder list of scalars may hold only scalars: {order}")
        return [scalar_key(entry) for entry in order]
    keys = []
    for entry in order:
        if not isinstance(entry, Mapping):
            raise BadRequest(f"$setElementOrder entries must be objects with the merge key: {entry!r}")
        keys.append(_require_key(entry, node.merge_key))
    return keys
