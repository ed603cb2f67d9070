"""Resolving a Kubernetes resource path into what it addresses.

Paths below `/api/v1` (core group) and `/apis/{group}/{version}`:

    {resource}                                   every namespace (namespaced kinds) or the cluster
    namespaces/{ns}/{resource}                   one namespace's collection
    [namespaces/{ns}/]{resource}/{name}          one object
    [namespaces/{ns}/]{resource}/{name}/{sub}    one of its subresources

`namespaces/{name}/status` and `namespaces/{name}/finalize` address the Namespace itself, as in
Kubernetes. An unknown resource, a namespace segment on a cluster-scoped kind, a subresource the
kind does not serve, or any other shape is a 404 with Kubernetes' generic message.
"""

from __future__ import annotations

from dataclasses import dataclass

from kubelite.api.registry import Registry, ResourceInfo, UnknownResourceError
from kubelite.apiserver.http.errors import not_found

NAMESPACE_SUBRESOURCES = ("status", "finalize")

STREAM_SUBRESOURCES: dict[tuple[str, str], tuple[str, ...]] = {("", "pods"): ("log", "exec")}
"""Subresources served by the transport itself (through `PodStreams`), not by the APIServer."""


@dataclass(frozen=True, slots=True)
class Target:
    info: ResourceInfo
    namespace: str | None
    """The URL's namespace; None for a cluster-scoped kind or a request across all namespaces."""
    name: str = ""
    subresource: str = ""

    @property
    def is_collection(self) -> bool:
        return not self.name


def resolve(registry: Registry, group: str, version: str, rest: str) -> Target:
    parts = [part for part in rest.split("/") if part]
    namespace: str | None = None
    if len(parts) >= 3 and parts[0] == "namespaces" and parts[2] not in NAMESPACE_SUBRESOURCES:
        namespace, parts = parts[1], parts[2:]
    if not 1 <= len(parts) <= 3:
        raise not_found()
    try:
        info = registry.by_plural(group, version, parts[0])
    except UnknownResourceError:
        raise not_found() from None
    if namespace is not None and not info.namespaced:
        raise not_found()
    target = Target(info, namespace, *parts[1:])
    if target.subresource and target.subresource not in subresources(info):
        raise not_found()
    return target


def subresources(info: ResourceInfo) -> tuple[str, ...]:
    """Every subresource served for `info`: the APIServer's and the transport's streams."""
    return info.subresources + STREAM_SUBRESOURCES.get((info.group, info.plural), ())
