"""PUT and PATCH, on the main resource or a subresource (API-2, API-3, API-4, API-10, GC-7).

One read-modify-write path serves every verb: the new object is derived from the latest stored
state, defaults run, the kind's strategy applies its split (a main write keeps the status, a
status write keeps the spec, a Namespace's `finalize` write changes only `spec.finalizers`, …) and
moves generation, server-owned metadata is carried over, update validation runs, and then:
- a result equal to the stored object is a no-op: nothing is written, resourceVersion is kept and no
  watch event is sent;
- a result whose encoding exceeds `settings.max_object_bytes` is a 413 RequestEntityTooLarge;
- an object being deleted whose last finalizer is gone and whose grace period is over
  (`deletionGracePeriodSeconds` 0 or unset) is removed (the strategy may hold it: a Namespace with
  `spec.finalizers`);
- otherwise it is stored with the stored revision as precondition.
A subresource the kind does not serve (say `status` of a ConfigMap) is a 404.
A client-sent resourceVersion that differs from the stored one is a 409 Conflict; an empty one
means an unconditional write. Rejections leave the store unchanged.
"""

from __future__ import annotations

from typing import Any

from kubelite.api.errors import STALE_OBJECT, BadRequest, conflict, invalid_error, not_found
from kubelite.api.meta import Object
from kubelite.api.registry import ResourceInfo
from kubelite.apiserver.codec import encode, to_builtins
from kubelite.apiserver.context import RequestContext
from kubelite.apiserver.core import ServerCore, render
from kubelite.apiserver.create import decode_input, resolve_namespace
from kubelite.apiserver.patch import apply_patch
from kubelite.apiserver.strategies import Strategy
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
    if subresource:
        core.strategy(info).check_subresource(subresource)
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
    if subresource:
        core.strategy(info).check_subresource(subresource)
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
    _prepare(strategy, old, new, subresource)
    errors = strategy.validate_update(new, old)
    if errors:
        raise invalid_error(info.group, info.kind, old.metadata.name, errors)
    finish = strategy.begin_update(core, info, old, new)
    stored = False
    try:
        result, stored = await _commit(core, info, record, old, new, ctx)
        return result
    finally:
        finish(stored or (not ctx.dry_run and core.kept(record.key, new, record.revision)))


async def _commit(
    core: ServerCore, info: ResourceInfo, record: Record, old: Object, new: Object, ctx: RequestContext
) -> tuple[Object, bool]:
    """Write `new` unless it changes nothing; the result and whether `new` is now stored."""
    strategy = core.strategy(info)
    strategy.canonicalize(new)
    new.metadata.resource_version = str(record.revision)
    encoded = encode(new)
    if encoded == record.value:
        return new, True
    core.check_size(encoded)
    if ctx.dry_run:
        return new, False
    remove = strategy.should_delete_during_update(old, new)
    return await _write(core, info, record, old, new, remove), not remove


async def _write(
    core: ServerCore, info: ResourceInfo, record: Record, old: Object, result: Object, remove: bool
) -> Object:
    """Store `result`, or remove the object (then the strategy hears of it, with `old`)."""
    meta = result.metadata
    try:
        if remove:
            await core.storage.delete(record.key, render(result), expect_revision=record.revision)
        else:
            await core.storage.update(
                record.key, render(result, core.check_size), expect_revision=record.revision
            )
    except RevisionMismatchError:
        raise conflict(info.group, info.plural, meta.name, STALE_OBJECT) from None
    except KeyNotFoundError:
        raise not_found(info.group, info.plural, meta.name) from None
    except BaseException:
        if remove and core.gone(record.key):
            core.strategy(info).removed(core, info, old)
        raise
    if remove:
        core.strategy(info).removed(core, info, old)
    return result


def _prepare(strategy: Strategy, old: Object, new: Object, subresource: str) -> None:
    """Defaults, then the kind's split of what this write may change, then server-owned metadata."""
    strategy.default(new, creating=False)
    if subresource:
        strategy.prepare_for_subresource_update(subresource, old, new)
    else:
        strategy.prepare_for_update(old, new)
    _keep_server_metadata(old, new)


def _keep_server_metadata(old: Object, new: Object) -> None:
    meta, before = new.metadata, old.metadata
    meta.namespace = before.namespace
    meta.creation_timestamp = before.creation_timestamp
    meta.deletion_timestamp = before.deletion_timestamp
    meta.deletion_grace_period_seconds = before.deletion_grace_period_seconds
    if not meta.uid:
        meta.uid = before.uid
