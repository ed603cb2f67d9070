"""Defaulting of Service, Namespace, Node, Secret, Endpoints and EndpointSlice, plus two
invariants over every manifest of the round-trip tests: an object as Kubernetes returns it is
already fully defaulted (defaulting changes nothing), and defaulting is idempotent.
"""

from __future__ import annotations

import base64
from typing import Any

import msgspec
import pytest

from kubelite.api.apps import Deployment, ReplicaSet
from kubelite.api.batch import Job
from kubelite.api.core import (
    ConfigMap,
    EndpointPort,
    Endpoints,
    EndpointSubset,
    Namespace,
    Node,
    NodeStatus,
    Pod,
    ReplicationController,
    Secret,
    Service,
    ServicePort,
    ServiceSpec,
    SessionAffinityConfig,
)
from kubelite.api.defaults import apply_defaults
from kubelite.api.discovery import EndpointPort as SlicePort
from kubelite.api.discovery import EndpointSlice
from kubelite.api.meta import Object, ObjectMeta

from .test_defaults import defaulted, wire
from .test_types_roundtrip import WORKLOADS
from .test_types_roundtrip_cluster import CLUSTER
from .test_types_roundtrip_pod import POD

MANIFESTS = [*WORKLOADS, ("pod", Pod, POD), *CLUSTER]


def service(**spec: Any) -> Service:
    return Service(metadata=ObjectMeta(name="web", namespace="default"), spec=ServiceSpec(**spec))


def test_service_defaults_do_not_allocate_a_cluster_ip() -> None:
    spec = defaulted(
        service(ports=[ServicePort(port=80), ServicePort(port=53, protocol="UDP", target_port="dns")])
    )
    assert spec["spec"] == {
        "ports": [
            {"protocol": "TCP", "port": 80, "targetPort": 80},
            {"protocol": "UDP", "port": 53, "targetPort": "dns"},
        ],
        "type": "ClusterIP",
        "sessionAffinity": "None",
        "internalTrafficPolicy": "Cluster",
    }


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ({"type": "NodePort"}, {"externalTrafficPolicy": "Cluster", "internalTrafficPolicy": "Cluster"}),
        (
            {"type": "LoadBalancer"},
            {
                "externalTrafficPolicy": "Cluster",
                "internalTrafficPolicy": "Cluster",
                "allocateLoadBalancerNodePorts": True,
            },
        ),
        ({"type": "ExternalName", "external_name": "db.example.com"}, {}),
        (
            {"external_ips": ["1.2.3.4"]},
            {"externalTrafficPolicy": "Cluster", "internalTrafficPolicy": "Cluster"},
        ),
        (
            {"session_affinity": "ClientIP"},
            {
                "internalTrafficPolicy": "Cluster",
                "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 10800}},
            },
        ),
        ({"session_affinity_config": SessionAffinityConfig()}, {"internalTrafficPolicy": "Cluster"}),
    ],
    ids=[
        "node-port",
        "load-balancer",
        "external-name",
        "external-ips",
        "client-ip-affinity",
        "none-drops-config",
    ],
)
def test_service_type_dependent_defaults(spec: dict[str, Any], expected: dict[str, Any]) -> None:
    encoded = defaulted(service(**spec))["spec"]
    keys = (
        "externalTrafficPolicy",
        "internalTrafficPolicy",
        "allocateLoadBalancerNodePorts",
        "sessionAffinityConfig",
    )
    assert {key: encoded[key] for key in keys if key in encoded} == expected


@pytest.mark.parametrize(
    ("creating", "sent", "finalizers"),
    [(True, [], ["kubernetes"]), (True, ["example.com/x"], ["example.com/x", "kubernetes"]), (False, [], [])],
    ids=["create", "create-with-others", "update-after-finalize"],
)
def test_namespace_defaults(creating: bool, sent: list[str], finalizers: list[str]) -> None:
    ns = Namespace(metadata=ObjectMeta(name="team", labels={"kubernetes.io/metadata.name": "spoofed"}))
    ns.spec.finalizers = list(sent)
    apply_defaults(ns, creating=creating)
    assert ns.metadata.labels == {"kubernetes.io/metadata.name": "team"}
    assert ns.status.phase == "Active"
    assert ns.spec.finalizers == finalizers


def test_namespace_being_deleted_is_not_new() -> None:
    ns = Namespace(metadata=ObjectMeta(name="team", deletion_timestamp="2024-05-01T10:00:00Z"))
    ns.status.phase = "Terminating"
    apply_defaults(ns)
    assert (ns.spec.finalizers, ns.status.phase) == ([], "Terminating")


def test_node_allocatable_defaults_to_capacity() -> None:
    node = Node(metadata=ObjectMeta(name="n"), status=NodeStatus(capacity={"cpu": "2", "pods": "110"}))
    apply_defaults(node)
    assert node.status.allocatable == {"cpu": "2", "pods": "110"}
    node.status.capacity["cpu"] = "4"
    assert node.status.allocatable["cpu"] == "2", "a copy, not an alias"


def test_secret_string_data_is_merged_and_cleared() -> None:
    secret = Secret(
        metadata=ObjectMeta(name="s"),
        data={"user": base64.b64encode(b"old").decode(), "keep": "a2VlcA=="},
        string_data={"user": "admin", "pass": "s3cr3t ✓"},
    )
    encoded = defaulted(secret)
    assert "stringData" not in encoded
    assert encoded["type"] == "Opaque"
    decoded = {key: base64.b64decode(value).decode() for key, value in encoded["data"].items()}
    assert decoded == {"user": "admin", "keep": "keep", "pass": "s3cr3t ✓"}


def test_endpoint_ports_default_to_tcp() -> None:
    endpoints = Endpoints(
        subsets=[EndpointSubset(ports=[EndpointPort(port=80), EndpointPort(port=53, protocol="UDP")])]
    )
    assert [p["protocol"] for p in defaulted(endpoints)["subsets"][0]["ports"]] == ["TCP", "UDP"]
    sliced = EndpointSlice(address_type="IPv4", ports=[SlicePort(port=80)])
    assert defaulted(sliced)["ports"] == [{"name": "", "protocol": "TCP", "port": 80}]


def test_kinds_without_defaults_are_untouched() -> None:
    class Widget(Object):
        size: int = 0

    for obj in (ConfigMap(metadata=ObjectMeta(name="c")), Widget(metadata=ObjectMeta(name="w"))):
        before = wire(obj)
        apply_defaults(obj, creating=True)
        assert wire(obj) == before


@pytest.mark.parametrize(
    ("cls", "manifest"), [(c, m) for _, c, m in MANIFESTS], ids=[i for i, _, _ in MANIFESTS]
)
@pytest.mark.parametrize("creating", [False, True], ids=["update", "create"])
def test_objects_as_kubernetes_returns_them_are_fully_defaulted(
    cls: type[Object], manifest: dict[str, Any], creating: bool
) -> None:
    obj = msgspec.convert(manifest, cls)
    apply_defaults(obj, creating=creating)
    assert wire(obj) == manifest


MINIMAL: list[tuple[str, type[Object], dict[str, Any]]] = [
    (
        "pod",
        Pod,
        {"spec": {"containers": [{"name": "c", "image": "nginx", "ports": [{"containerPort": 80}]}]}},
    ),
    (
        "deployment",
        Deployment,
        {"spec": {"template": {"spec": {"containers": [{"name": "c"}], "volumes": [{"name": "v"}]}}}},
    ),
    ("replicaset", ReplicaSet, {"spec": {"template": {"metadata": {"labels": {"a": "b"}}}}}),
    (
        "replicationcontroller",
        ReplicationController,
        {"spec": {"template": {"metadata": {"labels": {"a": "b"}}}}},
    ),
    ("job", Job, {"metadata": {"uid": "u"}, "spec": {"template": {"spec": {"containers": [{"name": "c"}]}}}}),
    ("service", Service, {"spec": {"type": "LoadBalancer", "ports": [{"port": 80}]}}),
    ("namespace", Namespace, {}),
    ("node", Node, {"status": {"capacity": {"cpu": "1"}}}),
    ("secret", Secret, {"stringData": {"a": "b"}}),
    ("endpointslice", EndpointSlice, {"ports": [{"port": 1}]}),
]


@pytest.mark.parametrize(("cls", "body"), [(c, b) for _, c, b in MINIMAL], ids=[i for i, _, _ in MINIMAL])
def test_defaulting_is_idempotent_and_stable_across_updates(cls: type[Object], body: dict[str, Any]) -> None:
    """Defaults applied on create are a fixed point: re-applying them (as every update does) changes
    nothing, so resending a created object is never a spec change (API-3)."""
    obj = msgspec.convert({"metadata": {"name": "x"}, **body}, cls)
    apply_defaults(obj, creating=True)
    once = wire(obj)
    apply_defaults(obj, creating=True)
    assert wire(obj) == once
    apply_defaults(obj, creating=False)
    assert wire(obj) == once
