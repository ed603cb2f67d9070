"""The Namespace strategy (Kubernetes' `pkg/registry/core/namespace/`; API-11, GC-8).

- Create: the status is reset to `phase: Active` (defaulting adds the `kubernetes` finalizer).
- `spec.finalizers` changes only through the `finalize` subresource: a main write keeps the stored
  list (and the stored status); a `finalize` write keeps the stored status; a status write keeps
  the stored spec.
- DELETE of `default`, `kube-system`, `kube-public` or `kube-node-lease` → 403. The first DELETE
  sets `deletionTimestamp` and `phase: Terminating` and keeps the namespace: the namespace
  controller empties it and then removes its `spec.finalizers` through `finalize`. While
  `spec.finalizers` is not empty, a further DELETE changes nothing; an update that empties it (and
  leaves no `metadata.finalizers`) removes the namespace.
"""

from __future__ import annotations

from kubelite.api.core import Namespace, NamespaceStatus
from kubelite.api.errors import Forbidden
from kubelite.api.meta import Object, StatusDetails
from kubelite.apiserver.strategies.base import Strategy, keep_status
from kubelite.clock import rfc3339

BUILTIN = ("default", "kube-system", "kube-public", "kube-node-lease")


class NamespaceStrategy(Strategy):
    def __init__(self) -> None:
        super().__init__(status_subresource=True, reset_status_on_create=True)

    @property
    def subresources(self) -> frozenset[str]:
        return frozenset({"status", "finalize"})

    def prepare_for_create(self, obj: Object) -> None:
        super().prepare_for_create(obj)
        assert isinstance(obj, Namespace)
        obj.status = NamespaceStatus(phase="Active")

    def prepare_for_update(self, old: Object, new: Object) -> None:
        super().prepare_for_update(old, new)
        assert isinstance(old, Namespace) and isinstance(new, Namespace)
        new.spec.finalizers = list(old.spec.finalizers)

    def prepare_for_subresource_update(self, subresource: str, old: Object, new: Object) -> None:
        if subresource == "finalize":
            keep_status(old, new)
            new.metadata.generation = old.metadata.generation
            return
        super().prepare_for_subresource_update(subresource, old, new)

    def check_delete(self, name: str) -> None:
        if name in BUILTIN:
            raise Forbidden(
                f'namespaces "{name}" is forbidden: this namespace may not be deleted',
                details=StatusDetails(name=name, kind="namespaces"),
            )

    def deletion_pending(self, obj: Object) -> bool:
        return obj.metadata.deletion_timestamp is not None and self.blocks_removal(obj)

    def blocks_removal(self, obj: Object) -> bool:
        assert isinstance(obj, Namespace)
        return bool(obj.spec.finalizers) or obj.metadata.deletion_timestamp is None

    def mark_deleting(self, obj: Object, now: float) -> None:
        assert isinstance(obj, Namespace)
        if obj.metadata.deletion_timestamp is None:
            obj.metadata.deletion_timestamp = rfc3339(now)
        obj.status.phase = "Terminating"
