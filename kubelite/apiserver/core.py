"""State and small services shared by every request handler.

`ServerCore` holds references to the storage, the kind registry, the clock and the settings, and
the server's `Strategies` (each kind's write rules; see `kubelite.apiserver.strategies`). Handlers
are plain functions over it (one module per verb), so the apiserver has no god class. Storage keys
are `(qualified plural, namespace, name)`, e.g. `("deployments.apps", "default", "web")`;
cluster-scoped kinds use namespace "". Every object a handler returns was decoded or built for
that call alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kubelite.api.errors import APIError, BadRequest, not_found, request_entity_too_large
from kubelite.api.meta import Object
from kubelite.api.registry import Registry, ResourceInfo
from kubelite.apiserver.codec import decode, encode
from kubelite.apiserver.settings import APIServerSettings
from kubelite.apiserver.strategies import Strategies, Strategy
from kubelite.clock import Clock
from kubelite.store.interface import Key, Record, Render, Storage

_FAILED = object()
"""What `latest` stands for when the store has failed and cannot answer."""


@dataclass(slots=True)
class ServerCore:
    storage: Storage
    registry: Registry
    clock: Clock
    settings: APIServerSettings
    strategies: Strategies = field(default_factory=Strategies)
    namespace_states: dict[Key, tuple[int, bool]] = field(default_factory=dict)
    """Per namespace key: (revision, terminating), so creates need not decode the Namespace."""

    def key(self, info: ResourceInfo, namespace: str, name: str) -> Key:
        return (info.qualified_plural, namespace if info.namespaced else "", name)

    def strategy(self, info: ResourceInfo) -> Strategy:
        return self.strategies.for_info(info)

    def check_size(self, encoded: bytes) -> None:
        """413 for an object whose encoding the store would refuse (etcd's request limit)."""
        limit = self.settings.max_object_bytes
        if len(encoded) > limit:
            raise request_entity_too_large(f"the object is {len(encoded)} bytes, limit is {limit}")

    def load(self, info: ResourceInfo, record: Record) -> Object:
        return self.decode(info, record.value)

    def decode(self, info: ResourceInfo, value: bytes) -> Object:
        obj = decode(info.type, value)
        assert isinstance(obj, Object)
        return obj

    def latest(self, info: ResourceInfo, namespace: str, name: str) -> tuple[Record, Object]:
        """The newest accepted state (for read-modify-write), or 404."""
        record = self.storage.latest(self.key(info, namespace, name))
        if record is None:
            raise not_found(info.group, info.plural, name)
        return record, self.load(info, record)

    def committed(self, info: ResourceInfo, namespace: str, name: str) -> Object:
        """The durable state (for reads), or 404."""
        record = self.storage.get(self.key(info, namespace, name))
        if record is None:
            raise not_found(info.group, info.plural, name)
        return self.load(info, record)

    def kept(self, key: Key, obj: Object, before: int) -> bool:
        """After a write to `key` raised: whether the store accepted it anyway and keeps it (the
        caller was cancelled while the commit was pending), so what it reserved must stay.
        `obj` is the object the write rendered (its resourceVersion is stamped on accept);
        `before` the key's revision when the write started (0 for a create)."""
        version = obj.metadata.resource_version
        if not version or version == str(before):
            return False
        record = self._latest_or_failed(key)
        return isinstance(record, Record) and str(record.revision) == version

    def gone(self, key: Key) -> bool:
        """After a removal of `key` raised: whether the store accepted it anyway (a store that
        failed for good answers no: nothing of it counts any more)."""
        return self._latest_or_failed(key) is None

    def _latest_or_failed(self, key: Key) -> Record | object | None:
        try:
            return self.storage.latest(key)
        except APIError:
            return _FAILED

    def request_namespace(self, info: ResourceInfo, namespace: str | None) -> str:
        """The namespace a request addresses: required for namespaced kinds, "" otherwise."""
        if not info.namespaced:
            return ""
        if not namespace:
            raise BadRequest(f"a namespace is required for {info.qualified_plural}")
        return namespace


def render(obj: Object, check: Callable[[bytes], None] | None = None) -> Render:
    """A store render callback: stamp the revision as resourceVersion, then encode; `check` sees
    the exact bytes the store would keep and may refuse them (the store draws nothing then)."""

    def build(revision: int) -> bytes:
        obj.metadata.resource_version = str(revision)
        encoded = encode(obj)
        if check is not None:
            check(encoded)
        return encoded

    return build
