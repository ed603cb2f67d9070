"""JSON Patch (RFC 6902), content type `application/json-patch+json`.

`parse_json_patch(body)` checks the shape of a decoded patch before anything is applied: a list
of objects, each with a known `op` (add, remove, replace, move, copy, test), a `path` (and `from`
for move and copy) that are well-formed JSON pointers, and a `value` member for add, replace and
test (`null` is a value). A wrong shape raises BadRequest (400).

`apply_json_patch(doc, operations)` applies the operations in order, all or nothing. An operation
that does not apply — a path that does not exist, a `test` whose value differs (compared by JSON
rules: `1 == 1.0`, `true != 1`), a move into its own child — raises Invalid (422) naming the
operation and path, e.g. `testing value /spec/replicas failed`. `-` as the last array token of an
add appends. The input document is never mutated: each operation copies only the containers on
its path, and the result shares untouched subtrees with the input. Values placed by `copy` are
deep copies, so no two places in the result are the same object because of a copy.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kubelite.api.errors import BadRequest, Invalid
from kubelite.apiserver.patch.jsonvalue import json_equal
from kubelite.apiserver.patch.pointer import (
    Tokens,
    absent,
    array_index,
    format_pointer,
    lookup,
    parse_pointer,
    rewrite,
)

_NEEDS_VALUE = frozenset({"add", "replace", "test"})
_NEEDS_FROM = frozenset({"move", "copy"})
_OPS = _NEEDS_VALUE | _NEEDS_FROM | {"remove"}


@dataclass(frozen=True, slots=True)
class Operation:
    """One checked JSON patch operation."""

    op: str
    path: Tokens
    value: Any = None
    source: Tokens = ()


def parse_json_patch(body: Any) -> list[Operation]:
    """The operations of a decoded JSON patch; BadRequest when its shape is wrong."""
    if not isinstance(body, list):
        raise BadRequest(f"a JSON patch must be a list of operations, got {_json_type(body)}")
    return [_parse_operation(index, item) for index, item in enumerate(body)]


def _parse_operation(index: int, item: Any) -> Operation:
    if not isinstance(item, Mapping):
        raise BadRequest(f"JSON patch operation {index} must be an object, got {_json_type(item)}")
    op = item.get("op")
    if not isinstance(op, str):
        raise BadRequest(f'JSON patch operation {index} has no "op"')
    if op not in _OPS:
        raise BadRequest(f'JSON patch operation {index} has unknown op "{op}"')
    path = _member_pointer(item, "path", index)
    if op in _NEEDS_VALUE and "value" not in item:
        raise BadRequest(f'JSON patch operation {index} ({op}) has no "value"')
    source = _member_pointer(item, "from", index) if op in _NEEDS_FROM else ()
    return Operation(op=op, path=path, value=item.get("value"), source=source)


def _member_pointer(item: Mapping[str, Any], member: str, index: int) -> Tokens:
    text = item.get(member)
    if not isinstance(text, str):
        raise BadRequest(f'JSON patch operation {index} ({item["op"]}) has no "{member}"')
    return parse_pointer(text)


def _json_type(value: Any) -> str:
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "an array"
    return "a string" if isinstance(value, str) else "a scalar"


def apply_json_patch(doc: Any, operations: list[Operation]) -> Any:
    """The document after applying every operation in order (Invalid when one does not apply)."""
    for operation in operations:
        doc = _apply(doc, operation)
    return doc


def _apply(doc: Any, operation: Operation) -> Any:
    if operation.op == "add":
        return add(doc, operation.path, operation.value)
    if operation.op == "remove":
        return remove(doc, operation.path)
    if operation.op == "replace":
        return replace(doc, operation.path, operation.value)
    if operation.op == "move":
        return move(doc, operation.source, operation.path)
    if operation.op == "copy":
        value = copy.deepcopy(lookup(doc, operation.source, "copy"))
        return add(doc, operation.path, value, what="copy")
    expect(doc, operation.path, operation.value)
    return doc


def add(doc: Any, path: Tokens, value: Any, what: str = "add") -> Any:
    """Set an object member (new or not) or insert into an array (`-` appends)."""
    if not path:
        return value

    def edit(parent: Any, token: str) -> Any:
        if isinstance(parent, dict):
            return {**parent, token: value}
        index = array_index(token, len(parent), allow_end=True)
        if index is None:
            raise absent()
        return [*parent[:index], value, *parent[index:]]

    return rewrite(doc, path, edit, what)


def remove(doc: Any, path: Tokens, what: str = "remove") -> Any:
    """Delete an existing object member or array item."""
    if not path:
        raise Invalid(f"{what} operation does not apply: the whole document cannot be removed")

    def edit(parent: Any, token: str) -> Any:
        if isinstance(parent, dict):
            if token not in parent:
                raise absent()
            return {key: item for key, item in parent.items() if key != token}
        index = array_index(token, len(parent), allow_end=False)
        if index is None:
            raise absent()
        return [*parent[:index], *parent[index + 1 :]]

    return rewrite(doc, path, edit, what)


def replace(doc: Any, path: Tokens, value: Any) -> Any:
    """Set the value of an existing object member or array item."""
    if not path:
        return value

    def edit(parent: Any, token: str) -> Any:
        if isinstance(parent, dict):
            if token not in parent:
                raise absent()
            return {**parent, token: value}
        index = array_index(token, len(parent), allow_end=False)
        if index is None:
            raise absent()
        return [*parent[:index], value, *parent[index + 1 :]]

    return rewrite(doc, path, edit, "replace")


def move(doc: Any, source: Tokens, path: Tokens) -> Any:
    """Remove the value at `source` and add it at `path`."""
    value = lookup(doc, source, "move")
    if source == path:
        return doc
    if path[: len(source)] == source:
        raise Invalid(
            f"move operation does not apply: {format_pointer(source)} cannot be moved "
            f"into its own child {format_pointer(path)}"
        )
    return add(remove(doc, source, "move"), path, value, "move")


def expect(doc: Any, path: Tokens, value: Any) -> None:
    """Invalid unless the value at `path` equals `value` by JSON rules."""
    current = lookup(doc, path, "test")
    if not json_equal(current, value):
        raise Invalid(f"testing value {format_pointer(path)} failed")
