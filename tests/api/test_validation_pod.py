"""Pod validation on create: containers, ports, probes (KUB-9), restart policy, deadlines and a
fully featured pod, with Kubernetes' exact messages."""

from __future__ import annotations

from collections.abc import Callable

import msgspec
import pytest

from kubelite.api.core import (
    Container,
    ContainerPort,
    EnvVar,
    ExecAction,
    Pod,
    PodSpec,
    Probe,
    ResourceRequirements,
    TCPSocketAction,
)
from kubelite.api.core.scheduling import (
    Affinity,
    NodeAffinity,
    NodeSelector,
    NodeSelectorRequirement,
    NodeSelectorTerm,
    Toleration,
)
from kubelite.api.core.volume import EmptyDirVolumeSource, Volume, VolumeMount
from kubelite.api.meta import ObjectMeta
from kubelite.api.validation import validate_create

LABEL = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start "
    "and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)


def exec_probe(**fields: int) -> Probe:
    return msgspec.structs.replace(Probe(exec=ExecAction(command=["true"])), **fields)


def pod(**spec: object) -> Pod:
    fields: dict[str, object] = {
        "containers": [Container(name="app", image="busybox:1.36")],
        "restart_policy": "Always",
        "termination_grace_period_seconds": 30,
        "dns_policy": "ClusterFirst",
    }
    fields.update(spec)
    return Pod(metadata=ObjectMeta(name="web", namespace="default"), spec=PodSpec(**fields))  # type: ignore[arg-type]  # fields are PodSpec's


def container(**fields: object) -> Container:
    values: dict[str, object] = {"name": "app", "image": "busybox:1.36"}
    values.update(fields)
    return Container(**values)  # type: ignore[arg-type]  # fields are Container's


def errors_of(obj: Pod) -> list[str]:
    return [str(error) for error in validate_create(obj)]


def full_container() -> Container:
    return container(
        ports=[ContainerPort(name="http", container_port=8080, protocol="TCP", host_port=80)],
        env=[EnvVar(name="MODE", value="x")],
        volume_mounts=[VolumeMount(name="data", mount_path="/data")],
        resources=ResourceRequirements(limits={"cpu": "1", "memory": "64Mi"}, requests={"cpu": "500m"}),
        liveness_probe=exec_probe(success_threshold=1, period_seconds=10, failure_threshold=3),
        readiness_probe=Probe(tcp_socket=TCPSocketAction(port="http"), success_threshold=2),
        startup_probe=exec_probe(),
    )


def full_affinity() -> Affinity:
    term = NodeSelectorTerm(
        match_expressions=[NodeSelectorRequirement(key="disk", operator="In", values=["ssd"])],
        match_fields=[NodeSelectorRequirement(key="metadata.name", operator="In", values=["n1"])],
    )
    required = NodeSelector(node_selector_terms=[term])
    return Affinity(node_affinity=NodeAffinity(required_during_scheduling_ignored_during_execution=required))


def test_a_full_pod_is_accepted() -> None:
    sidecar = container(
        name="sidecar", restart_policy="Always", readiness_probe=exec_probe(success_threshold=3)
    )
    full = pod(
        volumes=[Volume(name="data", empty_dir=EmptyDirVolumeSource())],
        init_containers=[container(name="setup"), sidecar],
        containers=[full_container()],
        tolerations=[
            Toleration(
                key="node.kubernetes.io/not-ready",
                operator="Exists",
                effect="NoExecute",
                toleration_seconds=300,
            ),
            Toleration(operator="Exists"),
            Toleration(key="dedicated", operator="Equal", value="gpu", effect="NoSchedule"),
        ],
        affinity=full_affinity(),
        node_selector={"kubernetes.io/os": "linux"},
        active_deadline_seconds=600,
    )
    assert errors_of(full) == []


def test_fields_left_to_defaulting_may_be_empty() -> None:
    bare = pod(restart_policy="", dns_policy="", termination_grace_period_seconds=None)
    bare.spec.containers[0].ports = [ContainerPort(container_port=80)]
    assert errors_of(bare) == []


Mutation = Callable[[Pod], None]


def _set(**fields: object) -> Mutation:
    def apply(target: Pod) -> None:
        for name, value in fields.items():
            setattr(target.spec, name, value)

    return apply


def _container(**fields: object) -> Mutation:
    def apply(target: Pod) -> None:
        for name, value in fields.items():
            setattr(target.spec.containers[0], name, value)

    return apply


CASES: list[tuple[str, Mutation, list[str]]] = [
    ("no-containers", _set(containers=[]), ["spec.containers: Required value"]),
    ("container-name", _container(name="App"), [f'spec.containers[0].name: Invalid value: "App": {LABEL}']),
    (
        "duplicate-container-names",
        _set(containers=[container(), container()]),
        ['spec.containers[1].name: Duplicate value: "app"'],
    ),
    (
        "init-container-name-clash",
        _set(init_containers=[container()]),
        ['spec.initContainers[0].name: Duplicate value: "app"'],
    ),
    ("image-required", _container(image=""), ["spec.containers[0].image: Required value"]),
    (
        "image-whitespace",
        _container(image=" busybox"),
        ['spec.containers[0].image: Invalid value: " busybox": must not have leading or trailing whitespace'],
    ),
    (
        "container-port-required",
        _container(ports=[ContainerPort(container_port=0)]),
        ["spec.containers[0].ports[0].containerPort: Required value"],
    ),
    (
        "container-port-range",
        _container(ports=[ContainerPort(container_port=70000)]),
        [
            "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"
        ],
    ),
    (
        "host-port-range",
        _container(ports=[ContainerPort(container_port=80, host_port=65536)]),
        [
            "spec.containers[0].ports[0].hostPort: Invalid value: 65536: must be between 1 and 65535, inclusive"
        ],
    ),
    (
        "protocol",
        _container(ports=[ContainerPort(container_port=80, protocol="HTTP")]),
        [
            'spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'
        ],
    ),
    (
        "host-port-clash",
        _set(
            containers=[
                container(ports=[ContainerPort(container_port=80, host_port=8080, protocol="TCP")]),
                container(name="b", ports=[ContainerPort(container_port=81, host_port=8080, protocol="TCP")]),
            ]
        ),
        ['spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"'],
    ),
    (
        "restart-policy",
        _set(restart_policy="Sometimes"),
        [
            'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'
        ],
    ),
    (
        "termination-grace-negative",
        _set(termination_grace_period_seconds=-1),
        ["spec.terminationGracePeriodSeconds: Invalid value: -1: must be greater than or equal to 0"],
    ),
    (
        "active-deadline-zero",
        _set(active_deadline_seconds=0),
        ["spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive"],
    ),
    (
        "active-deadline-too-big",
        _set(active_deadline_seconds=2**31),
        [
            "spec.activeDeadlineSeconds: Invalid value: 2147483648: must be between 1 and 2147483647, inclusive"
        ],
    ),
    (
        "kub9-liveness-success-threshold",
        _container(liveness_probe=exec_probe(success_threshold=2)),
        ["spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1"],
    ),
    (
        "kub9-startup-success-threshold",
        _container(startup_probe=exec_probe(success_threshold=3)),
        ["spec.containers[0].startupProbe.successThreshold: Invalid value: 3: must be 1"],
    ),
    (
        "probe-without-handler",
        _container(liveness_probe=Probe()),
        ["spec.containers[0].livenessProbe: Required value: must specify a handler type"],
    ),
    (
        "probe-two-handlers",
        _container(
            readiness_probe=Probe(exec=ExecAction(command=["x"]), tcp_socket=TCPSocketAction(port=80))
        ),
        ["spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type"],
    ),
    (
        "probe-negative-period",
        _container(readiness_probe=exec_probe(period_seconds=-1)),
        [
            "spec.containers[0].readinessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0"
        ],
    ),
    (
        "probe-exec-command",
        _container(liveness_probe=Probe(exec=ExecAction())),
        ["spec.containers[0].livenessProbe.exec.command: Required value"],
    ),
    (
        "probe-port",
        _container(liveness_probe=Probe(tcp_socket=TCPSocketAction(port=0))),
        [
            "spec.containers[0].livenessProbe.tcpSocket.port: Invalid value: 0: must be between 1 and 65535, inclusive"
        ],
    ),
    (
        "init-container-probe",
        _set(init_containers=[container(name="init", liveness_probe=exec_probe())]),
        [
            "spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always"
        ],
    ),
    (
        "container-restart-policy",
        _container(restart_policy="Always"),
        ["spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers"],
    ),
]


@pytest.mark.parametrize(("mutate", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_pod_rejections(mutate: Mutation, expected: list[str]) -> None:
    target = pod()
    mutate(target)
    assert errors_of(target) == expected


def test_readiness_probe_may_need_several_successes() -> None:
    assert errors_of(pod(containers=[container(readiness_probe=exec_probe(success_threshold=3))])) == []


def test_api6_pod_name_is_a_subdomain() -> None:
    target = pod()
    target.metadata.name = "web.example-1"
    assert errors_of(target) == []
    target.metadata.name = "Web"
    assert [e.field for e in validate_create(target)] == ["metadata.name"]
