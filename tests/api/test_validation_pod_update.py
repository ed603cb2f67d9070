"""Pod updates (only images, activeDeadlineSeconds, toleration additions and a few more may change),
GC-7 on pods, and SCH-8 Binding targets."""

from __future__ import annotations

import msgspec
import pytest

from kubelite.api.core import Binding, Container, Pod, PodSpec, PodStatus
from kubelite.api.core.reference import ObjectReference
from kubelite.api.core.scheduling import Toleration
from kubelite.api.meta import ObjectMeta
from kubelite.api.validation import validate_create, validate_update

UPDATABLE = (
    "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,"
    "`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),"
    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"
)
NOT_READY = Toleration(
    key="node.kubernetes.io/not-ready", operator="Exists", effect="NoExecute", toleration_seconds=300
)


def stored(**spec: object) -> Pod:
    fields: dict[str, object] = {
        "containers": [Container(name="app", image="busybox:1.36")],
        "restart_policy": "Always",
        "termination_grace_period_seconds": 30,
        "tolerations": [NOT_READY],
    }
    fields.update(spec)
    meta = ObjectMeta(name="web", namespace="default", uid="u1", creation_timestamp="2024-01-01T00:00:00Z")
    return Pod(metadata=meta, spec=PodSpec(**fields))  # type: ignore[arg-type]  # fields are PodSpec's


def changed(old: Pod, **spec: object) -> Pod:
    return msgspec.structs.replace(old, spec=msgspec.structs.replace(old.spec, **spec))


def errors_of(new: Pod, old: Pod) -> list[str]:
    return [str(error) for error in validate_update(new, old)]


ACCEPTED = [
    ("same", {}),
    ("image", {"containers": [Container(name="app", image="busybox:1.37")]}),
    ("deadline-set", {"active_deadline_seconds": 60}),
    ("toleration-added", {"tolerations": [NOT_READY, Toleration(key="x", operator="Exists")]}),
    (
        "toleration-seconds-changed",
        {"tolerations": [msgspec.structs.replace(NOT_READY, toleration_seconds=10)]},
    ),
]


@pytest.mark.parametrize("spec", [c[1] for c in ACCEPTED], ids=[c[0] for c in ACCEPTED])
def test_allowed_pod_updates(spec: dict[str, object]) -> None:
    old = stored()
    assert errors_of(changed(old, **spec), old) == []


def test_deadline_may_only_shrink() -> None:
    old = stored(active_deadline_seconds=100)
    assert errors_of(changed(old, active_deadline_seconds=50), old) == []
    assert errors_of(changed(old, active_deadline_seconds=200), old) == [
        "spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value"
    ]
    assert errors_of(changed(old, active_deadline_seconds=None), old) == [
        "spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value"
    ]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (
            {"tolerations": []},
            "spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds",
        ),
        (
            {"containers": [Container(name="app", image="busybox"), Container(name="b", image="busybox")]},
            "spec.containers: Forbidden: pod updates may not add or remove containers",
        ),
        (
            {"restart_policy": "Never"},
            f'spec: Forbidden: {UPDATABLE}\n- restartPolicy: "Always"\n+ restartPolicy: "Never"',
        ),
        ({"node_name": "node1"}, f'spec: Forbidden: {UPDATABLE}\n- nodeName: null\n+ nodeName: "node1"'),
    ],
    ids=["toleration-removed", "container-added", "restart-policy", "node-name"],
)
def test_forbidden_pod_updates(spec: dict[str, object], expected: str) -> None:
    old = stored()
    assert errors_of(changed(old, **spec), old) == [expected]


def test_pod_status_writes_pass() -> None:
    old = stored()
    new = msgspec.structs.replace(old, status=PodStatus(phase="Running", pod_ip="10.0.0.5"))
    assert errors_of(new, old) == []


def test_gc7_pod_finalizers_and_identity() -> None:
    old = stored()
    old.metadata.deletion_timestamp = "2024-01-02T00:00:00Z"
    new = msgspec.structs.replace(
        old, metadata=msgspec.structs.replace(old.metadata, finalizers=["example.com/x"], uid="u2")
    )
    assert errors_of(new, old) == [
        "metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, "
        'found new finalizers []string{"example.com/x"}',
        'metadata.uid: Invalid value: "u2": field is immutable',
    ]


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (ObjectReference(kind="Node", name="node1"), []),
        (ObjectReference(name="node1"), []),
        (
            ObjectReference(kind="Pod", name="node1"),
            ['target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>"'],
        ),
        (ObjectReference(kind="Node"), ["target.name: Required value"]),
    ],
    ids=["node", "kind-omitted", "wrong-kind", "no-name"],
)
def test_sch8_binding_target(target: ObjectReference, expected: list[str]) -> None:
    binding = Binding(metadata=ObjectMeta(name="web", namespace="default"), target=target)
    assert [str(e) for e in validate_create(binding)] == expected
