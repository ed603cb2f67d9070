"""Defaulting of pods and pod templates: KUB-1, KUB-2 and the NODE-10 default tolerations.

Tables build a minimal object, apply the defaults and compare the encoded result (so "unset" and
"zero" are told apart exactly as on the wire).
"""

from __future__ import annotations

import copy
from typing import Any

import msgspec
import pytest

from kubelite.api.apps import Deployment, DeploymentSpec
from kubelite.api.core import (
    Container,
    ContainerPort,
    Pod,
    PodSpec,
    PodTemplateSpec,
    ResourceRequirements,
    Toleration,
)
from kubelite.api.defaults import apply_defaults, image_pull_policy
from kubelite.api.meta import Object, ObjectMeta

UID = "0b7a9a8e-3f0c-4d5e-9a7b-1c2d3e4f5a6b"
NODE10 = [
    {"key": key, "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}
    for key in ("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable")
]


def wire(obj: object) -> Any:
    return msgspec.json.decode(msgspec.json.encode(obj))


def defaulted(obj: Object, *, creating: bool = True) -> Any:
    apply_defaults(obj, creating=creating)
    return wire(obj)


def pod(*containers: Container, **spec: Any) -> Pod:
    return Pod(
        metadata=ObjectMeta(name="p", namespace="default"), spec=PodSpec(containers=list(containers), **spec)
    )


def template(**spec: Any) -> PodTemplateSpec:
    return PodTemplateSpec(
        metadata=ObjectMeta(labels={"app": "x"}),
        spec=PodSpec(containers=[Container(name="c", image="busybox:1.36")], **spec),
    )


def test_kub1_minimal_pod_gets_the_spec_kubernetes_returns() -> None:
    spec = defaulted(pod(Container(name="web", image="busybox:1.37", command=["sleep", "3600"])))["spec"]
    assert spec == {
        "containers": [
            {
                "name": "web",
                "image": "busybox:1.37",
                "command": ["sleep", "3600"],
                "resources": {},
                "terminationMessagePath": "/dev/termination-log",
                "terminationMessagePolicy": "File",
                "imagePullPolicy": "IfNotPresent",
            }
        ],
        "restartPolicy": "Always",
        "terminationGracePeriodSeconds": 30,
        "dnsPolicy": "ClusterFirst",
        "securityContext": {},
        "schedulerName": "default-scheduler",
        "tolerations": NODE10,
        "enableServiceLinks": True,
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("restart_policy", "Never"),
        ("termination_grace_period_seconds", 0),
        ("dns_policy", "Default"),
        ("scheduler_name", "my-scheduler"),
        ("enable_service_links", False),
    ],
)
def test_kub1_explicit_values_are_kept(field: str, value: object) -> None:
    obj = pod(Container(name="c", image="i"), **{field: value})
    apply_defaults(obj, creating=True)
    assert getattr(obj.spec, field) == value


@pytest.mark.parametrize(
    ("resources", "expected_requests"),
    [
        ({"limits": {"cpu": "1", "memory": "1Gi"}}, {"cpu": "1", "memory": "1Gi"}),
        (
            {"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "100m"}},
            {"cpu": "100m", "memory": "1Gi"},
        ),
        ({"requests": {"cpu": "100m"}}, {"cpu": "100m"}),
        ({}, None),
    ],
    ids=["limits-only", "partial-requests", "requests-only", "none"],
)
def test_kub1_requests_default_to_limits_in_pods(resources: dict[str, Any], expected_requests: Any) -> None:
    requirements = msgspec.convert(resources, ResourceRequirements)
    init = Container(name="init", image="i", resources=msgspec.convert(resources, ResourceRequirements))
    obj = pod(Container(name="c", image="i", resources=requirements), init_containers=[init])
    spec = defaulted(obj)["spec"]
    for container in (spec["containers"][0], spec["initContainers"][0]):
        assert container["resources"].get("requests") == expected_requests


def test_kub1_templates_get_pod_spec_defaults_but_not_pod_only_ones() -> None:
    limited = ResourceRequirements(limits={"cpu": "1"})
    tpl = template(host_network=True)
    tpl.spec.containers[0].resources = limited
    tpl.spec.containers[0].ports = [ContainerPort(container_port=80)]
    dep = Deployment(metadata=ObjectMeta(name="d"), spec=DeploymentSpec(template=tpl))
    spec = defaulted(dep)["spec"]["template"]["spec"]
    container = spec["containers"][0]
    assert container["resources"] == {"limits": {"cpu": "1"}}, "requests-from-limits is Pod-only"
    assert container["ports"] == [{"containerPort": 80, "protocol": "TCP"}], "hostPort is Pod-only"
    assert "enableServiceLinks" not in spec and "tolerations" not in spec
    assert (spec["restartPolicy"], spec["dnsPolicy"], spec["terminationGracePeriodSeconds"]) == (
        "Always",
        "ClusterFirst",
        30,
    )
    assert container["imagePullPolicy"] == "IfNotPresent"


@pytest.mark.parametrize(
    ("host_network", "port", "expected"),
    [
        (
            True,
            ContainerPort(container_port=8080),
            {"containerPort": 8080, "hostPort": 8080, "protocol": "TCP"},
        ),
        (
            True,
            ContainerPort(container_port=8080, host_port=9090),
            {"containerPort": 8080, "hostPort": 9090, "protocol": "TCP"},
        ),
        (False, ContainerPort(container_port=8080), {"containerPort": 8080, "protocol": "TCP"}),
        (False, ContainerPort(container_port=53, protocol="UDP"), {"containerPort": 53, "protocol": "UDP"}),
    ],
    ids=["host-network", "explicit-host-port", "pod-network", "udp-kept"],
)
def test_kub1_ports(host_network: bool, port: ContainerPort, expected: dict[str, Any]) -> None:
    init_port = msgspec.structs.replace(port)
    obj = pod(
        Container(name="c", image="i", ports=[msgspec.structs.replace(port)]),
        init_containers=[Container(name="init", image="i", ports=[init_port])],
        host_network=host_network,
    )
    spec = defaulted(obj)["spec"]
    assert spec["containers"][0]["ports"] == [expected]
    assert spec["initContainers"][0]["ports"] == [expected]


@pytest.mark.parametrize(
    ("existing", "added"),
    [
        ([], NODE10),
        ([Toleration(operator="Exists")], []),
        ([Toleration(key="node.kubernetes.io/not-ready", operator="Exists")], NODE10[1:]),
        (
            [
                Toleration(
                    key="node.kubernetes.io/unreachable",
                    operator="Exists",
                    effect="NoExecute",
                    toleration_seconds=5,
                )
            ],
            NODE10[:1],
        ),
        ([Toleration(key="node.kubernetes.io/not-ready", operator="Exists", effect="NoSchedule")], NODE10),
    ],
    ids=["none", "tolerates-everything", "any-effect", "own-seconds", "other-effect"],
)
def test_node10_default_tolerations(existing: list[Toleration], added: list[dict[str, Any]]) -> None:
    """NODE-10: the missing not-ready/unreachable NoExecute tolerations are appended after the pod's
    own. Defaulting appends to the pod's list in place, so the pod gets a deep copy of the table row:
    the parametrize data stays as written and the test passes when run twice in one process."""
    before = wire(existing)
    spec = defaulted(pod(Container(name="c", image="i"), tolerations=copy.deepcopy(existing)))["spec"]
    assert spec["tolerations"] == before + added
    assert wire(existing) == before


def test_kub1_probe_handler_and_volume_defaults() -> None:
    obj = msgspec.convert(
        {
            "metadata": {"name": "p"},
            "spec": {
                "containers": [
                    {
                        "name": "c",
                        "image": "i:1",
                        "livenessProbe": {"httpGet": {"port": 80}},
                        "readinessProbe": {"tcpSocket": {"port": 80}, "periodSeconds": 3},
                        "lifecycle": {"preStop": {"httpGet": {"port": 80, "path": "/stop"}}},
                        "env": [{"name": "N", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}],
                    }
                ],
                "volumes": [
                    {"name": "a"},
                    {"name": "b", "configMap": {"name": "cfg"}},
                    {"name": "c", "secret": {"secretName": "s", "defaultMode": 256}},
                    {"name": "d", "hostPath": {"path": "/x"}},
                    {"name": "e", "projected": {"sources": [{"serviceAccountToken": {"path": "t"}}]}},
                    {
                        "name": "f",
                        "downwardAPI": {"items": [{"path": "n", "fieldRef": {"fieldPath": "metadata.name"}}]},
                    },
                ],
            },
        },
        Pod,
    )
    spec = defaulted(obj)["spec"]
    container = spec["containers"][0]
    probe = {"timeoutSeconds": 1, "successThreshold": 1, "failureThreshold": 3}
    assert container["livenessProbe"] == {
        "httpGet": {"path": "/", "port": 80, "scheme": "HTTP"},
        "periodSeconds": 10,
        **probe,
    }
    assert container["readinessProbe"] == {"tcpSocket": {"port": 80}, "periodSeconds": 3, **probe}
    assert container["lifecycle"]["preStop"]["httpGet"] == {"path": "/stop", "port": 80, "scheme": "HTTP"}
    assert container["env"][0]["valueFrom"]["fieldRef"] == {"apiVersion": "v1", "fieldPath": "metadata.name"}
    assert spec["volumes"] == [
        {"name": "a", "emptyDir": {}},
        {"name": "b", "configMap": {"name": "cfg", "defaultMode": 420}},
        {"name": "c", "secret": {"secretName": "s", "defaultMode": 256}},
        {"name": "d", "hostPath": {"path": "/x", "type": ""}},
        {
            "name": "e",
            "projected": {
                "sources": [{"serviceAccountToken": {"expirationSeconds": 3600, "path": "t"}}],
                "defaultMode": 420,
            },
        },
        {
            "name": "f",
            "downwardAPI": {
                "items": [{"path": "n", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}],
                "defaultMode": 420,
            },
        },
    ]


@pytest.mark.parametrize(
    ("image", "policy"),
    [
        ("nginx", "Always"),
        ("nginx:latest", "Always"),
        ("nginx:1.25", "IfNotPresent"),
        ("nginx@sha256:" + "c" * 64, "IfNotPresent"),
        ("nginx:latest@sha256:" + "c" * 64, "Always"),
        ("localhost:5000/team/app", "Always"),
        ("localhost:5000/team/app:2.0", "IfNotPresent"),
        ("registry.example.com/app:latest", "Always"),
    ],
)
def test_kub2_image_pull_policy(image: str, policy: str) -> None:
    assert image_pull_policy(image) == policy
    obj = pod(Container(name="c", image=image), init_containers=[Container(name="i", image=image)])
    apply_defaults(obj, creating=True)
    assert obj.spec.containers[0].image_pull_policy == policy
    assert obj.spec.init_containers[0].image_pull_policy == policy


def test_kub2_pull_policy_is_fixed_once_set() -> None:
    obj = pod(
        Container(name="c", image="nginx"), Container(name="d", image="nginx", image_pull_policy="Never")
    )
    apply_defaults(obj, creating=True)
    obj.spec.containers[0].image = "nginx:1.25"
    apply_defaults(obj, creating=False)
    assert [c.image_pull_policy for c in obj.spec.containers] == ["Always", "Never"]
