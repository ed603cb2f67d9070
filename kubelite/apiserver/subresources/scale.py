"""The `scale` subresource (Deployment, ReplicaSet and ReplicationController among the built-ins).

GET returns an autoscaling/v1 `Scale` whose metadata (name, namespace, uid, resourceVersion,
creationTimestamp) is the parent's, with `spec.replicas`, `status.replicas` and `status.selector` in
string form (`app=web`), as the kind's strategy reads them (`scale_of`). PUT and PATCH change only
the parent's `spec.replicas` (`set_replicas`), through the normal update path (so generation,
conflicts and validation apply); a Scale carrying a resourceVersion is a precondition on the
parent. Negative replicas → 422 on `Scale.autoscaling`. The Scale's name must be the parent's (400
otherwise, as for any PUT) and a namespace it names must be the request's. A kind that does not
list `scale` among its subresources, or whose strategy cannot scale it, is a 404.
"""

from __future__ import annotations

from typing import Any

from kubelite.api.autoscaling import Scale, ScaleSpec, ScaleStatus
from kubelite.api.errors import (
    STALE_OBJECT,
    bad_request,
    conflict,
    invalid,
    invalid_error,
    subresource_not_found,
)
from kubelite.api.meta import Object, ObjectMeta
from kubelite.api.registry import ResourceInfo
from kubelite.apiserver.codec import to_builtins, to_typed
from kubelite.apiserver.context import RequestContext
from kubelite.apiserver.core import ServerCore
from kubelite.apiserver.patch import apply_patch
from kubelite.apiserver.update import commit_update


def to_scale(core: ServerCore, info: ResourceInfo, obj: Object) -> Scale:
    view = core.strategy(info).scale_of(obj)
    meta = obj.metadata
    return Scale(
        metadata=ObjectMeta(
            name=meta.name,
            namespace=meta.namespace,
            uid=meta.uid,
            resource_version=meta.resource_version,
            creation_timestamp=meta.creation_timestamp,
        ),
        spec=ScaleSpec(replicas=view.spec_replicas),
        status=ScaleStatus(replicas=view.status_replicas, selector=view.selector),
    )


def _check_served(info: ResourceInfo) -> None:
    if "scale" not in info.subresources:
        raise subresource_not_found()


async def get_scale(core: ServerCore, info: ResourceInfo, name: str, namespace: str) -> Scale:
    _check_served(info)
    obj = core.committed(info, core.request_namespace(info, namespace), name)
    return to_scale(core, info, obj)


async def update_scale(
    core: ServerCore, info: ResourceInfo, name: str, namespace: str, body: object, ctx: RequestContext
) -> Scale:
    _check_served(info)
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
    new = core.load(info, record)
    core.strategy(info).set_replicas(new, scale.spec.replicas)
    new.metadata.resource_version = ""
    result = await commit_update(core, info, record, old, new, ctx)
    return to_scale(core, info, result)


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
    _check_served(info)
    namespace = core.request_namespace(info, namespace)
    _, obj = core.latest(info, namespace, name)
    patched = apply_patch(to_builtins(to_scale(core, info, obj)), body, content_type, Scale)
    return await update_scale(core, info, name, namespace, patched, ctx)
