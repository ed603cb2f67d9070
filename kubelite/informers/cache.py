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

Every change is all-or-nothing (STYLE 9b): `put`, `remove` and `add_indexers` first compute every
index value they need, then swap. An index function that raises makes `put` (or `add_indexers`)
raise `IndexFuncError` naming the key and the index, with the cache exactly as it was: the previous
version of the object, if any, stays stored and indexed. Removing an object never fails: if an index
function raises on the stored version (it must have succeeded when the object was stored, so it is
not deterministic), that index is scrubbed of the key by a scan instead.

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


class IndexFuncError(Exception):
    """An index function raised for an object; the cache was left unchanged."""

    def __init__(self, key: str, index: str, cause: Exception) -> None:
        super().__init__(f"index {index!r} failed for {key}: {type(cause).__name__}: {cause}")
        self.key = key
        self.index = index
        self.cause = cause


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
        """Add indices and index the objects already stored; all of them or (on error) none."""
        for name in indexers:
            if name in self._funcs:
                raise ValueError(f"indexer {name!r} already exists")
        built: dict[str, dict[str, dict[str, None]]] = {name: {} for name in indexers}
        for key, raw in self._items.items():
            obj = self._decode(raw)
            for name, func in indexers.items():
                for value in _index_values(name, func, key, obj):
                    built[name].setdefault(value, {})[key] = None
        self._funcs.update(indexers)
        self._indices.update(built)

    def put(self, obj: T) -> T | None:
        """Store a copy of `obj` under its key; returns the object it replaced, if any.

        Raises `IndexFuncError` (cache unchanged) if an index function raises for `obj`."""
        key = object_key(obj)
        new_values = {name: _index_values(name, func, key, obj) for name, func in self._funcs.items()}
        raw = self._encode(obj)
        old_raw = self._items.get(key)
        old = None if old_raw is None else self._decode(old_raw)
        old_values = {} if old is None else self._old_values(key, old)
        self._items[key] = raw
        for name, values in new_values.items():
            self._reindex(name, key, old_values.get(name, ()), values)
        return old

    def remove(self, key: str) -> T | None:
        raw = self._items.pop(key, None)
        if raw is None:
            return None
        old = self._decode(raw)
        for name, values in self._old_values(key, old).items():
            self._reindex(name, key, values, ())
        return old

    def by_index(self, name: str, value: str) -> list[T]:
        items, decode = self._items, self._decode
        return [decode(items[key]) for key in self.index_keys(name, value)]

    def index_keys(self, name: str, value: str) -> list[str]:
        return sorted(self._index(name).get(value, ()))

    def index_size(self, name: str, value: str) -> int:
        """How many keys `by_index(name, value)` would give (nothing is decoded or sorted)."""
        return len(self._index(name).get(value, ()))

    def index_values(self, name: str) -> list[str]:
        return sorted(self._index(name))

    def _index(self, name: str) -> dict[str, dict[str, None]]:
        try:
            return self._indices[name]
        except KeyError:
            raise KeyError(f"no indexer named {name!r}") from None

    def _old_values(self, key: str, old: T) -> dict[str, tuple[str, ...] | None]:
        """The index values the stored `old` was filed under; None where its function now raises."""
        values: dict[str, tuple[str, ...] | None] = {}
        for name, func in self._funcs.items():
            try:
                values[name] = _index_values(name, func, key, old)
            except IndexFuncError:
                values[name] = None
        return values

    def _reindex(self, name: str, key: str, old: tuple[str, ...] | None, new: tuple[str, ...]) -> None:
        """Move `key` from its `old` values (None: wherever it is) to its `new` ones. Never raises."""
        index = self._indices[name]
        stale = [v for v, keys in index.items() if key in keys] if old is None else old
        keep = frozenset(new) if len(new) > 4 else new  # an object with many labels stays linear
        for value in stale:
            if value not in keep:
                keys = index.get(value)
                if keys is not None:
                    keys.pop(key, None)
                    if not keys:
                        del index[value]
        for value in new:
            index.setdefault(value, {})[key] = None


def _index_values(name: str, func: IndexFunc[T], key: str, obj: T) -> tuple[str, ...]:
    """`func(obj)` as a tuple of strings, or `IndexFuncError` (also for a value that is not a str)."""
    try:
        values = tuple(func(obj))
        for value in values:
            if not isinstance(value, str):
                raise TypeError(f"index value {value!r} is not a str")
    except Exception as err:
        raise IndexFuncError(key, name, err) from err
    return values
