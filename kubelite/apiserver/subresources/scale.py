"""The `scale` subresource of Deployment, ReplicaSet and ReplicationController.

GET returns an autoscaling/v1 `Scale` whose metadata (name, namespace, uid, resourceVersion,
creationTimestamp) is the parent's, with `spec.replicas`, `status.replicas` and `status.selector` in
string form (`app=web`). PUT and PATCH change only the parent's `spec.replicas`, through the normal
update path (so generation, conflicts and validation apply); a Scale carrying a resourceVersion is
a precondition on the parent. Negative replicas → 422 on `Scale.autoscaling`. The Scale's name must
be the parent's (400 otherwise, as for any PUT) and a namespace it names must be the request's. A
kind without a scale subresource is a 404.
"""

from __future__ import annotations

from typing import Any

from kubelite.api.apps import Deployment, ReplicaSet
from kubelite.api.autoscaling import Scale, ScaleSpec, ScaleStatus
from kubelite.api.core import ReplicationController
from kubelite.api.errors import (
    STALE_OBJECT,
    bad_request,
    conflict,
    invalid,
    invalid_error,
    subresource_not_found,
)
from kubelite.api.labels import selector_string
from kubelite.api.meta import Object, ObjectMeta
from kubelite.api.registry import ResourceInfo
from kubelite.apiserver.codec import to_builtins, to_typed
from kubelite.apiserver.context import RequestContext
from kubelite.apiserver.core import ServerCore
from kubelite.apiserver.patch import apply_patch
from kubelite.apiserver.update import commit_update

Scalable = Deployment | ReplicaSet | ReplicationController


def _scalable(info: ResourceInfo, obj: Object) -> Scalable:
    if not isinstance(obj, Deployment | ReplicaSet | ReplicationController):
        raise subresource_not_found()
    return obj


def to_scale(obj: Scalable) -> Scale:
    meta = obj.metadata
    if isinstance(obj, ReplicationController):
        selector = ",".join(f"{k}={v}" for k, v in sorted(obj.spec.selector.items()))
    else:
        selector = selector_string(obj.spec.selector) if obj.spec.selector is not None else ""
    return Scale(
        metadata=ObjectMeta(
            name=meta.name,
            namespace=meta.namespace,
            uid=meta.uid,
            resource_version=meta.resource_version,
            creation_timestamp=meta.creation_timestamp,
        ),
        spec=ScaleSpec(replicas=obj.spec.replicas or 0),
        status=ScaleStatus(replicas=obj.status.replicas, selector=selector),
    )


async def get_scale(core: ServerCore, info: ResourceInfo, name: str, namespace: str) -> Scale:
    obj = core.committed(info, core.request_namespace(info, namespace), name)
    return to_scale(_scalable(info, obj))


async def update_scale(
    core: ServerCore, info: ResourceInfo, name: str, namespace: str, body: object, ctx: RequestContext
) -> Scale:
    namespace = core.request_namespace(info, namespace)
    scale = to_typed(Scale, "Scale", "autoscaling/v1", body, ctx.warnings, ctx.strict)
    _check_name(scale, name, namespace)
    if scale.spec.replicas < 0:
        err = invalid(scale.spec.replicas, "spec.replicas", "must be greater than or equal to 0")
        raise invalid_error("autoscaling", "Scale", name, [err])
    record, old = core.latest(info, namespace, name)
    sent = scale.metadata.resource_version
    if sent and sent != str(record.revision):
        raise conflict(info.group, info.plural, name, STALE_OBJECT)
    new = _scalable(info, core.load(info, record))
    _scalable(info, old)
    new.spec.replicas = scale.spec.replicas
    new.metadata.resource_version = ""
    result = await commit_update(core, info, record, old, new, ctx)
    return to_scale(_scalable(info, result))


def _check_name(scale: Scale, name: str, namespace: str) -> None:
    """The body must name the object the URL names (Kubernetes' checkName for every PUT)."""
    meta = scale.metadata
    if not meta.name:
        raise bad_request(
            f"the name of the object ({name} based on URL) was undeterminable: name must be provided"
        )
    if meta.name != name:
        raise bad_request(f"the name of the object ({meta.name}) does not match the name on the URL ({name})")
    if namespace and meta.namespace and meta.namespace != namespace:
        raise bad_request(
            f"the namespace of the object ({meta.namespace}) does not match the namespace on the "
            f"request ({namespace})"
        )


async def patch_scale(
    core: ServerCore,
    info: ResourceInfo,
    name: str,
    namespace: str,
    body: bytes | Any,
    content_type: str,
    ctx: RequestContext,
) -> Scale:
    namespace = core.request_namespace(info, namespace)
    _, obj = core.latest(info, namespace, name)
    patched = apply_patch(to_builtins(to_scale(_scalable(info, obj))), body, content_type, Scale)
    return await update_scale(core, info, name, namespace, patched, ctx)
