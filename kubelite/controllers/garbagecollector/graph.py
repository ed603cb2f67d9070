"""The owner→dependents graph of the garbage collector (upstream's `graph_builder.go`, GC-1..GC-6).

A `Node` keeps only what collection needs: uid, resource, namespace, name, owner references and
the deletion state (`deleting`, `foreground` = being deleted with the `foregroundDeletion`
finalizer, `orphan` = being deleted with the `orphan` finalizer). Nodes are immutable values; the
`Graph` maps uids to nodes and owner uids to dependent uids (an owner need not be in the graph).

`put`, `remove` and `replace` change the graph and return the uids the collector must look at
again (never an object: decisions read live state), after upstream's rules:
- a node some of whose owners are not live owners in the graph (absent, another identity, being
  deleted in the foreground), or a node being deleted with `orphan` / `foregroundDeletion`;
- every dependent of a node that starts being deleted in the foreground, or that disappears;
- an owner being deleted in the foreground when one of its dependents goes, drops its reference,
  or stops blocking it.
Not thread-safe (one event loop); every method is all-or-nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from sys import intern

from kubelite.api.meta import Object
from kubelite.api.registry import ResourceInfo

ORPHAN = "orphan"
FOREGROUND = "foregroundDeletion"


@dataclass(frozen=True, slots=True)
class OwnerRef:
    uid: str
    api_version: str
    kind: str
    name: str
    blocking: bool = False
    """`blockOwnerDeletion=true`."""


@dataclass(frozen=True, slots=True)
class Node:
    uid: str
    info: ResourceInfo
    namespace: str
    name: str
    owners: tuple[OwnerRef, ...] = ()
    deleting: bool = False
    foreground: bool = False
    orphan: bool = False

    def owner(self, uid: str) -> OwnerRef | None:
        return next((ref for ref in self.owners if ref.uid == uid), None)


def node_of(info: ResourceInfo, obj: Object) -> Node:
    meta = obj.metadata
    deleting = meta.deletion_timestamp is not None
    owners = tuple(
        OwnerRef(ref.uid, intern(ref.api_version), intern(ref.kind), ref.name, bool(ref.block_owner_deletion))
        for ref in meta.owner_references
    )
    return Node(
        uid=meta.uid,
        info=info,
        namespace=meta.namespace,
        name=meta.name,
        owners=owners,
        deleting=deleting,
        foreground=deleting and FOREGROUND in meta.finalizers,
        orphan=deleting and ORPHAN in meta.finalizers,
    )


class Graph:
    def __init__(self) -> None:
        self._nodes: dict[str, Node] = {}
        self._dependents: dict[str, set[str]] = {}
        self._by_resource: dict[str, set[str]] = {}

    def __len__(self) -> int:
        return len(self._nodes)

    def get(self, uid: str) -> Node | None:
        return self._nodes.get(uid)

    def dependents(self, uid: str) -> list[Node]:
        return [self._nodes[d] for d in sorted(self._dependents.get(uid, ())) if d in self._nodes]

    def solid_in_graph(self, node: Node, ref: OwnerRef) -> bool:
        """Whether the graph holds `ref`'s owner, alive (not deleting in the foreground) and
        reachable from `node`'s namespace."""
        owner = self._nodes.get(ref.uid)
        return (
            owner is not None
            and owner.name == ref.name
            and owner.info.kind == ref.kind
            and owner.namespace in ("", node.namespace)
            and not owner.foreground
        )

    def put(self, node: Node) -> list[str]:
        old = self._nodes.get(node.uid)
        if old == node:
            return []
        self._unlink(old)
        self._nodes[node.uid] = node
        self._by_resource.setdefault(node.info.qualified_plural, set()).add(node.uid)
        for ref in node.owners:
            self._dependents.setdefault(ref.uid, set()).add(node.uid)
        return _dedupe(self._to_check(node) + self._released(old, node))

    def remove(self, uid: str) -> list[str]:
        old = self._nodes.pop(uid, None)
        if old is None:
            return []
        self._unlink(old)
        self._by_resource.get(old.info.qualified_plural, set()).discard(uid)
        waiting = [ref.uid for ref in old.owners if self._foreground(ref.uid)]
        return _dedupe(sorted(self._dependents.get(uid, ())) + waiting)

    def replace(self, info: ResourceInfo, nodes: list[Node]) -> list[str]:
        """A relist of one resource: its nodes become exactly `nodes`."""
        listed = {node.uid for node in nodes}
        gone = self._by_resource.get(info.qualified_plural, set()) - listed
        queued: list[str] = []
        for uid in sorted(gone):
            queued += self.remove(uid)
        for node in nodes:
            queued += self.put(node)
        return _dedupe(queued)

    def _unlink(self, old: Node | None) -> None:
        if old is None:
            return
        for ref in old.owners:
            dependents = self._dependents.get(ref.uid)
            if dependents is not None:
                dependents.discard(old.uid)
                if not dependents and ref.uid not in self._nodes:
                    del self._dependents[ref.uid]

    def _foreground(self, uid: str) -> bool:
        owner = self._nodes.get(uid)
        return owner is not None and owner.foreground

    def _to_check(self, node: Node) -> list[str]:
        queued: list[str] = []
        if node.orphan or node.foreground or not all(self.solid_in_graph(node, r) for r in node.owners):
            queued.append(node.uid)
        if node.foreground:
            queued += sorted(self._dependents.get(node.uid, ()))
        return queued

    def _released(self, old: Node | None, new: Node) -> list[str]:
        """Foreground-deleting owners that `new` no longer blocks (reference dropped or unblocked)."""
        if old is None:
            return []
        still_blocking = {ref.uid for ref in new.owners if ref.blocking}
        return [r.uid for r in old.owners if r.uid not in still_blocking and self._foreground(r.uid)]


def _dedupe(uids: list[str]) -> list[str]:
    return list(dict.fromkeys(uids))
