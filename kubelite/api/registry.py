"""The kind registry: group/version/kind ↔ plural ↔ Struct type ↔ scope ↔ short names.

`ResourceInfo` describes one resource as Kubernetes' discovery does (`kubectl api-resources`).
`Registry` is an ordinary object, never a global: `builtin_registry()` returns a new one holding
kubelite's built-in kinds, and plugins `register` their own kinds on the registry they are given.
A registry only grows; a `ResourceInfo` is immutable, so lookups may be shared freely.

Lookups (`by_type`, `by_kind`, `by_plural`, `resolve`) raise `UnknownResourceError` (a `KeyError`)
for unknown resources; its `str()` is a plain message (kubectl's wording for `resolve`).
`resolve` accepts what kubectl accepts as a resource argument: the plural, singular, a short name
or the kind (case-insensitive), optionally qualified as `name.group` or `name.version.group`
(`deploy`, `Deployment`, `deployments.apps`, `deployments.v1.apps`, `pods.v1`). When two resources
answer to the same name, the one registered first wins (the built-ins, core group first).

Subresource payloads (`Binding` for `pods/binding`, `Eviction` for `pods/eviction`, `Scale` for
`*/scale`) are not resources: they are never stored, listed or watched, so they are kept out of
the registry. `subresource_payload` tells which kind a subresource accepts, for discovery.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kubelite.api.apps import DaemonSet, Deployment, ReplicaSet
from kubelite.api.autoscaling import Scale
from kubelite.api.batch import Job
from kubelite.api.coordination import Lease
from kubelite.api.core import (
    Binding,
    ConfigMap,
    Endpoints,
    Event,
    Namespace,
    Node,
    Pod,
    ReplicationController,
    Secret,
    Service,
)
from kubelite.api.discovery import EndpointSlice
from kubelite.api.meta import Object
from kubelite.api.policy import Eviction, PodDisruptionBudget


class UnknownResourceError(KeyError):
    """No registered resource matches a lookup."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ResourceInfo:
    group: str
    """API group; "" for the core group."""
    version: str
    kind: str
    plural: str
    """Lower-case plural, the resource name in URLs (`deployments`)."""
    singular: str
    short_names: tuple[str, ...] = ()
    namespaced: bool = True
    type: type[Object]
    """The Struct class objects of this kind decode into."""
    subresources: tuple[str, ...] = ()
    """Subresources served, e.g. `("status", "scale")`."""
    categories: tuple[str, ...] = ()
    """Categories such as `all` (what `kubectl get all` lists)."""

    @property
    def group_version(self) -> str:
        """`apps/v1`, or just `v1` for the core group (the `apiVersion` of objects)."""
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def qualified_plural(self) -> str:
        """`deployments.apps`, or just `pods` for the core group (also the storage prefix)."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    def names(self) -> tuple[str, ...]:
        """Every lower-case name kubectl accepts for this resource."""
        return (self.plural, self.singular, self.kind.lower(), *self.short_names)


@dataclass(frozen=True, slots=True)
class SubresourcePayload:
    """The kind a subresource accepts and returns (`deployments/scale` → autoscaling/v1 Scale)."""

    group: str
    version: str
    kind: str
    type: type[Object]


class Registry:
    """A set of resources, looked up by type, group/version/kind, group/version/plural or name."""

    def __init__(self, infos: Iterable[ResourceInfo] = ()) -> None:
        self._infos: list[ResourceInfo] = []
        self._by_type: dict[type[Object], ResourceInfo] = {}
        self._by_kind: dict[tuple[str, str, str], ResourceInfo] = {}
        self._by_plural: dict[tuple[str, str, str], ResourceInfo] = {}
        for info in infos:
            self.register(info)

    def register(self, info: ResourceInfo) -> None:
        """Add a resource; a type, kind or plural that is already registered is a ValueError."""
        kind = (info.group, info.version, info.kind)
        plural = (info.group, info.version, info.plural)
        if info.type in self._by_type:
            raise ValueError(f"type {info.type.__name__} is already registered")
        if kind in self._by_kind:
            raise ValueError(f"kind {info.kind} in {info.group_version} is already registered")
        if plural in self._by_plural:
            raise ValueError(
                f"resource {info.qualified_plural} in {info.group_version} is already registered"
            )
        self._infos.append(info)
        self._by_type[info.type] = info
        self._by_kind[kind] = info
        self._by_plural[plural] = info

    def by_type(self, cls: type[Object]) -> ResourceInfo:
        try:
            return self._by_type[cls]
        except KeyError:
            raise UnknownResourceError(f"no resource is registered for type {cls.__name__}") from None

    def by_kind(self, group: str, version: str, kind: str) -> ResourceInfo:
        try:
            return self._by_kind[(group, version, kind)]
        except KeyError:
            raise UnknownResourceError(f"no kind {kind!r} is registered in {_gv(group, version)}") from None

    def by_plural(self, group: str, version: str, plural: str) -> ResourceInfo:
        try:
            return self._by_plural[(group, version, plural)]
        except KeyError:
            where = _gv(group, version)
            raise UnknownResourceError(f"no resource {plural!r} is registered in {where}") from None

    def resolve(self, name: str) -> ResourceInfo:
        """The resource a kubectl-style argument names (see the module docstring)."""
        wanted = name.lower()
        found = self._match(wanted)
        if found is None and "." in wanted:
            resource, _, qualifier = wanted.partition(".")
            found = self._match(resource, group=qualifier)
            if found is None:
                version, _, group = qualifier.partition(".")
                found = self._match(resource, group=group, version=version)
        if found is None:
            raise UnknownResourceError(f'the server doesn\'t have a resource type "{name}"')
        return found

    def all(self) -> tuple[ResourceInfo, ...]:
        """Every registered resource, in registration order."""
        return tuple(self._infos)

    def _match(self, name: str, group: str | None = None, version: str | None = None) -> ResourceInfo | None:
        for info in self._infos:
            if group is not None and info.group != group:
                continue
            if version is not None and info.version != version:
                continue
            if name in info.names():
                return info
        return None


def _gv(group: str, version: str) -> str:
    return f"{group}/{version}" if group else version


def subresource_payload(info: ResourceInfo, subresource: str) -> SubresourcePayload:
    """The kind `info`'s `subresource` accepts; UnknownResourceError if `info` does not serve it."""
    if subresource not in info.subresources:
        raise UnknownResourceError(f"{info.qualified_plural} has no subresource {subresource!r}")
    if subresource == "scale":
        return SubresourcePayload("autoscaling", "v1", "Scale", Scale)
    if subresource == "binding":
        return SubresourcePayload("", "v1", "Binding", Binding)
    if subresource == "eviction":
        return SubresourcePayload("policy", "v1", "Eviction", Eviction)
    return SubresourcePayload(info.group, info.version, info.kind, info.type)


def builtin_registry() -> Registry:
    """A new registry holding every built-in kind, core group first (as `kubectl api-resources`)."""
    return Registry(_core() + _others())


def _core() -> list[ResourceInfo]:
    return [
        _info("", "Pod", "pods", Pod, short=("po",), sub=("status", "binding", "eviction"), in_all=True),
        _info("", "Node", "nodes", Node, short=("no",), cluster_scoped=True, sub=("status",)),
        _info("", "Service", "services", Service, short=("svc",), sub=("status",), in_all=True),
        _info(
            "",
            "Namespace",
            "namespaces",
            Namespace,
            short=("ns",),
            cluster_scoped=True,
            sub=("status", "finalize"),
        ),
        _info("", "ConfigMap", "configmaps", ConfigMap, short=("cm",)),
        _info("", "Secret", "secrets", Secret),
        _info("", "Event", "events", Event, short=("ev",)),
        _info("", "Endpoints", "endpoints", Endpoints, short=("ep",), singular="endpoints"),
        _info(
            "",
            "ReplicationController",
            "replicationcontrollers",
            ReplicationController,
            short=("rc",),
            sub=("status", "scale"),
            in_all=True,
        ),
    ]


def _others() -> list[ResourceInfo]:
    scalable = ("status", "scale")
    return [
        _info("apps", "DaemonSet", "daemonsets", DaemonSet, short=("ds",), sub=("status",), in_all=True),
        _info("apps", "Deployment", "deployments", Deployment, short=("deploy",), sub=scalable, in_all=True),
        _info("apps", "ReplicaSet", "replicasets", ReplicaSet, short=("rs",), sub=scalable, in_all=True),
        _info("batch", "Job", "jobs", Job, sub=("status",), in_all=True),
        _info("coordination.k8s.io", "Lease", "leases", Lease),
        _info(
            "policy",
            "PodDisruptionBudget",
            "poddisruptionbudgets",
            PodDisruptionBudget,
            short=("pdb",),
            sub=("status",),
        ),
        _info("discovery.k8s.io", "EndpointSlice", "endpointslices", EndpointSlice),
    ]


def _info(
    group: str,
    kind: str,
    plural: str,
    cls: type[Object],
    *,
    short: tuple[str, ...] = (),
    sub: tuple[str, ...] = (),
    cluster_scoped: bool = False,
    in_all: bool = False,
    singular: str = "",
) -> ResourceInfo:
    """A built-in resource; every built-in group kubelite serves is at version v1."""
    return ResourceInfo(
        group=group,
        version="v1",
        kind=kind,
        plural=plural,
        singular=singular or kind.lower(),
        short_names=short,
        namespaced=not cluster_scoped,
        type=cls,
        subresources=sub,
        categories=("all",) if in_all else (),
    )
