"""`Strategy`: the per-kind write rules, as hooks, after Kubernetes' registry strategies.

The generic handlers (create, update, delete) hold no rule about any particular kind; they call a
kind's strategy at fixed points, all synchronously between the request's read and its write (so
hooks must not await, and the checks and the write stay atomic with respect to other requests):

- create: `prepare_for_create` → generateName → `default` → `validate` → `begin_create` →
  `canonicalize` → store; then the `Finish` that `begin_create` returned is called once with
  whether the object was stored (False for a dry run or any failure), as upstream's
  `BeginCreate`: what the hook reserved is kept or given back.
- update: `default` → `prepare_for_update` (main resource) or `prepare_for_subresource_update`
  (`status`, or another entry of `subresources`; anything else is a 404) → `validate_update` →
  `begin_update` → `canonicalize` → store (its `Finish` told whether it was), or remove when
  `should_delete_during_update`.
- removal (a DELETE or an update that removes the object): `removed` with the last stored state,
  once the removal was accepted by the store, as upstream's `AfterDelete`.
- scale (`…/scale`): `scale_of` reads replicas and selector, `set_replicas` changes the spec
  before the normal update path runs; kinds without a scale subresource answer 404.
- delete: `delete_warnings` → `check_delete` → `deletion_pending` → graceful deletion (`graceful_delete`,
  `graceful_period`) → finalizers → `blocks_removal` → `mark_deleting`; see `apiserver.deletion`.

`Strategy` itself is the generic strategy, what a custom resource gets in Kubernetes: `generation`
starts at 1 and moves on spec changes when `tracks_generation`; with `status_subresource`, main
writes keep the stored status, status writes keep the stored spec, and a create discards the sent
status when `reset_status_on_create`; a DELETE without a policy uses `default_propagation`.
Built-in kinds subclass it (`kubelite.apiserver.strategies.*`); a plugin kind passes its own
instance to `APIServer(strategies=...)`. A strategy belongs to one server and may keep state for
it (the Service strategy's allocators), never module-level state. Hooks mutate only the
objects they are handed, which the caller owns.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import msgspec

from kubelite.api.defaults import apply_defaults
from kubelite.api.errors import FieldError, subresource_not_found
from kubelite.api.meta import DeleteOptions, Object
from kubelite.api.validation import validate_create, validate_update
from kubelite.apiserver.codec import encode
from kubelite.clock import parse_rfc3339, rfc3339

if TYPE_CHECKING:
    from kubelite.api.registry import ResourceInfo
    from kubelite.apiserver.core import ServerCore


Finish = Callable[[bool], None]
"""Told once whether the write that a `begin_*` hook admitted was stored."""


def nothing_to_finish(stored: bool) -> None:
    """The `Finish` of a hook that reserved nothing."""


@dataclass(frozen=True, slots=True)
class ScaleView:
    """What an autoscaling/v1 Scale shows of its parent."""

    spec_replicas: int
    status_replicas: int
    selector: str
    """The label selector in string form (`app=web`)."""


class Strategy:
    """Generic write rules; subclasses override the hooks their kind needs."""

    graceful_delete = False
    """Whether DELETE may leave the object terminating for a grace period (pods)."""
    return_deleted_object = False
    """Whether a DELETE that removes the object answers with it, as last stored, instead of a
    Status (upstream's `ReturnDeletedObject`: pods and Services among the kinds kubelite serves)."""

    def __init__(
        self,
        *,
        tracks_generation: bool = False,
        status_subresource: bool = False,
        reset_status_on_create: bool = False,
        default_propagation: str = "Background",
    ) -> None:
        self.tracks_generation = tracks_generation
        self.status_subresource = status_subresource
        self.reset_status_on_create = reset_status_on_create
        self.default_propagation = default_propagation
        """GC-6: the policy of a DELETE that names none and finds no `orphan`/`foregroundDeletion`."""

    @property
    def subresources(self) -> frozenset[str]:
        """Subresources written through update and patch (scale, binding, eviction have their own)."""
        return frozenset({"status"}) if self.status_subresource else frozenset()

    # create

    def prepare_for_create(self, obj: Object) -> None:
        obj.metadata.generation = 1 if self.tracks_generation else 0
        if self.reset_status_on_create:
            reset_status(obj)

    def default(self, obj: Object, *, creating: bool) -> None:
        apply_defaults(obj, creating=creating)

    def validate(self, obj: Object) -> list[FieldError]:
        return validate_create(obj)

    def begin_create(self, core: ServerCore, info: ResourceInfo, obj: Object) -> Finish:
        """Admission that needs the rest of the cluster; runs after validation. The returned
        `Finish` is called once with whether the object was stored."""
        return nothing_to_finish

    def canonicalize(self, obj: Object) -> None:
        """Normalise a validated object just before it is stored."""

    # update

    def validate_update(self, new: Object, old: Object) -> list[FieldError]:
        return validate_update(new, old)

    def prepare_for_update(self, old: Object, new: Object) -> None:
        """A write to the main resource: keep the stored status; move generation on spec changes."""
        if self.status_subresource:
            keep_status(old, new)
        new.metadata.generation = old.metadata.generation
        if self.tracks_generation and spec_changed(old, new):
            new.metadata.generation = old.metadata.generation + 1

    def begin_update(self, core: ServerCore, info: ResourceInfo, old: Object, new: Object) -> Finish:
        """Admission of an update, after validation; like `begin_create`."""
        return nothing_to_finish

    def removed(self, core: ServerCore, info: ResourceInfo, obj: Object) -> None:
        """The object (its last stored state) was removed from the store."""

    def prepare_for_subresource_update(self, subresource: str, old: Object, new: Object) -> None:
        self.check_subresource(subresource)
        self.prepare_for_status_update(old, new)

    def prepare_for_status_update(self, old: Object, new: Object) -> None:
        keep_spec(old, new)
        new.metadata.generation = old.metadata.generation

    def check_subresource(self, subresource: str) -> None:
        """404 unless the kind serves `subresource` through update and patch."""
        if subresource not in self.subresources:
            raise subresource_not_found()

    def should_delete_during_update(self, old: Object, new: Object) -> bool:
        """An update that leaves a deleted object without finalizers, once its grace is over
        (`deletionGracePeriodSeconds` unset or 0), removes it."""
        if new.metadata.finalizers or self.blocks_removal(new):
            return False
        if old.metadata.deletion_timestamp is None:
            return False
        return not old.metadata.deletion_grace_period_seconds

    # scale

    def scale_of(self, obj: Object) -> ScaleView:
        raise subresource_not_found()

    def set_replicas(self, obj: Object, replicas: int) -> None:
        raise subresource_not_found()

    # delete

    def check_delete(self, name: str) -> None:
        """Refuse a DELETE before the object is read (a built-in namespace)."""

    def delete_warnings(self, options: DeleteOptions) -> list[str]:
        """Warnings a DELETE with these options earns, whatever its outcome (a Job's orphaned pods)."""
        return []

    def deletion_pending(self, obj: Object) -> bool:
        """Whether a DELETE leaves this terminating object exactly as it is."""
        return False

    def graceful_period(self, obj: Object, requested: int | None, default: int) -> int:
        """The grace period of a first DELETE (only asked when `graceful_delete`)."""
        return 0

    def blocks_removal(self, obj: Object) -> bool:
        """Whether the object must stay, without finalizers and grace (a Namespace's spec.finalizers)."""
        return False

    def mark_deleting(self, obj: Object, now: float) -> None:
        """A DELETE that keeps a non-graceful object: `deletionTimestamp` now (or earlier),
        `deletionGracePeriodSeconds` 0 and, the first time, generation + 1 (GC-7)."""
        meta = obj.metadata
        if meta.deletion_timestamp is None:
            if meta.generation > 0:
                meta.generation += 1
            meta.deletion_timestamp = rfc3339(now)
        elif parse_rfc3339(meta.deletion_timestamp) > now:
            meta.deletion_timestamp = rfc3339(now)
        meta.deletion_grace_period_seconds = 0


def keep_status(old: Object, new: Object) -> None:
    if hasattr(old, "status"):
        new.status = old.status  # type: ignore[attr-defined]  # both are the same kind


def keep_spec(old: Object, new: Object) -> None:
    if hasattr(old, "spec"):
        new.spec = old.spec  # type: ignore[attr-defined]  # both are the same kind


def spec_changed(old: Object, new: Object) -> bool:
    old_spec = getattr(old, "spec", None)
    new_spec = getattr(new, "spec", None)
    if old_spec is None and new_spec is None:
        return False
    return encode(old_spec) != encode(new_spec)  # type: ignore[arg-type]  # Structs, checked above


def reset_status(obj: Object) -> None:
    """Replace the object's status with a fresh empty one (the type's default)."""
    factory = _status_factory(type(obj))
    if factory is not None:
        obj.status = factory()  # type: ignore[attr-defined]  # the type has a status field


@functools.cache
def _status_factory(cls: type[Object]) -> Callable[[], object] | None:
    for field in msgspec.structs.fields(cls):
        if field.name == "status" and field.default_factory is not msgspec.NODEFAULT:
            factory: Callable[[], object] = field.default_factory
            return factory
    return None


def generic_strategy(info: ResourceInfo) -> Strategy:
    """The strategy of a kind nobody gave one: generation and status follow the type's fields."""
    fields = set(getattr(info.type, "__struct_fields__", ()))
    has_status = "status" in fields and "status" in info.subresources
    return Strategy(
        tracks_generation="spec" in fields,
        status_subresource=has_status,
        reset_status_on_create=has_status,
    )
