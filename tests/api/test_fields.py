"""Field selectors: syntax and escaping, supported field labels per kind, matching on typed objects."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kubelite.api.apps.replicaset import ReplicaSet, ReplicaSetStatus
from kubelite.api.batch.job import Job, JobStatus
from kubelite.api.core.configmap import ConfigMap, Secret
from kubelite.api.core.event import Event, EventSource
from kubelite.api.core.namespace import Namespace, NamespaceStatus
from kubelite.api.core.node import Node, NodeSpec
from kubelite.api.core.pod import Pod, PodIP, PodSpec, PodStatus
from kubelite.api.core.reference import ObjectReference
from kubelite.api.core.replicationcontroller import ReplicationController, ReplicationControllerStatus
from kubelite.api.fields import (
    EQUALS,
    NOT_EQUALS,
    FieldRequirement,
    FieldSelector,
    escape_value,
    parse_field_selector,
    unescape_value,
)
from kubelite.api.meta import Object, ObjectMeta

NOT_KNOWN = 'is not a known field selector: only "metadata.name", "metadata.namespace"'


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("", ""),
        ("metadata.name=a", "metadata.name=a"),
        ("metadata.name==a", "metadata.name=a"),
        ("metadata.name!=a", "metadata.name!=a"),
        ("status.phase=Running,spec.nodeName=n1", "spec.nodeName=n1,status.phase=Running"),
        ("spec.nodeName=", "spec.nodeName="),
        ("a=x\\,y\\=z\\\\", "a=x\\,y\\=z\\\\"),
        ("a=b,,c=d", "a=b,c=d"),
        ("a=!b", "a=!b"),
    ],
    ids=[
        "empty",
        "equals",
        "double-equals",
        "not-equals",
        "sorted",
        "empty-value",
        "escapes",
        "empty-term",
        "bang",
    ],
)
def test_parse_renders_canonical_string(text: str, canonical: str) -> None:
    selector = parse_field_selector(text)
    assert str(selector) == canonical
    assert parse_field_selector(canonical) == selector


def test_parse_builds_requirements_and_unescapes() -> None:
    selector = parse_field_selector("spec.nodeName!=n\\,1,metadata.name==x\\=y")
    assert selector.requirements == (
        FieldRequirement("metadata.name", EQUALS, "x=y"),
        FieldRequirement("spec.nodeName", NOT_EQUALS, "n,1"),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("metadata.name", "invalid selector: 'metadata.name'; can't understand 'metadata.name'"),
        ("a=b,c", "invalid selector: 'a=b,c'; can't understand 'c'"),
        ("a=b=c", "invalid field selector: unescaped character in value: 61"),
        ("a=b,c=d,e", "invalid selector: 'a=b,c=d,e'; can't understand 'e'"),
        ("a!==b", "invalid field selector: unescaped character in value: 61"),
        ("a=b\\x", "invalid field selector: invalid escape sequence: \\x"),
        ("a=b\\!", "invalid field selector: invalid escape sequence: \\!"),
        ("a=b\\", "invalid field selector: invalid escape sequence: \\"),
    ],
    ids=[
        "no-operator",
        "bare-term",
        "unescaped-equals",
        "third-term",
        "not-equals-equals",
        "unknown-escape",
        "bang-escape",
        "trailing-backslash",
    ],
)
def test_invalid_field_selectors_raise_kubernetes_messages(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_field_selector(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("kind", "label"),
    [
        ("Pod", "metadata.name"),
        ("Pod", "metadata.namespace"),
        ("Pod", "spec.nodeName"),
        ("Pod", "spec.restartPolicy"),
        ("Pod", "spec.schedulerName"),
        ("Pod", "spec.serviceAccountName"),
        ("Pod", "spec.hostNetwork"),
        ("Pod", "status.phase"),
        ("Pod", "status.podIP"),
        ("Pod", "status.nominatedNodeName"),
        ("Event", "involvedObject.kind"),
        ("Event", "involvedObject.namespace"),
        ("Event", "involvedObject.name"),
        ("Event", "involvedObject.uid"),
        ("Event", "involvedObject.apiVersion"),
        ("Event", "involvedObject.resourceVersion"),
        ("Event", "involvedObject.fieldPath"),
        ("Event", "reason"),
        ("Event", "reportingComponent"),
        ("Event", "source"),
        ("Event", "type"),
        ("Event", "metadata.namespace"),
        ("Node", "metadata.name"),
        ("Node", "spec.unschedulable"),
        ("Namespace", "status.phase"),
        ("Secret", "type"),
        ("ReplicaSet", "status.replicas"),
        ("ReplicationController", "status.replicas"),
        ("Job", "status.successful"),
        ("ConfigMap", "metadata.name"),
        ("ConfigMap", "metadata.namespace"),
        ("Deployment", "metadata.namespace"),
    ],
    ids=lambda value: str(value),
)
def test_supported_field_labels(kind: str, label: str) -> None:
    parse_field_selector(f"{label}=x").check_supported(kind)


@pytest.mark.parametrize(
    ("kind", "label", "message"),
    [
        ("Pod", "spec.containers", "field label not supported: spec.containers"),
        ("Pod", "status.hostIP", "field label not supported: status.hostIP"),
        ("Event", "message", "field label not supported: message"),
        ("Node", "metadata.namespace", "field label not supported: metadata.namespace"),
        ("Node", "status.phase", "field label not supported: status.phase"),
        ("Namespace", "metadata.namespace", "field label not supported: metadata.namespace"),
        ("Secret", "data", "field label not supported: data"),
        ("ReplicaSet", "spec.replicas", "field label not supported: spec.replicas"),
        ("Job", "status.succeeded", 'field label "status.succeeded" not supported for batchv1.Job'),
        ("ConfigMap", "data", f'"data" {NOT_KNOWN}'),
        ("Deployment", "status.replicas", f'"status.replicas" {NOT_KNOWN}'),
        ("Pod", "metadata.name ", "field label not supported: metadata.name "),
    ],
    ids=lambda value: str(value),
)
def test_unsupported_field_labels_raise_kubernetes_messages(kind: str, label: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_field_selector(f"{label}=x").check_supported(kind)
    assert str(caught.value) == message


POD = Pod(
    metadata=ObjectMeta(name="web-1", namespace="prod"),
    spec=PodSpec(
        node_name="node-1",
        restart_policy="Always",
        scheduler_name="default-scheduler",
        service_account_name="builder",
        host_network=True,
    ),
    status=PodStatus(
        phase="Running", pod_ip="10.0.0.9", pod_ips=[PodIP(ip="10.0.0.9")], nominated_node_name="n2"
    ),
)
EVENT = Event(
    metadata=ObjectMeta(name="web-1.abc", namespace="prod"),
    involved_object=ObjectReference(
        kind="Pod",
        namespace="prod",
        name="web-1",
        uid="u-1",
        api_version="v1",
        resource_version="42",
        field_path="spec.containers{app}",
    ),
    reason="Scheduled",
    reporting_component="scheduler",
    type="Normal",
)


@pytest.mark.parametrize(
    ("obj", "text", "expected"),
    [
        (POD, "metadata.name=web-1", True),
        (POD, "metadata.namespace=prod", True),
        (POD, "metadata.namespace!=prod", False),
        (POD, "spec.nodeName=node-1", True),
        (POD, "spec.nodeName=node-2", False),
        (POD, "spec.restartPolicy=Always", True),
        (POD, "spec.schedulerName=default-scheduler", True),
        (POD, "spec.serviceAccountName=builder", True),
        (POD, "spec.hostNetwork=true", True),
        (Pod(), "spec.hostNetwork=false", True),
        (POD, "status.phase=Running,spec.nodeName=node-1", True),
        (POD, "status.phase!=Running", False),
        (POD, "status.podIP=10.0.0.9", True),
        (Pod(status=PodStatus(pod_ip="10.0.0.7")), "status.podIP=10.0.0.7", True),
        (POD, "status.nominatedNodeName=n2", True),
        (Pod(), "spec.nodeName=", True),
        (Pod(), "spec.nodeName!=", False),
        (POD, "spec.containers=x", False),
        (POD, "spec.containers!=x", True),
        (EVENT, "involvedObject.kind=Pod,involvedObject.name=web-1,involvedObject.namespace=prod", True),
        (EVENT, "involvedObject.uid=u-1,involvedObject.apiVersion=v1", True),
        (EVENT, "involvedObject.resourceVersion=42", True),
        (EVENT, "involvedObject.fieldPath=spec.containers{app}", True),
        (EVENT, "reason=Scheduled,type=Normal,reportingComponent=scheduler", True),
        (EVENT, "source=scheduler", True),
        (Event(source=EventSource(component="kubelet"), reporting_component="x"), "source=kubelet", True),
        (Node(spec=NodeSpec(unschedulable=True)), "spec.unschedulable=true", True),
        (Node(), "spec.unschedulable=false", True),
        (Namespace(status=NamespaceStatus(phase="Terminating")), "status.phase=Terminating", True),
        (Secret(type="Opaque"), "type=Opaque", True),
        (ReplicaSet(status=ReplicaSetStatus(replicas=3)), "status.replicas=3", True),
        (ReplicaSet(), "status.replicas=0", True),
        (ReplicationController(status=ReplicationControllerStatus(replicas=2)), "status.replicas=2", True),
        (Job(status=JobStatus(succeeded=1)), "status.successful=1", True),
        (
            ConfigMap(metadata=ObjectMeta(name="cfg", namespace="ns")),
            "metadata.name=cfg,metadata.namespace=ns",
            True,
        ),
    ],
    ids=lambda value: value if isinstance(value, str) else type(value).__name__,
)
def test_matches_typed_objects(obj: Object, text: str, expected: bool) -> None:
    assert parse_field_selector(text).matches(obj) is expected


def test_everything_matches_anything() -> None:
    assert parse_field_selector("") == FieldSelector.everything()
    assert FieldSelector.everything().empty
    assert FieldSelector.everything().matches(POD)


def test_requires_exact_match() -> None:
    selector = parse_field_selector("spec.nodeName=node-1,status.phase!=Failed")
    assert selector.requires_exact_match("spec.nodeName") == "node-1"
    assert selector.requires_exact_match("status.phase") is None
    assert selector.requires_exact_match("metadata.name") is None


@pytest.mark.parametrize(
    ("value", "escaped"),
    [("plain", "plain"), ("a,b", "a\\,b"), ("a=b", "a\\=b"), ("a\\b", "a\\\\b"), ("!", "!")],
    ids=["plain", "comma", "equals", "backslash", "bang"],
)
def test_escape_table(value: str, escaped: str) -> None:
    assert escape_value(value) == escaped
    assert unescape_value(escaped) == value


FIELDS = st.sampled_from(["metadata.name", "metadata.namespace", "spec.nodeName", "status.phase", "type"])
REQUIREMENTS = st.builds(
    FieldRequirement, FIELDS, st.sampled_from([EQUALS, NOT_EQUALS]), st.text(max_size=12)
)


@given(st.text())
def test_property_escape_round_trip(value: str) -> None:
    assert unescape_value(escape_value(value)) == value


@given(st.lists(REQUIREMENTS, max_size=4))
def test_property_string_round_trip(requirements: list[FieldRequirement]) -> None:
    selector = FieldSelector(tuple(requirements))
    assert parse_field_selector(str(selector)) == selector


@given(st.lists(REQUIREMENTS, max_size=4), st.text(max_size=6), st.sampled_from(["", "Running", "Opaque"]))
def test_property_matches_is_and_of_terms(
    requirements: list[FieldRequirement], name: str, phase: str
) -> None:
    pod = Pod(metadata=ObjectMeta(name=name), status=PodStatus(phase=phase))
    actual = {
        "metadata.name": name,
        "metadata.namespace": "",
        "spec.nodeName": "",
        "status.phase": phase,
        "type": "",
    }
    expected = all((actual[r.field] == r.value) == (r.operator == EQUALS) for r in requirements)
    assert FieldSelector(tuple(requirements)).matches(pod) is expected
