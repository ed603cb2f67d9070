"""POST: create an object (API-1, API-3, API-4, API-5, API-10, API-11).

Order of work: decode into a private typed copy → resolve the namespace → reset server-owned fields
(uid, creationTimestamp, no deletion fields) → the kind's strategy prepares the object (generation,
status) → generateName → defaulting → validation → namespace lifecycle → the strategy's admission
(`begin_create`, e.g. a Service's clusterIP, told afterwards whether the object was stored) →
canonicalize → store, whose render step checks the size (the
exact stored bytes, resourceVersion included, over `settings.max_object_bytes` are a 413).
Everything up to the store runs without awaiting, so the checks and the write are atomic with
respect to other requests. Any rejection leaves the store unchanged. The returned object is the
stored one (with its resourceVersion) and belongs to the caller.
"""

from __future__ import annotations

import random
import uuid

from kubelite.api.errors import NAMESPACE_MISMATCH, BadRequest, already_exists, invalid_error, required
from kubelite.api.meta import Object
from kubelite.api.registry import ResourceInfo
from kubelite.apiserver import namespaces
from kubelite.apiserver.codec import encode, to_typed
from kubelite.apiserver.context import RequestContext
from kubelite.apiserver.core import ServerCore, render
from kubelite.clock import rfc3339
from kubelite.store.interface import KeyExistsError

NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


def decode_input(info: ResourceInfo, obj: object, ctx: RequestContext) -> Object:
    warnings: list[str] = []
    typed = to_typed(info.type, info.kind, info.group_version, obj, warnings, ctx.strict)
    for warning in warnings:
        ctx.warn(warning)
    if typed.api_version and typed.api_version != info.group_version:
        raise BadRequest(
            f"the API version in the data ({typed.api_version}) does not match the expected API "
            f"version ({info.group_version})"
        )
    typed.api_version = info.group_version
    assert isinstance(typed, Object)
    return typed


def resolve_namespace(info: ResourceInfo, url_namespace: str, obj: Object) -> str:
    """API-11: the body's namespace must agree with the request's (an empty one is filled in)."""
    body = obj.metadata.namespace
    if not info.namespaced:
        obj.metadata.namespace = ""
        return ""
    if body and body != url_namespace:
        raise BadRequest(NAMESPACE_MISMATCH)
    obj.metadata.namespace = url_namespace
    return url_namespace


def generate_name(prefix: str) -> str:
    """API-5: at most 58 characters of the prefix, then 5 random characters."""
    return prefix[:58] + "".join(random.choices(NAME_ALPHABET, k=5))


async def create(
    core: ServerCore, info: ResourceInfo, obj: object, namespace: str, ctx: RequestContext
) -> Object:
    new = decode_input(info, obj, ctx)
    namespace = resolve_namespace(info, core.request_namespace(info, namespace), new)
    if new.metadata.resource_version:
        raise BadRequest("resourceVersion should not be set on objects to be created")
    _reset_server_fields(core, new)
    strategy = core.strategy(info)
    strategy.prepare_for_create(new)
    requested_name = new.metadata.name
    _assign_name(core, info, namespace, new)
    strategy.default(new, creating=True)
    errors = strategy.validate(new)
    if errors:
        raise invalid_error(info.group, info.kind, new.metadata.name, errors)
    if info.namespaced:
        namespaces.check_writable(core, namespace, info, requested_name)
    finish = strategy.begin_create(core, info, new)
    stored = False
    try:
        result = await _commit(core, info, namespace, new, ctx)
        stored = not ctx.dry_run
        return result
    finally:
        key = core.key(info, namespace, new.metadata.name)
        finish(stored or (not ctx.dry_run and core.kept(key, new, 0)))


async def _commit(
    core: ServerCore, info: ResourceInfo, namespace: str, new: Object, ctx: RequestContext
) -> Object:
    core.strategy(info).canonicalize(new)
    if ctx.dry_run:
        core.check_size(encode(new))
        return new
    return await _store(core, info, namespace, new)


async def _store(core: ServerCore, info: ResourceInfo, namespace: str, new: Object) -> Object:
    key = core.key(info, namespace, new.metadata.name)
    try:
        await core.storage.create(key, render(new, core.check_size))
    except KeyExistsError:
        raise already_exists(info.group, info.plural, new.metadata.name) from None
    return new


def _reset_server_fields(core: ServerCore, obj: Object) -> None:
    """API-1: fields only the server sets, whatever the client sent."""
    meta = obj.metadata
    meta.uid = str(uuid.uuid4())
    meta.creation_timestamp = rfc3339(core.clock.now())
    meta.deletion_timestamp = None
    meta.deletion_grace_period_seconds = None


def _assign_name(core: ServerCore, info: ResourceInfo, namespace: str, obj: Object) -> None:
    meta = obj.metadata
    if meta.name:
        return
    if not meta.generate_name:
        err = required("metadata.name", "name or generateName is required")
        raise invalid_error(info.group, info.kind, "", [err])
    for _ in range(core.settings.generate_name_attempts):
        meta.name = generate_name(meta.generate_name)
        if core.storage.latest(core.key(info, namespace, meta.name)) is None:
            return
