"""Shape rules every kind follows: kind/apiVersion always present, wrong kinds rejected, Go
pointers keep zero distinct from unset, Kubernetes' irregular JSON names, and the strategic merge
markers the patch engine reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated, Any, get_args, get_origin, get_type_hints

import msgspec
import msgspec.inspect as mi
import pytest

from kubelite.api.apps import Deployment, DeploymentSpec, ReplicaSet
from kubelite.api.autoscaling import Scale
from kubelite.api.batch import Job, JobStatus
from kubelite.api.core import (
    Binding,
    Container,
    ContainerPort,
    Node,
    NodeSpec,
    NodeStatus,
    Pod,
    PodSpec,
    PodStatus,
    ReplicationController,
    Service,
    ServiceSpec,
)
from kubelite.api.meta import Object
from kubelite.api.patchmeta import MergeKey, MergeSet, RetainKeys
from kubelite.api.policy import Eviction
from kubelite.api.registry import builtin_registry

PAYLOADS: list[tuple[type[Object], str]] = [
    (Scale, "autoscaling/v1"),
    (Binding, "v1"),
    (Eviction, "policy/v1"),
]
KINDS = [(info.type, info.group_version) for info in builtin_registry().all()] + PAYLOADS


@pytest.mark.parametrize(("cls", "api_version"), KINDS, ids=[cls.__name__ for cls, _ in KINDS])
def test_kind_and_api_version_are_always_encoded(cls: type[Object], api_version: str) -> None:
    encoded = msgspec.json.decode(msgspec.json.encode(cls()))
    assert encoded["kind"] == cls.__name__
    assert encoded["apiVersion"] == api_version
    decoded = msgspec.json.decode(b'{"metadata": {"name": "x"}}', type=cls)
    assert decoded.api_version == api_version, "a body without apiVersion gets the kind's own"


@pytest.mark.parametrize(
    ("cls", "wrong"),
    [(Deployment, "Service"), (Pod, "Node"), (Job, "Deployment"), (Service, "Pod"), (Scale, "Deployment")],
    ids=[
        "deployment-as-service",
        "pod-as-node",
        "job-as-deployment",
        "service-as-pod",
        "scale-as-deployment",
    ],
)
def test_wrong_kind_is_rejected(cls: type[Object], wrong: str) -> None:
    body = msgspec.json.encode({"kind": wrong, "metadata": {"name": "x"}})
    with pytest.raises(msgspec.ValidationError, match=r"\$\.kind"):
        msgspec.json.decode(body, type=cls)


POINTERS: list[tuple[type[Object], dict[str, Any], str]] = [
    (Deployment, {"spec": {"replicas": 0}}, "replicas"),
    (Deployment, {"spec": {"revisionHistoryLimit": 0}}, "revisionHistoryLimit"),
    (Deployment, {"spec": {"progressDeadlineSeconds": 0}}, "progressDeadlineSeconds"),
    (ReplicaSet, {"spec": {"replicas": 0}}, "replicas"),
    (ReplicationController, {"spec": {"replicas": 0}}, "replicas"),
    (Job, {"spec": {"completions": 0}}, "completions"),
    (Job, {"spec": {"parallelism": 0}}, "parallelism"),
    (Job, {"spec": {"backoffLimit": 0}}, "backoffLimit"),
    (Job, {"spec": {"suspend": False}}, "suspend"),
    (Job, {"spec": {"manualSelector": False}}, "manualSelector"),
    (Pod, {"spec": {"terminationGracePeriodSeconds": 0}}, "terminationGracePeriodSeconds"),
    (Pod, {"spec": {"activeDeadlineSeconds": 0}}, "activeDeadlineSeconds"),
    (Pod, {"spec": {"automountServiceAccountToken": False}}, "automountServiceAccountToken"),
    (Pod, {"spec": {"enableServiceLinks": False}}, "enableServiceLinks"),
    (Pod, {"spec": {"priority": 0}}, "priority"),
]


@pytest.mark.parametrize(
    ("cls", "body", "field"), POINTERS, ids=[f"{cls.__name__}.{field}" for cls, _, field in POINTERS]
)
def test_pointer_fields_keep_zero_distinct_from_unset(
    cls: type[Object], body: dict[str, Any], field: str
) -> None:
    zero = msgspec.json.decode(msgspec.json.encode(body), type=cls)
    kept = msgspec.json.decode(msgspec.json.encode(zero))["spec"]
    sent = body["spec"][field]
    assert field in kept and kept[field] == sent and type(kept[field]) is type(sent), (
        "an explicit zero is kept"
    )
    unset = msgspec.json.decode(b"{}", type=cls)
    assert field not in msgspec.json.decode(msgspec.json.encode(unset))["spec"], "unset stays absent"


def test_int_or_string_keeps_its_type() -> None:
    svc = msgspec.json.decode(b'{"spec": {"ports": [{"port": 80, "targetPort": "8080"}]}}', type=Service)
    assert svc.spec.ports[0].target_port == "8080"
    svc = msgspec.json.decode(b'{"spec": {"ports": [{"port": 80, "targetPort": 8080}]}}', type=Service)
    assert svc.spec.ports[0].target_port == 8080


def _structs(info: mi.Type, seen: set[type]) -> Iterator[mi.StructType]:
    if isinstance(info, mi.StructType):
        if info.cls in seen:
            return
        seen.add(info.cls)
        yield info
        for field in info.fields:
            yield from _structs(field.type, seen)
    elif isinstance(info, mi.ListType | mi.DictType):
        yield from _structs(info.value_type if isinstance(info, mi.DictType) else info.item_type, seen)
    elif isinstance(info, mi.UnionType):
        for member in info.types:
            yield from _structs(member, seen)
    elif isinstance(info, mi.Metadata):
        yield from _structs(info.type, seen)


def _all_structs() -> list[mi.StructType]:
    seen: set[type] = set()
    return [s for cls, _ in KINDS for s in _structs(mi.type_info(cls), seen)]


MISCASED = re.compile(r"(Ip|Ips|Id|Cidr|Cidrs|Uuid|Api|Fqdn|Ipc|Pid)([A-Z]|$)")


def test_json_names_use_kubernetes_initialisms() -> None:
    """`podIP`, `imageID`, `downwardAPI`, `hostIPC`…: never the naive camelCase `podIp`."""
    wrong = [
        f"{s.cls.__name__}.{f.encode_name}"
        for s in _all_structs()
        for f in s.fields
        if MISCASED.search(f.encode_name)
    ]
    assert wrong == []


def _markers(cls: type, field: str) -> tuple[object, ...]:
    hint = get_type_hints(cls, include_extras=True)[field]
    return hint.__metadata__ if get_origin(hint) is Annotated else ()


MARKED: list[tuple[type, str, object]] = [
    (PodSpec, "containers", MergeKey("name")),
    (PodSpec, "init_containers", MergeKey("name")),
    (PodSpec, "ephemeral_containers", MergeKey("name")),
    (PodSpec, "volumes", MergeKey("name")),
    (PodSpec, "image_pull_secrets", MergeKey("name")),
    (PodSpec, "host_aliases", MergeKey("ip")),
    (PodSpec, "topology_spread_constraints", MergeKey("topologyKey")),
    (Container, "env", MergeKey("name")),
    (Container, "volume_mounts", MergeKey("mountPath")),
    (Container, "ports", MergeKey("containerPort")),
    (ServiceSpec, "ports", MergeKey("port")),
    (PodStatus, "conditions", MergeKey("type")),
    (PodStatus, "pod_ips", MergeKey("ip")),
    (NodeStatus, "conditions", MergeKey("type")),
    (NodeStatus, "addresses", MergeKey("type")),
    (NodeSpec, "pod_cidrs", MergeSet()),
    (JobStatus, "conditions", MergeKey("type")),
    (DeploymentSpec, "strategy", RetainKeys()),
]


@pytest.mark.parametrize(
    ("cls", "field", "marker"), MARKED, ids=[f"{cls.__name__}.{field}" for cls, field, _ in MARKED]
)
def test_strategic_merge_markers(cls: type, field: str, marker: object) -> None:
    assert marker in _markers(cls, field)


@pytest.mark.parametrize(
    ("cls", "field"),
    [
        (PodSpec, "tolerations"),
        (Container, "args"),
        (Container, "command"),
        (Container, "env_from"),
        (NodeSpec, "taints"),
    ],
    ids=["tolerations", "args", "command", "envFrom", "taints"],
)
def test_atomic_lists_have_no_marker(cls: type, field: str) -> None:
    assert _markers(cls, field) == ()


def test_every_merge_key_names_a_field_of_the_item() -> None:
    checked = 0
    for struct in _all_structs():
        for name, hint in get_type_hints(struct.cls, include_extras=True).items():
            for marker in hint.__metadata__ if get_origin(hint) is Annotated else ():
                if isinstance(marker, MergeKey):
                    (item,) = get_args(get_args(hint)[0])
                    item_info = mi.type_info(item)
                    assert isinstance(item_info, mi.StructType)
                    names = {f.encode_name for f in item_info.fields}
                    assert marker.key in names, f"{struct.cls.__name__}.{name}"
                    checked += 1
    assert checked >= 20


def test_container_port_needs_its_number() -> None:
    with pytest.raises(TypeError):
        ContainerPort()  # type: ignore[call-arg]  # the point of the test
    assert Node().status.node_info.machine_id == ""
