"""The kind registry: lookups by type, kind and plural; kubectl-style name resolution; scope,
short names and categories as Kubernetes reports them; duplicates rejected; no shared state.
"""

from __future__ import annotations

import dataclasses

import msgspec
import pytest

from kubelite.api.apps import Deployment, ReplicaSet
from kubelite.api.autoscaling import Scale
from kubelite.api.batch import Job
from kubelite.api.coordination import Lease
from kubelite.api.core import Binding, ConfigMap, Endpoints, Event, Namespace, Node, Pod, Service
from kubelite.api.discovery import EndpointSlice
from kubelite.api.meta import Object
from kubelite.api.policy import Eviction, PodDisruptionBudget
from kubelite.api.registry import (
    Registry,
    ResourceInfo,
    UnknownResourceError,
    builtin_registry,
    subresource_payload,
)


class Widget(Object):
    api_version: str = msgspec.field(default_factory=lambda: "example.com/v1")


WIDGET = ResourceInfo(
    group="example.com", version="v1", kind="Widget", plural="widgets", singular="widget", type=Widget
)


def test_lookups_agree() -> None:
    registry = builtin_registry()
    info = registry.by_type(Deployment)
    assert (info.group, info.version, info.kind, info.plural) == ("apps", "v1", "Deployment", "deployments")
    assert registry.by_kind("apps", "v1", "Deployment") is info
    assert registry.by_plural("apps", "v1", "deployments") is info
    assert (info.group_version, info.qualified_plural) == ("apps/v1", "deployments.apps")
    pods = registry.by_type(Pod)
    assert (pods.group_version, pods.qualified_plural) == ("v1", "pods")


@pytest.mark.parametrize(
    ("name", "cls"),
    [
        ("pods", Pod),
        ("pod", Pod),
        ("po", Pod),
        ("Pod", Pod),
        ("PODS", Pod),
        ("pods.v1", Pod),
        ("deploy", Deployment),
        ("Deployment", Deployment),
        ("deployments.apps", Deployment),
        ("deployment.apps", Deployment),
        ("deploy.apps", Deployment),
        ("deployments.v1.apps", Deployment),
        ("rs", ReplicaSet),
        ("svc", Service),
        ("no", Node),
        ("ns", Namespace),
        ("cm", ConfigMap),
        ("ev", Event),
        ("ep", Endpoints),
        ("endpoints", Endpoints),
        ("jobs.batch", Job),
        ("pdb", PodDisruptionBudget),
        ("leases.coordination.k8s.io", Lease),
        ("lease", Lease),
        ("endpointslices.discovery.k8s.io", EndpointSlice),
    ],
)
def test_resolve_kubectl_names(name: str, cls: type[Object]) -> None:
    assert builtin_registry().resolve(name).type is cls


@pytest.mark.parametrize(
    "name",
    [
        "widgets",
        "deployments.batch",
        "pods.v2",
        "bindings",
        "evictions",
        "scales",
        "deployments.v1.batch",
        "",
    ],
)
def test_resolve_unknown_names(name: str) -> None:
    with pytest.raises(UnknownResourceError) as caught:
        builtin_registry().resolve(name)
    assert str(caught.value) == f'the server doesn\'t have a resource type "{name}"'
    assert isinstance(caught.value, KeyError)


def test_unknown_lookups_raise_key_error() -> None:
    registry = builtin_registry()
    with pytest.raises(KeyError):
        registry.by_type(Widget)
    with pytest.raises(KeyError):
        registry.by_kind("apps", "v2", "Deployment")
    with pytest.raises(KeyError):
        registry.by_plural("", "v1", "deployments")


def test_kubernetes_names_scope_and_categories() -> None:
    table = {
        info.qualified_plural: (info.short_names, info.namespaced, info.categories)
        for info in builtin_registry().all()
    }
    assert table == {
        "pods": (("po",), True, ("all",)),
        "nodes": (("no",), False, ()),
        "services": (("svc",), True, ("all",)),
        "namespaces": (("ns",), False, ()),
        "configmaps": (("cm",), True, ()),
        "secrets": ((), True, ()),
        "events": (("ev",), True, ()),
        "endpoints": (("ep",), True, ()),
        "replicationcontrollers": (("rc",), True, ("all",)),
        "daemonsets.apps": (("ds",), True, ("all",)),
        "deployments.apps": (("deploy",), True, ("all",)),
        "replicasets.apps": (("rs",), True, ("all",)),
        "jobs.batch": ((), True, ("all",)),
        "leases.coordination.k8s.io": ((), True, ()),
        "poddisruptionbudgets.policy": (("pdb",), True, ()),
        "endpointslices.discovery.k8s.io": ((), True, ()),
    }


def test_every_info_matches_its_type() -> None:
    """The registered kind is the type's tag and the group/version its default apiVersion."""
    for info in builtin_registry().all():
        assert info.type.__name__ == info.kind
        assert info.type().api_version == info.group_version
        assert info.singular == ("endpoints" if info.kind == "Endpoints" else info.kind.lower())


@pytest.mark.parametrize(
    ("cls", "subresource", "expected"),
    [
        (Deployment, "scale", ("autoscaling", "v1", "Scale", Scale)),
        (Deployment, "status", ("apps", "v1", "Deployment", Deployment)),
        (Pod, "binding", ("", "v1", "Binding", Binding)),
        (Pod, "eviction", ("policy", "v1", "Eviction", Eviction)),
    ],
    ids=["deployments/scale", "deployments/status", "pods/binding", "pods/eviction"],
)
def test_subresource_payloads(cls: type[Object], subresource: str, expected: tuple[object, ...]) -> None:
    payload = subresource_payload(builtin_registry().by_type(cls), subresource)
    assert dataclasses.astuple(payload) == expected


def test_payload_kinds_are_not_resources() -> None:
    registry = builtin_registry()
    for cls in (Binding, Eviction, Scale):
        with pytest.raises(KeyError):
            registry.by_type(cls)
    with pytest.raises(KeyError):
        subresource_payload(registry.by_type(Job), "scale")


@pytest.mark.parametrize(
    "duplicate",
    [
        WIDGET,
        dataclasses.replace(WIDGET, type=Pod),
        dataclasses.replace(WIDGET, plural="gadgets", type=Deployment),
        dataclasses.replace(WIDGET, kind="Gadget", type=Service),
    ],
    ids=["same-info", "same-type", "same-kind", "same-plural"],
)
def test_duplicates_are_rejected(duplicate: ResourceInfo) -> None:
    registry = builtin_registry()
    registry.register(WIDGET)
    before = registry.all()
    with pytest.raises(ValueError, match="already registered"):
        registry.register(duplicate)
    assert registry.all() == before


def test_registries_share_nothing() -> None:
    extended = builtin_registry()
    extended.register(WIDGET)
    assert extended.resolve("widget") is WIDGET
    assert WIDGET not in builtin_registry().all()
    assert Registry().all() == ()
    assert Registry([WIDGET]).by_type(Widget) is WIDGET


def test_first_registered_wins_on_a_shared_name() -> None:
    clash = ResourceInfo(
        group="example.com",
        version="v1",
        kind="PodLike",
        plural="podlikes",
        singular="podlike",
        short_names=("po",),
        type=Widget,
    )
    registry = builtin_registry()
    registry.register(clash)
    assert registry.resolve("po").type is Pod
    assert registry.resolve("po.example.com") is clash
