"""Namespace lifecycle rules at the API (API-11, GC-8).

- A namespaced create needs its namespace to exist (404 otherwise) and not to be terminating (403,
  `pods "p" is forbidden: unable to create new content in namespace X because it is being
  terminated`, with the cause `NamespaceTerminating`), as upstream's NamespaceLifecycle admission;
  an eviction (a create on `pods/eviction`) too.
- `default`, `kube-system`, `kube-public` and `kube-node-lease` always exist: `builtin_namespaces`
  lists what `APIServer.bootstrap` creates when missing; the Namespace strategy forbids deleting them.
- Deleting a namespace marks it `Terminating` (the Namespace strategy); the namespace controller
  empties it and then removes its `kubernetes` finalizer through `finalize`, after which it
  disappears.
"""

from __future__ import annotations

from kubelite.api.core import Namespace
from kubelite.api.errors import Forbidden, not_found
from kubelite.api.meta import ObjectMeta, StatusCause, StatusDetails
from kubelite.api.registry import ResourceInfo
from kubelite.apiserver.core import ServerCore
from kubelite.apiserver.strategies.namespace import BUILTIN
from kubelite.store.interface import Record


def namespace_info(core: ServerCore) -> ResourceInfo:
    return core.registry.by_type(Namespace)


def check_writable(core: ServerCore, namespace: str, resource: ResourceInfo, name: str) -> None:
    """Raise unless new objects may be created in `namespace`: a create of `resource` named `name`
    ("" for a generated name), or a subresource create such as a pod's eviction."""
    info = namespace_info(core)
    record = core.storage.latest(core.key(info, "", namespace))
    if record is None:
        raise not_found("", "namespaces", namespace)
    if _terminating(core, info, record):
        raise terminating_forbidden(resource, name, namespace)


def terminating_forbidden(resource: ResourceInfo, name: str, namespace: str) -> Forbidden:
    """Upstream's NamespaceLifecycle refusal: Forbidden on the resource and name, with the
    `NamespaceTerminating` cause (kubectl drain tells a terminating namespace by it)."""
    what = f'{resource.qualified_plural} "{name}"' if name else resource.qualified_plural
    cause = StatusCause(
        reason="NamespaceTerminating",
        message=f"namespace {namespace} is being terminated",
        field="metadata.namespace",
    )
    refusal = f"unable to create new content in namespace {namespace} because it is being terminated"
    return Forbidden(
        f"{what} is forbidden: {refusal}",
        details=StatusDetails(name=name, group=resource.group, kind=resource.plural, causes=[cause]),
    )


def _terminating(core: ServerCore, info: ResourceInfo, record: Record) -> bool:
    """Whether the namespace in `record` is terminating, decoded once per revision."""
    cached = core.namespace_states.get(record.key)
    if cached is not None and cached[0] == record.revision:
        return cached[1]
    ns = core.load(info, record)
    assert isinstance(ns, Namespace)
    terminating = ns.metadata.deletion_timestamp is not None or ns.status.phase == "Terminating"
    core.namespace_states[record.key] = (record.revision, terminating)
    return terminating


def builtin_namespaces() -> list[Namespace]:
    return [Namespace(metadata=ObjectMeta(name=name)) for name in BUILTIN]
