"""DELETE: preconditions, propagation policy, finalizers and graceful deletion (KUB-12, GC-4..8).

Outcomes:
- The object is removed at once (no finalizers, no grace period left) → a `Status` with
  `status: Success` and the object's name, group, kind and uid in `details`.
- Something keeps it alive → the updated object (200): finalizers (including `orphan` for the Orphan
  policy and `foregroundDeletion` for Foreground, which the garbage collector later removes), a pod's
  grace period (`deletionTimestamp = now + g`, `deletionGracePeriodSeconds = g`), or a namespace's
  `spec.finalizers` (it turns `Terminating`; the namespace controller finishes the job).
- `deletionTimestamp` is set once and never cleared; `generation` rises by one when it is first set.
  A later DELETE may shorten a pod's grace period, never extend it.
Mismatched `preconditions` (uid, resourceVersion) → 409; both `orphanDependents` and
`propagationPolicy` → 422. Rejections leave the store unchanged.
"""

from __future__ import annotations

from kubelite.api.core import Namespace, Pod
from kubelite.api.errors import STALE_OBJECT, conflict, invalid, invalid_error, not_found, not_supported
from kubelite.api.meta import DeleteOptions, Object, Status, StatusDetails
from kubelite.api.registry import ResourceInfo
from kubelite.apiserver import namespaces
from kubelite.apiserver.codec import encode, to_typed
from kubelite.apiserver.context import RequestContext
from kubelite.apiserver.core import ServerCore, render
from kubelite.apiserver.strategy import Strategy
from kubelite.clock import parse_rfc3339, rfc3339
from kubelite.store.interface import KeyNotFoundError, Record, RevisionMismatchError

POLICIES = ("Background", "Foreground", "Orphan")
GC_FINALIZERS = {"Orphan": "orphan", "Foreground": "foregroundDeletion"}


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
    namespace = core.request_namespace(info, namespace)
    if info.type is Namespace:
        namespaces.check_deletable(name)
    record, obj = core.latest(info, namespace, name)
    _check_preconditions(info, record, obj, opts)
    strategy = core.strategy(info)
    policy = _policy(info, strategy, opts)
    now = core.clock.now()
    keep = _mark(core, strategy, obj, opts, policy, now)
    if keep:
        if ctx.dry_run:
            return obj
        return await _store(core, info, record, obj, remove=False)
    if not ctx.dry_run:
        await _store(core, info, record, obj, remove=True)
    details = StatusDetails(name=name, group=info.group, kind=info.plural, uid=obj.metadata.uid)
    return Status(status="Success", details=details)


def _mark(
    core: ServerCore, strategy: Strategy, obj: Object, opts: DeleteOptions, policy: str, now: float
) -> bool:
    """Apply the delete to `obj` in place; True if the object must stay (updated, not removed)."""
    grace = _grace_seconds(core, strategy, obj, opts)
    _set_gc_finalizer(obj, policy)
    meta = obj.metadata
    first = meta.deletion_timestamp is None
    if grace > 0:
        _set_deadline(obj, now, grace)
    elif meta.finalizers or _namespace_finalizers(obj):
        if first:
            meta.deletion_timestamp = rfc3339(now)
            meta.deletion_grace_period_seconds = 0
    else:
        return False
    if first and meta.generation > 0:
        meta.generation += 1
    if isinstance(obj, Namespace):
        obj.status.phase = "Terminating"
    return True


def _set_deadline(obj: Object, now: float, grace: int) -> None:
    meta = obj.metadata
    deadline = now + grace
    if meta.deletion_timestamp is not None and parse_rfc3339(meta.deletion_timestamp) <= deadline:
        return
    meta.deletion_timestamp = rfc3339(deadline)
    meta.deletion_grace_period_seconds = grace


def _grace_seconds(core: ServerCore, strategy: Strategy, obj: Object, opts: DeleteOptions) -> int:
    """KUB-12: the grace period a pod gets; 0 for everything else."""
    if not strategy.graceful_delete or not isinstance(obj, Pod):
        return 0
    if not obj.spec.node_name or obj.status.phase in ("Succeeded", "Failed"):
        return 0
    grace = opts.grace_period_seconds
    if grace is None:
        grace = obj.spec.termination_grace_period_seconds
    if grace is None:
        grace = core.settings.default_grace_period_seconds
    return max(grace, 0)


def _set_gc_finalizer(obj: Object, policy: str) -> None:
    finalizers = [f for f in obj.metadata.finalizers if f not in GC_FINALIZERS.values()]
    wanted = GC_FINALIZERS.get(policy)
    if wanted is not None:
        finalizers.append(wanted)
    if set(finalizers) != set(obj.metadata.finalizers):
        obj.metadata.finalizers = finalizers


def _namespace_finalizers(obj: Object) -> bool:
    return isinstance(obj, Namespace) and bool(obj.spec.finalizers)


def _policy(info: ResourceInfo, strategy: Strategy, opts: DeleteOptions) -> str:
    if opts.orphan_dependents is not None and opts.propagation_policy is not None:
        err = invalid(
            opts.propagation_policy,
            "propagationPolicy",
            "orphanDependents and deletionPropagation cannot be both set",
        )
        raise invalid_error("", "DeleteOptions", "", [err])
    if opts.propagation_policy is not None:
        if opts.propagation_policy not in POLICIES:
            err = not_supported(opts.propagation_policy, "propagationPolicy", POLICIES)
            raise invalid_error("", "DeleteOptions", "", [err])
        return opts.propagation_policy
    if opts.orphan_dependents is not None:
        return "Orphan" if opts.orphan_dependents else "Background"
    return strategy.default_propagation


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
