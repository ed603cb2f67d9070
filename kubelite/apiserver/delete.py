"""DELETE: preconditions, then the rules of `apiserver.deletion` (KUB-12, GC-4..GC-8), then the write.

Outcomes:
- The object is removed at once (no finalizers, no grace period left) → a `Status` with
  `status: Success` and the object's name, group, kind and uid in `details`; for a kind whose
  strategy has `return_deleted_object` (pods, Services) the object as last stored instead, when
  the context asks for it (`RequestContext.return_deleted_object`: the HTTP API, as upstream).
- Something keeps it alive → the object (200), stored with its new deletion state: finalizers
  (including `orphan` for the Orphan policy and `foregroundDeletion` for Foreground, which the
  garbage collector later removes), a pod's grace period (`deletionTimestamp = now + g`,
  `deletionGracePeriodSeconds = g`; a later DELETE may shorten it, never extend it), or a
  namespace's `spec.finalizers` (it turns `Terminating`; the namespace controller finishes the job).
  A DELETE that changes nothing writes nothing.
- `deletionTimestamp` is never cleared; `generation` rises by one when it is first set.
The kind's `delete_warnings` for the options join the request's warnings (once per request, so a
collection DELETE repeats none), whatever the outcome. Mismatched `preconditions` (uid,
resourceVersion) → 409; both `orphanDependents` and `propagationPolicy` → 422; a kind's own refusal
(a built-in namespace) → 403. Rejections leave the store unchanged. A dry run is asked for by the
request (`?dryRun=All`) or by the options (`dryRun: [All]` in the body, as client-go and so
`kubectl delete|drain --dry-run=server` send it); any other `dryRun` value is a 422 unless the
request is a dry run already (an eviction's, whose `deleteOptions.dryRun` may hold any value).
"""

from __future__ import annotations

import dataclasses

from kubelite.api.errors import STALE_OBJECT, Conflict, NotFound, conflict, not_found
from kubelite.api.meta import DeleteOptions, Object, Status, StatusDetails
from kubelite.api.registry import ResourceInfo
from kubelite.apiserver.codec import encode, to_typed
from kubelite.apiserver.context import RequestContext
from kubelite.apiserver.core import ServerCore, render
from kubelite.apiserver.deletion import Outcome, delete_request, dry_run_requested, plan_delete
from kubelite.store.interface import KeyNotFoundError, Record, RevisionMismatchError


def decode_options(options: object | None, ctx: RequestContext) -> DeleteOptions:
    if options is None:
        return DeleteOptions()
    return to_typed(DeleteOptions, "DeleteOptions", "v1", options, ctx.warnings, ctx.strict)


async def delete(
    core: ServerCore,
    info: ResourceInfo,
    name: str,
    namespace: str,
    options: object | None,
    ctx: RequestContext,
) -> Object | Status:
    opts = decode_options(options, ctx)
    if not ctx.dry_run and dry_run_requested(opts):
        ctx = dataclasses.replace(ctx, dry_run=True)  # shares the warnings list with the caller's
    request = delete_request(opts, core.clock.now(), core.settings.default_grace_period_seconds)
    namespace = core.request_namespace(info, namespace)
    strategy = core.strategy(info)
    ctx.warnings += [text for text in strategy.delete_warnings(opts) if text not in ctx.warnings]
    strategy.check_delete(name)
    record, obj = core.latest(info, namespace, name)
    _check_preconditions(info, record, obj, opts)
    outcome = plan_delete(strategy, obj, request)
    if outcome is not Outcome.REMOVE:
        if outcome is Outcome.UPDATE and not ctx.dry_run:
            return await _store(core, info, record, obj, remove=False)
        return obj
    if not ctx.dry_run:
        await _remove(core, info, record, obj)
    if strategy.return_deleted_object and ctx.return_deleted_object:
        return obj
    details = StatusDetails(name=name, group=info.group, kind=info.plural, uid=obj.metadata.uid)
    return Status(status="Success", details=details)


async def _remove(core: ServerCore, info: ResourceInfo, record: Record, obj: Object) -> None:
    """Remove the object; the strategy hears of it once the store accepted the removal (also when
    the caller is cancelled while the commit is pending)."""
    try:
        await _store(core, info, record, obj, remove=True)
    except (NotFound, Conflict):
        raise  # not accepted: someone else changed or removed it first
    except BaseException:
        if core.gone(record.key):
            core.strategy(info).removed(core, info, obj)
        raise
    core.strategy(info).removed(core, info, obj)


def _check_preconditions(info: ResourceInfo, record: Record, obj: Object, opts: DeleteOptions) -> None:
    pre = opts.preconditions
    if pre is None:
        return
    name = obj.metadata.name
    if pre.uid is not None and pre.uid != obj.metadata.uid:
        why = f"Precondition failed: UID in precondition: {pre.uid}, UID in object meta: {obj.metadata.uid}"
        raise conflict(info.group, info.plural, name, why)
    if pre.resource_version is not None and pre.resource_version != str(record.revision):
        why = (
            f"Precondition failed: ResourceVersion in precondition: {pre.resource_version}, "
            f"ResourceVersion in meta: {record.revision}"
        )
        raise conflict(info.group, info.plural, name, why)


async def _store(
    core: ServerCore, info: ResourceInfo, record: Record, obj: Object, *, remove: bool
) -> Object:
    if not remove:
        obj.metadata.resource_version = str(record.revision)
        if encode(obj) == record.value:
            return obj  # a repeated DELETE that changes nothing writes nothing
    try:
        if remove:
            await core.storage.delete(record.key, render(obj), expect_revision=record.revision)
        else:
            await core.storage.update(record.key, render(obj), expect_revision=record.revision)
    except RevisionMismatchError:
        raise conflict(info.group, info.plural, obj.metadata.name, STALE_OBJECT) from None
    except KeyNotFoundError:
        raise not_found(info.group, info.plural, obj.metadata.name) from None
    return obj
