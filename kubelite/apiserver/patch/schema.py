"""What a typed kind says about merging: the schema side of strategic merge patch.

`node_for(cls)` describes a msgspec Struct class; `child(node, key)` and `item(node)` walk down to
the description of a member (by its JSON name) or of a list element. A `Node` is one of:

- `struct`: a msgspec Struct; members are looked up by their JSON (encode) name;
- `map`: `dict[str, V]`; every member is described by V;
- `list`: `list[E]`, with `merge_key` (`Annotated[..., MergeKey("name")]`), `merge_set`
  (`Annotated[..., MergeSet()]`) or neither (atomic: a patch replaces it whole);
- `any`: everything else — scalars, `int | str`, `Any`, and members the schema does not know.
  Unknown members merge as plain JSON merge (maps recursively, lists replaced).

`X | None` is described as X. Struct field tables are computed once per class (a cached function;
the returned mappings are read-only) and nested Struct classes are resolved lazily, so recursive
types are fine. `retain_keys` records a `RetainKeys()` marker; the merge engine honours
`$retainKeys` on any map, as Kubernetes does, so the marker is informational.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import msgspec

from kubelite.api.patchmeta import MergeKey, MergeSet, RetainKeys

Kind = Literal["struct", "map", "list", "any"]


@dataclass(frozen=True, slots=True)
class Node:
    """The merge-relevant shape of one JSON value."""

    kind: Kind = "any"
    struct: type[msgspec.Struct] | None = None
    inner: Node | None = None
    merge_key: str = ""
    merge_set: bool = False
    retain_keys: bool = False

    @property
    def merging(self) -> bool:
        """Whether a list described by this node merges (by key or as a set) instead of replacing."""
        return bool(self.merge_key) or self.merge_set


ANY = Node()


def node_for(cls: type[msgspec.Struct]) -> Node:
    """The node describing a Struct class."""
    return Node(kind="struct", struct=cls)


def child(node: Node, key: str) -> Node:
    """The node of member `key` of an object described by `node`."""
    if node.kind == "struct" and node.struct is not None:
        return struct_members(node.struct).get(key, ANY)
    if node.kind == "map" and node.inner is not None:
        return node.inner
    return ANY


def item(node: Node) -> Node:
    """The node of the elements of a list described by `node`."""
    if node.kind == "list" and node.inner is not None:
        return node.inner
    return ANY


@functools.cache
def struct_members(cls: type[msgspec.Struct]) -> Mapping[str, Node]:
    """JSON member name → node, for every field of a Struct class (read-only, cached)."""
    table = {field.encode_name: describe(field.type) for field in msgspec.structs.fields(cls)}
    return types.MappingProxyType(table)


def describe(annotation: Any) -> Node:
    """The node for a field's type annotation (as `msgspec.structs.fields` reports it)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *markers = typing.get_args(annotation)
        return _with_markers(describe(base), markers)
    if origin is typing.Union or origin is types.UnionType:
        members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return describe(members[0]) if len(members) == 1 else ANY
    if isinstance(annotation, type) and issubclass(annotation, msgspec.Struct):
        return node_for(annotation)
    if origin is dict:
        return Node(kind="map", inner=describe(typing.get_args(annotation)[1]))
    if origin is list:
        return Node(kind="list", inner=describe(typing.get_args(annotation)[0]))
    return ANY


def _with_markers(node: Node, markers: list[Any]) -> Node:
    for marker in markers:
        if isinstance(marker, MergeKey):
            node = dataclasses.replace(node, merge_key=marker.key)
        elif isinstance(marker, MergeSet):
            node = dataclasses.replace(node, merge_set=True)
        elif isinstance(marker, RetainKeys):
            node = dataclasses.replace(node, retain_keys=True)
    return node
