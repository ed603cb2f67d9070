"""`pods/binding`: assign a pod to a node (SCH-8).

The Binding's target must be a Node with a name (422 otherwise). The pod gets `spec.nodeName` and a
`PodScheduled=True` condition in one write; its generation does not move (binding is not a user
spec change). A pod that already has a node → 409 `pod X is already assigned to node "N"`; a
terminating pod → 409 `pod X is being deleted, cannot be assigned to a host`. Success is a 201
`Status` with `status: Success`. A Binding naming another pod ("name in URL does not match name
in Binding object") or another namespace is a 400.
"""

from __future__ import annotations

from kubelite.api.core import Binding, Pod, PodCondition
from kubelite.api.errors import (
    NAMESPACE_MISMATCH,
    STALE_OBJECT,
    BadRequest,
    Conflict,
    conflict,
    invalid_error,
)
from kubelite.api.meta import Status, StatusDetails
from kubelite.api.validation import validate_create
from kubelite.apiserver.codec import to_typed
from kubelite.apiserver.context import RequestContext
from kubelite.apiserver.core import ServerCore, render
from kubelite.clock import rfc3339
from kubelite.store.interface import RevisionMismatchError


async def bind(core: ServerCore, namespace: str, name: str, body: object, ctx: RequestContext) -> Status:
    binding = to_typed(Binding, "Binding", "v1", body, ctx.warnings, ctx.strict)
    if binding.metadata.name and binding.metadata.name != name:
        raise BadRequest("name in URL does not match name in Binding object")
    if binding.metadata.namespace and binding.metadata.namespace != namespace:
        raise BadRequest(NAMESPACE_MISMATCH)
    binding.metadata.name = name
    binding.metadata.namespace = namespace
    errors = validate_create(binding)
    if errors:
        raise invalid_error("", "Binding", name, errors)
    info = core.registry.by_type(Pod)
    record, pod = core.latest(info, core.request_namespace(info, namespace), name)
    assert isinstance(pod, Pod)
    _check_bindable(name, pod)
    pod.spec.node_name = binding.target.name
    _set_scheduled(pod, rfc3339(core.clock.now()))
    if not ctx.dry_run:
        try:
            await core.storage.update(record.key, render(pod), expect_revision=record.revision)
        except RevisionMismatchError:
            raise conflict(info.group, info.plural, name, STALE_OBJECT) from None
    return Status(status="Success", code=201, details=StatusDetails(name=name, kind="pods"))


def _check_bindable(name: str, pod: Pod) -> None:
    details = StatusDetails(name=name, kind="pods")
    if pod.metadata.deletion_timestamp is not None:
        raise Conflict(f"pod {name} is being deleted, cannot be assigned to a host", details=details)
    if pod.spec.node_name:
        raise Conflict(f'pod {name} is already assigned to node "{pod.spec.node_name}"', details=details)


def _set_scheduled(pod: Pod, now: str) -> None:
    conditions = [c for c in pod.status.conditions if c.type != "PodScheduled"]
    conditions.append(PodCondition(type="PodScheduled", status="True", last_transition_time=now))
    pod.status.conditions = conditions
