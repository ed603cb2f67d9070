"""The committed objects held in memory: one flat map for point reads, one tree for listing.

`ObjectTable` keeps every committed `Record` twice: in a flat dict keyed by the full key (for `get`)
and in a resource → namespace → name tree (so listing one resource, or one namespace of it, never
touches other resources or namespaces). Both hold the same immutable `Record`s. Empty namespaces
are pruned. The table is plain synchronous state; only the store's committer mutates it.
"""

from __future__ import annotations

from collections.abc import Iterable

from kubelite.store.interface import Key, Record

Names = dict[str, Record]
"""name → record, within one namespace of one resource."""


class ObjectTable:
    """Current committed objects, indexed by key and by (resource, namespace)."""

    __slots__ = ("_flat", "_tree")

    def __init__(self, records: Iterable[Record] = ()) -> None:
        self._flat: dict[Key, Record] = {}
        self._tree: dict[str, dict[str, Names]] = {}
        for record in records:
            self.put(record)

    def __len__(self) -> int:
        return len(self._flat)

    def get(self, key: Key) -> Record | None:
        return self._flat.get(key)

    def put(self, record: Record) -> None:
        key = record.key
        self._flat[key] = record
        namespaces = self._tree.get(key[0])
        if namespaces is None:
            namespaces = self._tree[key[0]] = {}
        names = namespaces.get(key[1])
        if names is None:
            names = namespaces[key[1]] = {}
        names[key[2]] = record

    def remove(self, key: Key) -> None:
        if self._flat.pop(key, None) is None:
            return
        namespaces = self._tree[key[0]]
        names = namespaces[key[1]]
        del names[key[2]]
        if not names:
            del namespaces[key[1]]

    def list(self, resource: str, namespace: str | None) -> list[Record]:
        """Records of `resource` (in `namespace` unless None), sorted by (namespace, name)."""
        namespaces = self._tree.get(resource)
        if not namespaces:
            return []
        if namespace is not None:
            names = namespaces.get(namespace)
            return _sorted(names) if names else []
        result: list[Record] = []
        for ns in sorted(namespaces):
            result.extend(_sorted(namespaces[ns]))
        return result


def _sorted(names: Names) -> list[Record]:
    return [names[name] for name in sorted(names)]
