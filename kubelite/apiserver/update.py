"""PUT and PATCH, on the main resource or its `status` subresource (API-2, API-3, API-4, API-10, GC-7).

One read-modify-write path serves all four verbs: the new object is derived from the latest stored
state, server-owned metadata is carried over, the status/spec split is applied, generation moves on
spec changes, defaults and update validation run, and then:
- a result equal to the stored object is a no-op: nothing is written, resourceVersion is kept and no
  watch event is sent;
- an object being deleted whose last finalizer is gone (and whose grace period is over) is removed;
- otherwise it is stored with the stored revision as precondition.
A client-sent resourceVersion that differs from the stored one is a 409 Conflict; an empty one
means an unconditional write. Rejections leave the store unchanged.
"""

from __future__ import annotations

from typing import Any

from kubelite.api.core import Namespace
from kubelite.api.defaults import apply_defaults
from kubelite.api.errors import STALE_OBJECT, BadRequest, conflict, invalid_error, not_found
from kubelite.api.meta import Object
from kubelite.api.registry import ResourceInfo
from kubelite.api.validation import validate_update
from kubelite.apiserver import admission
from kubelite.apiserver.codec import encode, to_builtins
from kubelite.apiserver.context import RequestContext
from kubelite.apiserver.core import ServerCore, render
from kubelite.apiserver.create import decode_input, resolve_namespace
from kubelite.apiserver.patch import apply_patch
from kubelite.apiserver.strategy import Strategy
from kubelite.store.interface import KeyNotFoundError, Record, RevisionMismatchError


async def update(
    core: ServerCore,
    info: ResourceInfo,
    obj: object,
    namespace: str,
    name: str,
    ctx: RequestContext,
    subresource: str = "",
) -> Object:
    new = decode_input(info, obj, ctx)
    namespace = resolve_namespace(info, core.request_namespace(info, namespace), new)
    if new.metadata.name and new.metadata.name != name:
        raise BadRequest(
            f"the name of the object ({new.metadata.name}) does not match the name on the URL ({name})"
        )
    new.metadata.name = name
    record, old = core.latest(info, namespace, name)
    return await commit_update(core, info, record, old, new, ctx, subresource)


async def patch(
    core: ServerCore,
    info: ResourceInfo,
    name: str,
    namespace: str,
    body: bytes | Any,
    content_type: str,
    ctx: RequestContext,
    subresource: str = "",
) -> Object:
    namespace = core.request_namespace(info, namespace)
    record, old = core.latest(info, namespace, name)
    patched = apply_patch(to_builtins(old), body, content_type, info.type)
    new = decode_input(info, patched, ctx)
    resolve_namespace(info, namespace, new)
    if new.metadata.name != name:
        raise BadRequest(f"the name of the object ({new.metadata.name}) does not match the name ({name})")
    return await commit_update(core, info, record, old, new, ctx, subresource)


async def commit_update(
    core: ServerCore,
    info: ResourceInfo,
    record: Record,
    old: Object,
    new: Object,
    ctx: RequestContext,
    subresource: str = "",
) -> Object:
    """Apply update semantics to `new` (derived by the caller) against the stored `old`."""
    sent = new.metadata.resource_version
    if sent and sent != str(record.revision):
        raise conflict(info.group, info.plural, old.metadata.name, STALE_OBJECT)
    strategy = core.strategy(info)
    apply_defaults(new, creating=False)
    result = _merge(strategy, old, new, subresource)
    errors = validate_update(result, old)
    if errors:
        raise invalid_error(info.group, info.kind, old.metadata.name, errors)
    result.metadata.resource_version = str(record.revision)
    if encode(result) == record.value:
        return result
    if ctx.dry_run:
        return result
    return await _write(core, info, record, result, strategy)


async def _write(
    core: ServerCore, info: ResourceInfo, record: Record, result: Object, strategy: Strategy
) -> Object:
    meta = result.metadata
    removable = meta.deletion_timestamp is not None and not meta.finalizers
    if removable and strategy.graceful_delete and meta.deletion_grace_period_seconds:
        removable = False
    if removable and isinstance(result, Namespace) and result.spec.finalizers:
        removable = False
    try:
        if removable:
            await core.storage.delete(record.key, render(result), expect_revision=record.revision)
        else:
            await core.storage.update(record.key, render(result), expect_revision=record.revision)
    except RevisionMismatchError:
        raise conflict(info.group, info.plural, meta.name, STALE_OBJECT) from None
    except KeyNotFoundError:
        raise not_found(info.group, info.plural, meta.name) from None
    return result


def _merge(strategy: Strategy, old: Object, new: Object, subresource: str) -> Object:
    """The object to store: `new` with server-owned parts taken from `old`."""
    if subresource == "status":
        _status_write(strategy, old, new)
    elif subresource:
        raise BadRequest(f"subresource {subresource!r} does not accept updates")
    else:
        admission.prepare_update(old, new)
        _main_write(strategy, old, new)
    _keep_server_metadata(old, new)
    return new


def _main_write(strategy: Strategy, old: Object, new: Object) -> None:
    if strategy.status_subresource and hasattr(old, "status"):
        new.status = old.status  # type: ignore[attr-defined]  # both are the same kind
    new.metadata.generation = old.metadata.generation
    if strategy.tracks_generation and _spec_changed(old, new):
        new.metadata.generation = old.metadata.generation + 1


def _status_write(strategy: Strategy, old: Object, new: Object) -> None:
    if hasattr(old, "spec"):
        new.spec = old.spec  # type: ignore[attr-defined]  # both are the same kind
    if strategy.status_keeps_labels:
        new.metadata.labels = old.metadata.labels
    if strategy.graceful_delete:
        new.metadata.owner_references = old.metadata.owner_references
    new.metadata.generation = old.metadata.generation


def _keep_server_metadata(old: Object, new: Object) -> None:
    meta, before = new.metadata, old.metadata
    meta.namespace = before.namespace
    meta.creation_timestamp = before.creation_timestamp
    meta.deletion_timestamp = before.deletion_timestamp
    meta.deletion_grace_period_seconds = before.deletion_grace_period_seconds
    if not meta.uid:
        meta.uid = before.uid


def _spec_changed(old: Object, new: Object) -> bool:
    old_spec = getattr(old, "spec", None)
    new_spec = getattr(new, "spec", None)
    if old_spec is None and new_spec is None:
        return False
    return encode(old_spec) != encode(new_spec)  # type: ignore[arg-type]  # Structs, checked above
