"""What a DELETE does to an object: Kubernetes' `rest.BeforeDelete` and the generic store's
finalizer rules (`registry/generic/registry/store.go`), as a pure function over the object.

`plan_delete(strategy, obj, request)` mutates the caller's copy of the stored object and returns
one of three outcomes:
- `KEEP`: a deletion is already under way and this request does not change it (a pod whose grace
  period is running and that is not asked for a shorter one; a Namespace whose `spec.finalizers`
  are pending); the object is returned as stored and nothing is written, finalizers included.
- `UPDATE`: the object stays, terminating; the caller stores it (an unchanged result writes
  nothing).
- `REMOVE`: the object goes at once.

Rules, in order:
1. A negative `gracePeriodSeconds` means 1 s (negative stored grace too).
2. Graceful kinds (pods, KUB-12). Already terminating: with a stored grace of 0 or none, go on as
   if not graceful; a shorter requested grace moves `deletionTimestamp` back by the difference
   (never before now, nor after the stored deadline; a non-zero grace cut short that way becomes
   1 s) and stores the new grace; anything else is `KEEP`. (Kubernetes raises a deadline cut
   short into the past to now, which can move an overdue one later; here it never moves later.)
   First DELETE: `deletionTimestamp = now + g`, grace g (the strategy's `graceful_period`),
   generation + 1.
3. GC finalizers (GC-5, GC-6): an explicit `orphanDependents` or `propagationPolicy` decides
   whether `orphan` / `foregroundDeletion` are present; without one, an existing `orphan` or
   `foregroundDeletion` finalizer stays (it overrides the kind's default); only then does the
   kind's `default_propagation` apply.
4. With finalizers left, or when the strategy blocks removal (a Namespace), the object stays:
   a graceful one as set in 2, any other marked by the strategy's `mark_deleting` (GC-7:
   `deletionTimestamp` now, grace 0, generation + 1 the first time). A graceful object with grace
   left stays too. Everything else is removed.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from kubelite.api.errors import invalid, invalid_error, not_supported
from kubelite.api.meta import DeleteOptions, Object, ObjectMeta
from kubelite.api.validation.fields import shown
from kubelite.apiserver.strategies import Strategy
from kubelite.clock import parse_rfc3339, rfc3339

POLICIES = ("Background", "Foreground", "Orphan")
DRY_RUN_VALUES = ("All",)
ORPHAN = "orphan"
FOREGROUND = "foregroundDeletion"


class Outcome(enum.Enum):
    KEEP = "keep"
    UPDATE = "update"
    REMOVE = "remove"


@dataclass(frozen=True, slots=True)
class DeleteRequest:
    now: float
    grace: int | None = None
    """The requested grace period, negative values already raised to 1."""
    policy: str | None = None
    """The explicit propagation policy (from `propagationPolicy` or `orphanDependents`), if any."""
    default_grace: int = 30
    """A pod's grace when neither the request nor its spec names one."""


def delete_request(opts: DeleteOptions, now: float, default_grace: int) -> DeleteRequest:
    """The request's rules from its options; 422 for a bad or doubled policy."""
    grace = opts.grace_period_seconds
    if grace is not None and grace < 0:
        grace = 1
    return DeleteRequest(now=now, grace=grace, policy=_policy(opts), default_grace=default_grace)


def dry_run_requested(opts: DeleteOptions) -> bool:
    """Whether the options themselves ask for a dry run (`dryRun: [All]`, as client-go sends it
    in the DELETE body); any other value is a 422 (upstream `ValidateDryRun`)."""
    if any(value not in DRY_RUN_VALUES for value in opts.dry_run):
        err = not_supported(shown(opts.dry_run), "dryRun", DRY_RUN_VALUES)
        raise invalid_error("meta.k8s.io", "DeleteOptions", "", [err])
    return bool(opts.dry_run)


def _policy(opts: DeleteOptions) -> str | None:
    if opts.orphan_dependents is not None and opts.propagation_policy is not None:
        err = invalid(
            opts.propagation_policy,
            "propagationPolicy",
            "orphanDependents and deletionPropagation cannot be both set",
        )
        raise invalid_error("meta.k8s.io", "DeleteOptions", "", [err])
    if opts.propagation_policy is not None:
        if opts.propagation_policy not in POLICIES:
            err = not_supported(opts.propagation_policy, "propagationPolicy", POLICIES)
            raise invalid_error("meta.k8s.io", "DeleteOptions", "", [err])
        return opts.propagation_policy
    if opts.orphan_dependents is not None:
        return "Orphan" if opts.orphan_dependents else "Background"
    return None


def plan_delete(strategy: Strategy, obj: Object, request: DeleteRequest) -> Outcome:
    if strategy.deletion_pending(obj):
        return Outcome.KEEP
    graceful, pending = _before_delete(strategy, obj, request)
    if pending:
        return Outcome.KEEP
    meta = obj.metadata
    _set_gc_finalizers(meta, _gc_policy(strategy, meta, request))
    stays = bool(meta.finalizers) or strategy.blocks_removal(obj)
    if graceful:
        return Outcome.UPDATE if stays or meta.deletion_grace_period_seconds else Outcome.REMOVE
    if stays:
        strategy.mark_deleting(obj, request.now)
        return Outcome.UPDATE
    return Outcome.REMOVE


def _before_delete(strategy: Strategy, obj: Object, request: DeleteRequest) -> tuple[bool, bool]:
    """(graceful, pending) as Kubernetes' `rest.BeforeDelete` computes them."""
    meta = obj.metadata
    if meta.deletion_grace_period_seconds is not None and meta.deletion_grace_period_seconds < 0:
        meta.deletion_grace_period_seconds = 1
    if not strategy.graceful_delete:
        return False, False
    if meta.deletion_timestamp is not None:
        return _shorten(meta, request)
    period = strategy.graceful_period(obj, request.grace, request.default_grace)
    meta.deletion_timestamp = rfc3339(request.now + period)
    meta.deletion_grace_period_seconds = period
    if meta.generation > 0:
        meta.generation += 1
    return True, False


def _shorten(meta: ObjectMeta, request: DeleteRequest) -> tuple[bool, bool]:
    """A DELETE of an object already terminating may only bring its deadline forward."""
    current = meta.deletion_grace_period_seconds
    assert meta.deletion_timestamp is not None
    if not current:
        return False, False
    grace = request.grace
    if grace is None or grace >= current:
        return False, True
    stored = parse_rfc3339(meta.deletion_timestamp)
    deadline = stored - current + grace
    floor = min(float(int(request.now)), stored)  # timestamps have second precision
    if deadline < floor:
        deadline = floor
        grace = 1 if grace else 0
    meta.deletion_timestamp = rfc3339(deadline)
    meta.deletion_grace_period_seconds = grace
    return True, False


def _gc_policy(strategy: Strategy, meta: ObjectMeta, request: DeleteRequest) -> str:
    """The request's policy, else the one an existing GC finalizer records, else the kind's."""
    if request.policy is not None:
        return request.policy
    for finalizer in meta.finalizers:
        if finalizer == ORPHAN:
            return "Orphan"
        if finalizer == FOREGROUND:
            return "Foreground"
    return strategy.default_propagation


def _set_gc_finalizers(meta: ObjectMeta, policy: str) -> None:
    finalizers = [f for f in meta.finalizers if f not in (ORPHAN, FOREGROUND)]
    if policy == "Orphan":
        finalizers.append(ORPHAN)
    elif policy == "Foreground":
        finalizers.append(FOREGROUND)
    if set(finalizers) != set(meta.finalizers):
        meta.finalizers = finalizers
