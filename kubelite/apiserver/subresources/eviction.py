"""`pods/eviction`: the Eviction API, honouring PodDisruptionBudgets (NODE-15; upstream
`pkg/registry/core/pod/storage/eviction.go`).

The body is a policy/v1 or policy/v1beta1 Eviction (another apiVersion or kind → 400; a name other
than the URL's, a missing one included, → 400 as upstream; a namespace other than the URL's → 400;
bad `deleteOptions` → 422). A `dryRun` on the request and one in `deleteOptions` must agree (else
500 "Non-matching dry-run options …" without a reason: upstream's `StatusReasonUnknown` is ""); any
non-empty `deleteOptions.dryRun` makes a dry run, as upstream's `IsDryRun`; a dry run checks
everything and writes nothing. An eviction is a create (on `pods/eviction`), so upstream's
NamespaceLifecycle admission applies first: in a missing namespace it is a 404 for the namespace,
in a terminating one a 403 with the `NamespaceTerminating` cause (kubectl drain then waits for a pod
already terminating, and retries the others every 5 s), whatever the pod.

1. A pod that is Pending, Succeeded, Failed or already terminating is deleted at once, without a
   PDB check (a Pending pod's delete carries its resourceVersion as precondition, retried on a
   conflict unless the caller set one).
2. Otherwise the namespace's PDBs covering the pod are looked up (`budgets`): two or more → 500;
   none → the pod is deleted. With one, an unready pod is deleted without spending budget when the
   PDB's `unhealthyPodEvictionPolicy` is `AlwaysAllow`, or (IfHealthyBudget, the default) when
   `currentHealthy ≥ desiredHealthy > 0`; such a delete carries the pod's resourceVersion, and a
   conflict on it (the pod changed, perhaps became Ready) is a 429. Any other pod spends one
   disruption (`budgets.spend_budget`: 429/403 refusals, 409 after repeated conflicts).
3. Deleting means: the pod's status gets `DisruptionTarget=True` (reason `EvictionByEvictionAPI`,
   message "Eviction API: evicting"; the pod's uid and resourceVersion preconditions are checked
   first), then the pod is deleted with the Eviction's `deleteOptions` (graceful termination
   applies). Success is a 201 `Status`; a missing pod is 404.

If that delete fails after the budget was spent (say a uid precondition names an older pod), the
budget stays spent: the PDB's `disruptedPods` entry keeps the pod out of `currentHealthy` until
the disruption controller drops it, 2 minutes later (as upstream).
"""

from __future__ import annotations

import dataclasses

from kubelite.api.core import Pod, PodCondition
from kubelite.api.errors import (
    NAMESPACE_MISMATCH,
    BadRequest,
    Conflict,
    InternalError,
    conflict,
    invalid_error,
)
from kubelite.api.meta import DeleteOptions, Preconditions, Status, StatusDetails
from kubelite.api.policy import Eviction, PodDisruptionBudget
from kubelite.api.policy.budget import is_pod_ready
from kubelite.api.registry import ResourceInfo
from kubelite.api.validation import validate_create
from kubelite.apiserver import delete as deleting
from kubelite.apiserver import namespaces
from kubelite.apiserver.codec import to_typed
from kubelite.apiserver.context import RequestContext
from kubelite.apiserver.core import ServerCore
from kubelite.apiserver.subresources.budgets import (
    EVICTION_RETRIES,
    covering_budgets,
    multiple_budgets,
    spend_budget,
    still_processing,
)
from kubelite.apiserver.update import commit_update
from kubelite.clock import rfc3339

VERSIONS = ("policy/v1", "policy/v1beta1")
EXEMPT_PHASES = ("Pending", "Succeeded", "Failed")


async def evict(core: ServerCore, namespace: str, name: str, body: object, ctx: RequestContext) -> Status:
    eviction = _decode(body, name, namespace, ctx)
    options = _delete_options(eviction, ctx)
    ctx = dataclasses.replace(ctx, dry_run=bool(options.dry_run))
    info = core.registry.by_type(Pod)
    namespace = core.request_namespace(info, namespace)
    namespaces.check_writable(core, namespace, info, name)
    pod = await _delete_if_exempt(core, info, namespace, name, options, ctx)
    if pod is not None:
        await _evict_guarded(core, info, pod, options, ctx)
    return Status(status="Success", code=201, details=StatusDetails(name=name, kind="pods"))


def _decode(body: object, name: str, namespace: str, ctx: RequestContext) -> Eviction:
    if isinstance(body, dict) and body.get("apiVersion") not in (None, *VERSIONS):
        raise BadRequest(f'no kind "Eviction" is registered for version "{body["apiVersion"]}"')
    eviction = to_typed(Eviction, "Eviction", "policy/v1", body, ctx.warnings, ctx.strict)
    if eviction.api_version not in VERSIONS:
        raise BadRequest(f'no kind "Eviction" is registered for version "{eviction.api_version}"')
    if eviction.metadata.name != name:
        raise BadRequest("name in URL does not match name in Eviction object")
    if eviction.metadata.namespace and eviction.metadata.namespace != namespace:
        raise BadRequest(NAMESPACE_MISMATCH)
    eviction.metadata.name, eviction.metadata.namespace = name, namespace
    errors = validate_create(eviction)
    if errors:
        raise invalid_error("policy", "Eviction", name, errors)
    return eviction


def _delete_options(eviction: Eviction, ctx: RequestContext) -> DeleteOptions:
    """The Eviction's deleteOptions with the request's dryRun pushed in (upstream propagateDryRun)."""
    options = eviction.delete_options or DeleteOptions()
    requested = ["All"] if ctx.dry_run else []
    if not options.dry_run:
        options.dry_run = requested
    elif requested and options.dry_run != requested:
        message = (
            "Non-matching dry-run options in request and content: "
            f"[{' '.join(requested)}] and [{' '.join(options.dry_run)}]"
        )
        err = InternalError(message)
        err.status = Status(status="Failure", message=message, code=500)  # StatusReasonUnknown is ""
        raise err
    return options


def _exempt(pod: Pod) -> bool:
    """Pods deleted without a PDB check: they are not running, or are already going."""
    return pod.metadata.deletion_timestamp is not None or pod.status.phase in EXEMPT_PHASES


def _has_rv(options: DeleteOptions) -> bool:
    return options.preconditions is not None and options.preconditions.resource_version is not None


def _with_rv(options: DeleteOptions, resource_version: str) -> DeleteOptions:
    pre = options.preconditions or Preconditions()
    pre = Preconditions(uid=pre.uid, resource_version=resource_version)
    return DeleteOptions(
        grace_period_seconds=options.grace_period_seconds,
        preconditions=pre,
        orphan_dependents=options.orphan_dependents,
        propagation_policy=options.propagation_policy,
        dry_run=options.dry_run,
    )


async def _delete_if_exempt(
    core: ServerCore,
    info: ResourceInfo,
    namespace: str,
    name: str,
    options: DeleteOptions,
    ctx: RequestContext,
) -> Pod | None:
    """Delete an exempt pod (step 1) and return None; return a pod that needs the PDB check."""
    last: Conflict | None = None
    for _ in range(EVICTION_RETRIES):
        record, pod = core.latest(info, namespace, name)
        assert isinstance(pod, Pod)
        if not _exempt(pod):
            return pod
        opts = options
        if pod.status.phase == "Pending" and pod.metadata.deletion_timestamp is None and not _has_rv(options):
            opts = _with_rv(options, str(record.revision))
        try:
            await _mark_and_delete(core, info, namespace, name, opts, ctx)
        except Conflict as err:
            if _has_rv(options):
                raise
            last = err
            continue
        return None
    assert last is not None
    raise last


async def _evict_guarded(
    core: ServerCore, info: ResourceInfo, pod: Pod, options: DeleteOptions, ctx: RequestContext
) -> None:
    budgets = covering_budgets(core, pod)
    if len(budgets) > 1:
        raise multiple_budgets()
    guarded = False
    if budgets:
        guarded = _unhealthy_may_go(budgets[0], pod)
        if not guarded:
            await spend_budget(core, budgets[0], pod.metadata.name, ctx.dry_run)
    opts = _with_rv(options, pod.metadata.resource_version) if guarded else options
    try:
        await _mark_and_delete(core, info, pod.metadata.namespace, pod.metadata.name, opts, ctx)
    except Conflict:
        if guarded and not _has_rv(options):
            raise still_processing(budgets[0].metadata.name) from None
        raise


def _unhealthy_may_go(budget: PodDisruptionBudget, pod: Pod) -> bool:
    """An unready pod whose eviction spends no budget (NODE-15's unhealthy pod rule)."""
    if is_pod_ready(pod):
        return False
    if budget.spec.unhealthy_pod_eviction_policy == "AlwaysAllow":
        return True
    status = budget.status
    return status.current_healthy >= status.desired_healthy > 0


async def _mark_and_delete(
    core: ServerCore,
    info: ResourceInfo,
    namespace: str,
    name: str,
    options: DeleteOptions,
    ctx: RequestContext,
) -> None:
    if not ctx.dry_run:
        record, latest = core.latest(info, namespace, name)
        assert isinstance(latest, Pod)
        _check_preconditions(latest, options)
        marked = core.load(info, record)
        assert isinstance(marked, Pod)
        _mark_disruption(marked, rfc3339(core.clock.now()))
        updated = await commit_update(core, info, record, latest, marked, ctx, "status")
        if _has_rv(options):
            options = _with_rv(options, updated.metadata.resource_version)
    await deleting.delete(core, info, name, namespace, options, ctx)


def _check_preconditions(pod: Pod, options: DeleteOptions) -> None:
    pre, meta = options.preconditions, pod.metadata
    if pre is None:
        return
    if pre.uid and pre.uid != meta.uid:
        why = (
            f"the UID in the precondition ({pre.uid}) does not match the UID in record ({meta.uid}). "
            "The object might have been deleted and then recreated"
        )
        raise conflict("", "Pod", meta.name, why)
    if pre.resource_version and pre.resource_version != meta.resource_version:
        why = (
            f"the ResourceVersion in the precondition ({pre.resource_version}) does not match the "
            f"ResourceVersion in record ({meta.resource_version}). The object might have been modified"
        )
        raise conflict("", "Pod", meta.name, why)


def _mark_disruption(pod: Pod, now: str) -> None:
    """Set `DisruptionTarget=True`, keeping its transition time if it was already True."""
    old = next((c for c in pod.status.conditions if c.type == "DisruptionTarget"), None)
    since = old.last_transition_time if old is not None and old.status == "True" else None
    condition = PodCondition(
        type="DisruptionTarget",
        status="True",
        reason="EvictionByEvictionAPI",
        message="Eviction API: evicting",
        last_transition_time=since or now,
    )
    others = [c for c in pod.status.conditions if c.type != "DisruptionTarget"]
    pod.status.conditions = [*others, condition]
