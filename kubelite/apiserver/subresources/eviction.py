"""`pods/eviction`: the Eviction API (NODE-15; PodDisruptionBudgets are not consulted yet).

A pod that is Pending, Succeeded, Failed or already terminating is deleted straight away. Any other
pod first gets the condition `DisruptionTarget=True` (reason `EvictionByEvictionAPI`), then is
deleted with the Eviction's `deleteOptions` (so graceful termination applies). Success is a 201
`Status`; a missing pod is 404. An Eviction naming another pod or another namespace is a 400.
"""

from __future__ import annotations

from kubelite.api.core import Pod, PodCondition
from kubelite.api.errors import NAMESPACE_MISMATCH, BadRequest
from kubelite.api.meta import Status, StatusDetails
from kubelite.api.policy import Eviction
from kubelite.apiserver import delete as deleting
from kubelite.apiserver.codec import to_typed
from kubelite.apiserver.context import RequestContext
from kubelite.apiserver.core import ServerCore
from kubelite.apiserver.update import commit_update
from kubelite.clock import rfc3339


async def evict(core: ServerCore, namespace: str, name: str, body: object, ctx: RequestContext) -> Status:
    eviction = to_typed(Eviction, "Eviction", "policy/v1", body, ctx.warnings, ctx.strict)
    if eviction.metadata.name and eviction.metadata.name != name:
        raise BadRequest("name in URL does not match name in Eviction object")
    if eviction.metadata.namespace and eviction.metadata.namespace != namespace:
        raise BadRequest(NAMESPACE_MISMATCH)
    info = core.registry.by_type(Pod)
    namespace = core.request_namespace(info, namespace)
    record, pod = core.latest(info, namespace, name)
    assert isinstance(pod, Pod)
    if not _exempt(pod):
        marked = core.load(info, record)
        assert isinstance(marked, Pod)
        _mark_disruption(marked, rfc3339(core.clock.now()))
        await commit_update(core, info, record, pod, marked, ctx, "status")
    await deleting.delete(core, info, name, namespace, eviction.delete_options, ctx)
    return Status(status="Success", code=201, details=StatusDetails(name=name, kind="pods"))


def _exempt(pod: Pod) -> bool:
    """Pods that are deleted without the disruption bookkeeping."""
    return pod.metadata.deletion_timestamp is not None or pod.status.phase in (
        "Pending",
        "Succeeded",
        "Failed",
    )


def _mark_disruption(pod: Pod, now: str) -> None:
    conditions = [c for c in pod.status.conditions if c.type != "DisruptionTarget"]
    conditions.append(
        PodCondition(
            type="DisruptionTarget",
            status="True",
            reason="EvictionByEvictionAPI",
            message="Eviction API: evicting",
            last_transition_time=now,
        )
    )
    pod.status.conditions = conditions
