"""API-6 name rules per kind, and Namespace, Node (taints), ConfigMap/Secret keys, Event, Endpoints,
Lease and PodDisruptionBudget validation."""

from __future__ import annotations

import pytest

from kubelite.api.apps import Deployment, ReplicaSet
from kubelite.api.autoscaling import Scale
from kubelite.api.coordination import Lease
from kubelite.api.coordination.lease import LeaseSpec
from kubelite.api.core import (
    ConfigMap,
    EndpointAddress,
    EndpointPort,
    Endpoints,
    EndpointSubset,
    Event,
    Namespace,
    NamespaceSpec,
    Node,
    NodeSpec,
    NodeStatus,
    Pod,
    ReplicationController,
    Secret,
    Service,
    Taint,
)
from kubelite.api.core.reference import ObjectReference
from kubelite.api.meta import LabelSelector, LabelSelectorRequirement, Object, ObjectMeta
from kubelite.api.policy import PodDisruptionBudget
from kubelite.api.policy.poddisruptionbudget import PodDisruptionBudgetSpec
from kubelite.api.validation import validate_create, validate_update

SUBDOMAIN = "a lowercase RFC 1123 subdomain must consist of"
LABEL = "a lowercase RFC 1123 label must consist of"
DNS1035 = "a DNS-1035 label must consist of"


def errors_of(obj: Object) -> list[str]:
    return [str(e) for e in validate_create(obj)]


def meta(name: str = "web", namespace: str = "default") -> ObjectMeta:
    return ObjectMeta(name=name, namespace=namespace, uid="u1", creation_timestamp="2024-01-01T00:00:00Z")


NAME_RULES: list[tuple[type[Object], bool, str]] = [
    (ConfigMap, True, SUBDOMAIN),
    (Secret, True, SUBDOMAIN),
    (Endpoints, True, SUBDOMAIN),
    (Lease, True, SUBDOMAIN),
    (PodDisruptionBudget, True, SUBDOMAIN),
    (Node, False, SUBDOMAIN),
    (Namespace, False, LABEL),
    (Service, True, DNS1035),
    (Pod, True, SUBDOMAIN),
    (Deployment, True, SUBDOMAIN),
    (ReplicaSet, True, SUBDOMAIN),
    (ReplicationController, True, SUBDOMAIN),
    (Event, True, SUBDOMAIN),
]


@pytest.mark.parametrize(
    ("kind", "namespaced", "rule"), NAME_RULES, ids=[k.__name__ for k, _, _ in NAME_RULES]
)
def test_api6_name_rule_per_kind(kind: type[Object], namespaced: bool, rule: str) -> None:
    obj = kind(metadata=meta("Bad_Name", "default" if namespaced else ""))
    name_errors = [e for e in errors_of(obj) if e.startswith("metadata.name:")]
    assert name_errors and name_errors[0].startswith(f'metadata.name: Invalid value: "Bad_Name": {rule}')


@pytest.mark.parametrize(
    ("name", "ok"),
    [("a.b", True), ("a" * 253, True), ("a" * 254, False)],
    ids=["dotted", "253", "254"],
)
def test_api6_subdomain_kinds_accept_dots_up_to_253(name: str, ok: bool) -> None:
    assert (errors_of(ConfigMap(metadata=meta(name))) == []) is ok


def test_api6_namespace_is_a_label_and_cluster_scoped() -> None:
    assert errors_of(Namespace(metadata=meta("team-a", ""))) == []
    assert errors_of(Namespace(metadata=meta("team.a", ""))) == [
        'metadata.name: Invalid value: "team.a": must not contain dots'
    ]
    assert errors_of(Namespace(metadata=meta("team-a", "default"))) == [
        "metadata.namespace: Forbidden: not allowed on this type"
    ]
    assert errors_of(Namespace(metadata=meta("a" * 64, ""))) == [
        f'metadata.name: Invalid value: "{"a" * 64}": must be no more than 63 characters'
    ]


def test_namespace_finalizers() -> None:
    assert errors_of(Namespace(metadata=meta("ns", ""), spec=NamespaceSpec(finalizers=["kubernetes"]))) == []
    assert errors_of(Namespace(metadata=meta("ns", ""), spec=NamespaceSpec(finalizers=["custom"]))) == [
        'spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified'
    ]


def test_api5_generic_kinds_get_metadata_rules() -> None:
    assert errors_of(Scale(metadata=meta("web-abc12"))) == []
    assert errors_of(Scale(metadata=ObjectMeta(namespace="default"))) == [
        "metadata.name: Required value: name or generateName is required"
    ]


def node(*taints: Taint, capacity: dict[str, str] | None = None) -> Node:
    status = NodeStatus(capacity=capacity or {})
    return Node(metadata=meta("node1", ""), spec=NodeSpec(taints=list(taints)), status=status)


NODE_CASES: list[tuple[str, Node, list[str]]] = [
    ("ok", node(Taint(key="node.kubernetes.io/unreachable", effect="NoExecute")), []),
    (
        "taint-effect",
        node(Taint(key="k", effect="Sometimes")),
        [
            'metadata.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"'
        ],
    ),
    ("taint-effect-required", node(Taint(key="k", effect="")), ["metadata.taints[0].effect: Required value"]),
    (
        "taint-key",
        node(Taint(key="bad key", effect="NoSchedule")),
        [
            'metadata.taints[0].key: Invalid value: "bad key": name part must consist of alphanumeric characters, '
            "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  "
            "or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
        ],
    ),
    (
        "taint-duplicate",
        node(Taint(key="k", effect="NoSchedule"), Taint(key="k", value="v", effect="NoSchedule")),
        [
            'metadata.taints[1]: Duplicate value: {"key":"k","effect":"NoSchedule","value":"v"}: taints must be unique by key and effect pair'
        ],
    ),
    (
        "capacity-quantity",
        node(capacity={"cpu": "many"}),
        [
            "status.capacity.cpu: Invalid value: \"many\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
        ],
    ),
]


@pytest.mark.parametrize(("obj", "expected"), [c[1:] for c in NODE_CASES], ids=[c[0] for c in NODE_CASES])
def test_node_taints(obj: Node, expected: list[str]) -> None:
    assert errors_of(obj) == expected


def test_node_taint_changes_are_updates() -> None:
    old = node()
    assert (
        validate_update(node(Taint(key="node.kubernetes.io/unschedulable", effect="NoSchedule")), old) == []
    )


CONFIG_KEY = (
    "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or "
    "'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
)


def test_config_map_keys() -> None:
    assert errors_of(ConfigMap(metadata=meta(), data={"app.conf": "x", "KEY_1": "y", "a-b": ""})) == []
    assert errors_of(ConfigMap(metadata=meta(), data={"bad key": "x"})) == [
        f'data[bad key]: Invalid value: "bad key": {CONFIG_KEY}'
    ]
    assert errors_of(ConfigMap(metadata=meta(), data={"k": "x"}, binary_data={"k": "eA=="})) == [
        'data[k]: Invalid value: "k": duplicate of key present in binaryData'
    ]
    assert errors_of(ConfigMap(metadata=meta(), data={"big": "x" * (1024 * 1024 + 1)})) == [
        ": Too long: may not be more than 1048576 bytes"
    ]


def test_secret_keys_and_types() -> None:
    assert errors_of(Secret(metadata=meta(), data={"token": "dG9rZW4="}, type="Opaque")) == []
    assert errors_of(Secret(metadata=meta(), string_data={"../x": "y"})) == [
        f'stringData[../x]: Invalid value: "../x": {CONFIG_KEY}',
        "stringData[../x]: Invalid value: \"../x\": must not start with '..'",
    ]
    assert errors_of(Secret(metadata=meta(), type="kubernetes.io/tls", data={"tls.crt": "eA=="})) == [
        "data[tls.key]: Required value"
    ]


def test_immutable_config_data() -> None:
    old = ConfigMap(metadata=meta(), data={"a": "1"}, immutable=True)
    assert [
        str(e) for e in validate_update(ConfigMap(metadata=meta(), data={"a": "2"}, immutable=True), old)
    ] == ["data: Forbidden: field is immutable when `immutable` is set"]
    secret = Secret(metadata=meta(), type="Opaque")
    assert [
        str(e)
        for e in validate_update(
            Secret(metadata=meta(), type="kubernetes.io/tls", data={"tls.crt": "", "tls.key": ""}), secret
        )
    ] == ['type: Invalid value: "kubernetes.io/tls": field is immutable']


def test_event_namespaces_and_new_style_fields() -> None:
    involved = ObjectReference(kind="Pod", namespace="default", name="web")
    assert errors_of(Event(metadata=meta("web.1"), involved_object=involved, reason="Started")) == []
    elsewhere = ObjectReference(kind="Pod", namespace="other", name="web")
    assert errors_of(Event(metadata=meta("web.1"), involved_object=elsewhere)) == [
        'involvedObject.namespace: Invalid value: "other": does not match event.namespace'
    ]
    new_style = Event(
        metadata=meta("web.2"), involved_object=involved, event_time="2024-01-01T00:00:00.000000Z"
    )
    assert errors_of(new_style) == [
        "reportingComponent: Required value",
        'reportingComponent: Invalid value: "": name part must be non-empty',
        "reportingComponent: Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or "
        "'.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', "
        "regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        "reportingInstance: Required value",
        "action: Required value",
        "reason: Required value",
    ]


def test_endpoints() -> None:
    good = EndpointSubset(
        addresses=[EndpointAddress(ip="10.0.0.1", node_name="node1")],
        ports=[EndpointPort(port=80, protocol="TCP")],
    )
    assert errors_of(Endpoints(metadata=meta(), subsets=[good])) == []
    loopback = EndpointSubset(addresses=[EndpointAddress(ip="127.0.0.1")])
    assert errors_of(Endpoints(metadata=meta(), subsets=[loopback])) == []
    assert errors_of(Endpoints(metadata=meta(), subsets=[EndpointSubset()])) == [
        "subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`"
    ]
    bad = EndpointSubset(
        addresses=[EndpointAddress(ip="nope")], ports=[EndpointPort(port=80), EndpointPort(name="b", port=0)]
    )
    assert errors_of(Endpoints(metadata=meta(), subsets=[bad])) == [
        'subsets[0].addresses[0].ip: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
        "subsets[0].ports[0].name: Required value",
        "subsets[0].ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive",
    ]


def test_lease() -> None:
    assert (
        errors_of(
            Lease(
                metadata=meta("node1", "kube-node-lease"),
                spec=LeaseSpec(holder_identity="node1", lease_duration_seconds=40),
            )
        )
        == []
    )
    assert errors_of(
        Lease(
            metadata=meta("node1", "kube-node-lease"),
            spec=LeaseSpec(lease_duration_seconds=0, lease_transitions=-1),
        )
    ) == [
        "spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0",
        "spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0",
    ]


def pdb(**spec: object) -> PodDisruptionBudget:
    return PodDisruptionBudget(metadata=meta(), spec=PodDisruptionBudgetSpec(**spec))  # type: ignore[arg-type]  # fields are the spec's


def test_pod_disruption_budget() -> None:
    selector = LabelSelector(match_labels={"app": "web"})
    assert errors_of(pdb(min_available=2, selector=selector)) == []
    assert errors_of(pdb(max_unavailable="50%", selector=selector)) == []
    assert errors_of(pdb(min_available=1, max_unavailable=1)) == [
        'spec: Invalid value: {"minAvailable":1,"maxUnavailable":1}: minAvailable and maxUnavailable cannot be both set'
    ]
    assert errors_of(pdb(min_available="150%")) == [
        'spec.minAvailable: Invalid value: "150%": must not be greater than 100%'
    ]
    assert errors_of(pdb(max_unavailable=-1)) == [
        "spec.maxUnavailable: Invalid value: -1: must be greater than or equal to 0"
    ]
    bad_selector = LabelSelector(
        match_expressions=[LabelSelectorRequirement(key="app", operator="Exists", values=["x"])]
    )
    assert errors_of(pdb(selector=bad_selector)) == [
        "spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"
    ]
