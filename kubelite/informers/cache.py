"""The indexed, thread-free object cache behind an informer (client-go's Indexer, H6).

Keys are `namespace/name`, or `name` for cluster-scoped objects. Besides the key map, the cache keeps
named indices: an index function maps an object to zero or more index values, and `by_index(name,
value)` returns the objects carrying that value. The `namespace` index always exists; controllers
add their own (pods by node, objects by owner uid) with `add_indexers`, which also works after
objects are present.

Storage is compact: each object is kept as its MessagePack encoding (about 2 KB for a typical pod,
where the decoded Structs, lists and strings take about 9 KB and put dozens of containers in front
of the cycle collector). Every read decodes a fresh object (about 5 µs for a pod), so callers own
what they get: mutating it cannot corrupt the cache or another reader, which makes the "cached
objects are read-only" contract true by construction. Callers that read the same object many times
should keep it rather than re-read it.

Each index bucket is a `dict` of keys to None rather than a set: a dict holding only strings is
not tracked by the cycle collector, a set always is (and would be walked on every full collection).

Everything here is synchronous and runs on the event loop; nothing blocks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

import msgspec

from kubelite.api.meta import Object

T = TypeVar("T", bound=Object)

IndexFunc = Callable[[T], Iterable[str]]
NAMESPACE_INDEX = "namespace"


def object_key(obj: Object) -> str:
    meta = obj.metadata
    return f"{meta.namespace}/{meta.name}" if meta.namespace else meta.name


def split_key(key: str) -> tuple[str, str]:
    """`(namespace, name)` for a cache key."""
    namespace, _, name = key.rpartition("/")
    return namespace, name


def namespace_index(obj: Object) -> list[str]:
    return [obj.metadata.namespace]


class Indexer(Generic[T]):
    """A key → object map with named secondary indices, holding each object encoded."""

    def __init__(self, kind: type[T]) -> None:
        self._decode = msgspec.msgpack.Decoder(kind).decode
        self._encode = msgspec.msgpack.Encoder().encode
        self._items: dict[str, bytes] = {}
        self._funcs: dict[str, IndexFunc[T]] = {NAMESPACE_INDEX: namespace_index}
        self._indices: dict[str, dict[str, dict[str, None]]] = {NAMESPACE_INDEX: {}}

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: str) -> bool:
        return key in self._items

    def get(self, key: str) -> T | None:
        raw = self._items.get(key)
        return None if raw is None else self._decode(raw)

    def encoded(self, key: str) -> bytes | None:
        """The stored encoding of `key` (what `get` decodes)."""
        return self._items.get(key)

    def list_keys(self) -> list[str]:
        return list(self._items)

    def values(self) -> list[T]:
        decode = self._decode
        return [decode(raw) for raw in self._items.values()]

    def add_indexers(self, indexers: dict[str, IndexFunc[T]]) -> None:
        for name, func in indexers.items():
            if name in self._funcs:
                raise ValueError(f"indexer {name!r} already exists")
            self._funcs[name] = func
            self._indices[name] = {}
            for key, raw in self._items.items():
                self._index_one(name, key, self._decode(raw))

    def put(self, obj: T) -> T | None:
        """Store a copy of `obj` under its key; returns the object it replaced, if any."""
        key = object_key(obj)
        old = self.remove(key)
        self._items[key] = self._encode(obj)
        for name in self._funcs:
            self._index_one(name, key, obj)
        return old

    def remove(self, key: str) -> T | None:
        raw = self._items.pop(key, None)
        if raw is None:
            return None
        old = self._decode(raw)
        self._unindex(key, old)
        return old

    def by_index(self, name: str, value: str) -> list[T]:
        items, decode = self._items, self._decode
        return [decode(items[key]) for key in self.index_keys(name, value)]

    def index_keys(self, name: str, value: str) -> list[str]:
        return sorted(self._index(name).get(value, ()))

    def index_values(self, name: str) -> list[str]:
        return sorted(self._index(name))

    def _index(self, name: str) -> dict[str, dict[str, None]]:
        try:
            return self._indices[name]
        except KeyError:
            raise KeyError(f"no indexer named {name!r}") from None

    def _index_one(self, name: str, key: str, obj: T) -> None:
        index = self._indices[name]
        for value in self._funcs[name](obj):
            index.setdefault(value, {})[key] = None

    def _unindex(self, key: str, obj: T) -> None:
        for name, func in self._funcs.items():
            index = self._indices[name]
            for value in func(obj):
                keys = index.get(value)
                if keys is not None:
                    keys.pop(key, None)
                    if not keys:
                        del index[value]
