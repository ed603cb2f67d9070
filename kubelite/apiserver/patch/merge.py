"""JSON merge patch (RFC 7386), content type `application/merge-patch+json`.

`merge_patch(target, patch)` follows the RFC's algorithm: an object patch merges key by key into
the target (a non-object target counts as `{}`), `null` removes a key, and anything else — arrays
included — replaces the target value whole. A non-object patch replaces the target. The apiserver
accepts only object patches (`kubelite.apiserver.patch.apply_patch` checks that).

`create_merge_patch(source, target)` is the inverse helper: a patch that turns `source` into
`target`. Merge patches cannot express a `null` member value, so the round trip
`merge_patch(source, create_merge_patch(source, target)) == target` holds whenever `target` has no
`null` object members.

Neither function mutates its arguments. Results may share untouched subtrees with the inputs (the
target's or the patch's), so treat results as read-only or copy them before mutating.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kubelite.apiserver.patch.jsonvalue import json_equal


def merge_patch(target: Any, patch: Any) -> Any:
    """The result of applying the RFC 7386 merge `patch` to `target`."""
    if not isinstance(patch, Mapping):
        return patch
    result: dict[str, Any] = dict(target) if isinstance(target, Mapping) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def create_merge_patch(source: Mapping[str, Any], target: Mapping[str, Any]) -> dict[str, Any]:
    """A merge patch that turns `source` into `target` (empty when they are equal)."""
    patch: dict[str, Any] = {key: None for key in source if key not in target}
    for key, wanted in target.items():
        if key not in source:
            patch[key] = wanted
            continue
        current = source[key]
        if isinstance(current, Mapping) and isinstance(wanted, Mapping):
            nested = create_merge_patch(current, wanted)
            if nested:
                patch[key] = nested
        elif not json_equal(current, wanted):
            patch[key] = wanted
    return patch
