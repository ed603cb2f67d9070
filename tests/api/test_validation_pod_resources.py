"""Pod validation on create: resources (quantities, requests ≤ limits), volumes and mounts, env,
tolerations and affinity, with Kubernetes' exact messages."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kubelite.api.core import (
    Container,
    EnvVar,
    Pod,
    PodSpec,
    ResourceRequirements,
)
from kubelite.api.core.scheduling import (
    Affinity,
    NodeAffinity,
    NodeSelector,
    NodeSelectorRequirement,
    NodeSelectorTerm,
    PodAffinity,
    PodAffinityTerm,
    PreferredSchedulingTerm,
    Toleration,
)
from kubelite.api.core.volume import EmptyDirVolumeSource, Volume, VolumeMount
from kubelite.api.meta import LabelSelector, ObjectMeta
from kubelite.api.validation import validate_create

LABEL = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start "
    "and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)
QUANTITY = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
SELECTOR_TERMS = "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms"


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


def _toleration(**fields: object) -> Mutation:
    return _set(tolerations=[Toleration(**fields)])  # type: ignore[arg-type]  # fields are Toleration's


def _node_terms(*terms: NodeSelectorTerm) -> Mutation:
    selector = NodeSelector(node_selector_terms=list(terms))
    return _set(
        affinity=Affinity(
            node_affinity=NodeAffinity(required_during_scheduling_ignored_during_execution=selector)
        )
    )


CASES: list[tuple[str, Mutation, list[str]]] = [
    (
        "quantity-unparseable",
        _container(resources=ResourceRequirements(limits={"cpu": "lots"})),
        [f'spec.containers[0].resources.limits[cpu]: Invalid value: "lots": {QUANTITY}'],
    ),
    (
        "request-above-limit",
        _container(resources=ResourceRequirements(limits={"cpu": "1"}, requests={"cpu": "2"})),
        [
            'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1'
        ],
    ),
    (
        "negative-quantity",
        _container(resources=ResourceRequirements(requests={"memory": "-1"})),
        [
            'spec.containers[0].resources.requests[memory]: Invalid value: "-1": must be greater than or equal to 0'
        ],
    ),
    (
        "unknown-resource",
        _container(resources=ResourceRequirements(limits={"gpu": "1"})),
        [
            'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified',
            'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers',
        ],
    ),
    (
        "extended-resource-needs-limit",
        _container(resources=ResourceRequirements(requests={"example.com/gpu": "1"})),
        [
            "spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources"
        ],
    ),
    (
        "quantity-suffix",
        _container(resources=ResourceRequirements(limits={"memory": "1Qi"})),
        [
            'spec.containers[0].resources.limits[memory]: Invalid value: "1Qi": '
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
        ],
    ),
    (
        "request-above-limit-canonical",
        _container(resources=ResourceRequirements(limits={"memory": "1Gi"}, requests={"memory": "1.5Gi"})),
        [
            'spec.containers[0].resources.requests: Invalid value: "1536Mi": '
            "must be less than or equal to memory limit of 1Gi"
        ],
    ),
    (
        "extended-resource-whole",
        _container(
            resources=ResourceRequirements(
                limits={"example.com/gpu": "500m"}, requests={"example.com/gpu": "500m"}
            )
        ),
        [
            "spec.containers[0].resources.limits[example.com/gpu]: Invalid value: 500m: must be an integer",
            "spec.containers[0].resources.requests[example.com/gpu]: Invalid value: 500m: must be an integer",
        ],
    ),
    (
        "extended-resource-request-equals-limit",
        _container(
            resources=ResourceRequirements(limits={"example.com/gpu": "2"}, requests={"example.com/gpu": "1"})
        ),
        [
            'spec.containers[0].resources.requests: Invalid value: "1": must be equal to example.com/gpu limit of 2'
        ],
    ),
    (
        "duplicate-volumes",
        _set(volumes=[Volume(name="data", empty_dir=EmptyDirVolumeSource())] * 2),
        ['spec.volumes[1].name: Duplicate value: "data"'],
    ),
    (
        "volume-without-source",
        _set(volumes=[Volume(name="data")]),
        ["spec.volumes[0]: Required value: must specify a volume type"],
    ),
    (
        "volume-name",
        _set(volumes=[Volume(name="Data", empty_dir=EmptyDirVolumeSource())]),
        [f'spec.volumes[0].name: Invalid value: "Data": {LABEL}'],
    ),
    (
        "mount-of-undeclared-volume",
        _container(volume_mounts=[VolumeMount(name="missing", mount_path="/x")]),
        ['spec.containers[0].volumeMounts[0].name: Not found: "missing"'],
    ),
    (
        "env-name",
        _container(env=[EnvVar(name="A=B")]),
        [
            'spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must '
            "consist only of printable ASCII characters other than '='"
        ],
    ),
    (
        "toleration-exists-with-value",
        _toleration(key="k", operator="Exists", value="v"),
        [
            'spec.tolerations[0].operator: Invalid value: {"key":"k","operator":"Exists","value":"v"}: '
            "value must be empty when `operator` is 'Exists'"
        ],
    ),
    (
        "toleration-effect",
        _toleration(key="k", operator="Exists", effect="Sometimes"),
        [
            'spec.tolerations[0].effect: Unsupported value: "Sometimes": supported values: '
            '"NoSchedule", "PreferNoSchedule", "NoExecute"'
        ],
    ),
    (
        "toleration-empty-key",
        _toleration(operator="Equal"),
        [
            'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is '
            'empty, which means "match all values and all keys"'
        ],
    ),
    (
        "toleration-seconds-without-noexecute",
        _toleration(key="k", operator="Exists", effect="NoSchedule", toleration_seconds=5),
        [
            'spec.tolerations[0].effect: Invalid value: "NoSchedule": effect must be '
            "'NoExecute' when `tolerationSeconds` is set"
        ],
    ),
    (
        "toleration-operator",
        _toleration(key="k", operator="Near"),
        ['spec.tolerations[0].operator: Unsupported value: "Near": supported values: "Equal", "Exists"'],
    ),
    (
        "node-affinity-no-terms",
        _node_terms(),
        [f"{SELECTOR_TERMS}: Required value: must have at least one node selector term"],
    ),
    (
        "node-affinity-operator",
        _node_terms(NodeSelectorTerm(match_expressions=[NodeSelectorRequirement(key="k", operator="Near")])),
        [
            f'{SELECTOR_TERMS}[0].matchExpressions[0].operator: Invalid value: "Near": not a valid selector operator'
        ],
    ),
    (
        "node-affinity-gt-values",
        _node_terms(
            NodeSelectorTerm(
                match_expressions=[NodeSelectorRequirement(key="k", operator="Gt", values=["1", "2"])]
            )
        ),
        [
            f"{SELECTOR_TERMS}[0].matchExpressions[0].values: Required value: must be specified single "
            "value when `operator` is 'Lt' or 'Gt'"
        ],
    ),
    (
        "node-affinity-field-key",
        _node_terms(
            NodeSelectorTerm(
                match_fields=[NodeSelectorRequirement(key="spec.x", operator="In", values=["a"])]
            )
        ),
        [f'{SELECTOR_TERMS}[0].matchFields[0].key: Invalid value: "spec.x": not a valid field selector key'],
    ),
    (
        "preferred-weight",
        _set(
            affinity=Affinity(
                node_affinity=NodeAffinity(
                    preferred_during_scheduling_ignored_during_execution=[
                        PreferredSchedulingTerm(weight=0, preference=NodeSelectorTerm())
                    ]
                )
            )
        ),
        [
            "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: "
            "Invalid value: 0: must be in the range 1-100"
        ],
    ),
    (
        "pod-affinity-topology-key",
        _set(
            affinity=Affinity(
                pod_affinity=PodAffinity(
                    required_during_scheduling_ignored_during_execution=[
                        PodAffinityTerm(
                            label_selector=LabelSelector(match_labels={"a": "b"}), topology_key=""
                        )
                    ]
                )
            )
        ),
        [
            "spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: "
            "Required value: can not be empty",
            'spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Invalid value: "": '
            "name part must be non-empty",
            'spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Invalid value: "": '
            "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
            "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
            "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        ],
    ),
    (
        "node-name",
        _set(node_name="Node_1"),
        [
            'spec.nodeName: Invalid value: "Node_1": a lowercase RFC 1123 subdomain must consist of lower case '
            "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
            r"'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
        ],
    ),
]


@pytest.mark.parametrize(("mutate", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_pod_rejections(mutate: Mutation, expected: list[str]) -> None:
    target = pod()
    mutate(target)
    assert errors_of(target) == expected
