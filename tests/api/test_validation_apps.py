"""DEP-2 (every bullet), RS-1 and RS-11: workload selectors, templates and strategies."""

from __future__ import annotations

import msgspec
import pytest

from kubelite.api.apps import Deployment, DeploymentSpec, ReplicaSet, ReplicaSetSpec
from kubelite.api.apps.deployment import DeploymentStrategy, RollingUpdateDeployment
from kubelite.api.core import Container, PodSpec, PodTemplateSpec, ReplicationController
from kubelite.api.core.replicationcontroller import ReplicationControllerSpec
from kubelite.api.meta import LabelSelector, LabelSelectorRequirement, ObjectMeta
from kubelite.api.validation import validate_create, validate_update

MISMATCH = "`selector` does not match template `labels`"


def template(labels: dict[str, str] | None = None, **spec: object) -> PodTemplateSpec:
    fields: dict[str, object] = {
        "containers": [Container(name="web", image="busybox:1.36")],
        "restart_policy": "Always",
    }
    fields.update(spec)
    return PodTemplateSpec(
        metadata=ObjectMeta(labels={"app": "web"} if labels is None else labels),
        spec=PodSpec(**fields),  # type: ignore[arg-type]  # fields are PodSpec's
    )


def deployment(**spec: object) -> Deployment:
    """A Deployment as it looks after defaulting (DEP-1)."""
    fields: dict[str, object] = {
        "replicas": 3,
        "selector": LabelSelector(match_labels={"app": "web"}),
        "template": template(),
        "strategy": DeploymentStrategy(
            type="RollingUpdate",
            rolling_update=RollingUpdateDeployment(max_surge="25%", max_unavailable="25%"),
        ),
        "revision_history_limit": 10,
        "progress_deadline_seconds": 600,
    }
    fields.update(spec)
    meta = ObjectMeta(name="web", namespace="default", uid="u1", creation_timestamp="2024-01-01T00:00:00Z")
    return Deployment(metadata=meta, spec=DeploymentSpec(**fields))  # type: ignore[arg-type]  # fields are DeploymentSpec's


def rolling(surge: int | str | None, unavailable: int | str | None) -> DeploymentStrategy:
    return DeploymentStrategy(
        type="RollingUpdate",
        rolling_update=RollingUpdateDeployment(max_surge=surge, max_unavailable=unavailable),
    )


def errors_of(obj: Deployment | ReplicaSet | ReplicationController) -> list[str]:
    return [str(e) for e in validate_create(obj)]


def test_defaulted_deployment_is_accepted() -> None:
    assert errors_of(deployment()) == []
    assert (
        errors_of(deployment(strategy=DeploymentStrategy(type="Recreate"), progress_deadline_seconds=None))
        == []
    )
    assert errors_of(deployment(strategy=rolling(0, 1))) == []


DEPLOYMENT_CASES: list[tuple[str, dict[str, object], list[str]]] = [
    (
        "dep2-missing-selector",
        {"selector": None},
        [
            "spec.selector: Required value",
            f'spec.template.metadata.labels: Invalid value: {{"app":"web"}}: {MISMATCH}',
        ],
    ),
    (
        "dep2-empty-selector",
        {"selector": LabelSelector()},
        ["spec.selector: Invalid value: {}: empty selector is invalid for deployment"],
    ),
    (
        "dep2-selector-mismatch",
        {"selector": LabelSelector(match_labels={"app": "zzz"})},
        [f'spec.template.metadata.labels: Invalid value: {{"app":"web"}}: {MISMATCH}'],
    ),
    (
        "dep2-bad-selector-operator",
        {"selector": LabelSelector(match_expressions=[LabelSelectorRequirement(key="app", operator="Near")])},
        [
            'spec.selector.matchExpressions[0].operator: Invalid value: "Near": not a valid selector operator',
            'spec.selector: Invalid value: {"matchExpressions":[{"key":"app","operator":"Near"}]}: invalid label selector',
        ],
    ),
    (
        "dep2-restart-policy",
        {"template": template(restart_policy="OnFailure")},
        ['spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"'],
    ),
    (
        "dep2-rolling-update-with-recreate",
        {
            "strategy": DeploymentStrategy(
                type="Recreate", rolling_update=RollingUpdateDeployment(max_surge=1)
            )
        },
        ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
    ),
    (
        "dep2-both-zero",
        {"strategy": rolling(0, 0)},
        ["spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0"],
    ),
    (
        "dep2-both-zero-percent",
        {"strategy": rolling("0%", "0%")},
        [
            'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0'
        ],
    ),
    (
        "dep2-max-unavailable-above-100",
        {"strategy": rolling(1, "101%")},
        ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "101%": must not be greater than 100%'],
    ),
    (
        "dep2-progress-deadline-not-above-min-ready",
        {"progress_deadline_seconds": 10, "min_ready_seconds": 10},
        ["spec.progressDeadlineSeconds: Invalid value: 10: must be greater than minReadySeconds"],
    ),
    (
        "dep2-negative-replicas",
        {"replicas": -1},
        ["spec.replicas: Invalid value: -1: must be greater than or equal to 0"],
    ),
    (
        "dep2-negative-revision-history",
        {"revision_history_limit": -1},
        ["spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0"],
    ),
    (
        "bad-percent",
        {"strategy": rolling("25", "25%")},
        [
            'spec.strategy.rollingUpdate.maxSurge: Invalid value: "25": a valid percent string must be a numeric '
            "string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"
        ],
    ),
    (
        "negative-surge",
        {"strategy": rolling(-1, 1)},
        ["spec.strategy.rollingUpdate.maxSurge: Invalid value: -1: must be greater than or equal to 0"],
    ),
    (
        "unknown-strategy",
        {"strategy": DeploymentStrategy(type="BlueGreen")},
        [
            'spec.strategy: Unsupported value: {"type":"BlueGreen"}: supported values: "Recreate", "RollingUpdate"'
        ],
    ),
    (
        "active-deadline-in-template",
        {"template": template(active_deadline_seconds=5)},
        [
            "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported"
        ],
    ),
    (
        "template-label-key",
        {"template": template({"app": "web", "bad key": "x"})},
        [
            'spec.template.labels: Invalid value: "bad key": name part must consist of alphanumeric characters, '
            "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name', "
            " or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
        ],
    ),
    (
        "template-container-image",
        {"template": template(containers=[Container(name="web")])},
        ["spec.template.spec.containers[0].image: Required value"],
    ),
]


@pytest.mark.parametrize(
    ("spec", "expected"), [c[1:] for c in DEPLOYMENT_CASES], ids=[c[0] for c in DEPLOYMENT_CASES]
)
def test_deployment_rejections(spec: dict[str, object], expected: list[str]) -> None:
    assert errors_of(deployment(**spec)) == expected


def test_dep2_selector_is_immutable() -> None:
    old = deployment()
    new = deployment(
        selector=LabelSelector(match_labels={"app": "web", "tier": "x"}),
        template=template({"app": "web", "tier": "x"}),
    )
    assert [str(e) for e in validate_update(new, old)] == [
        'spec.selector: Invalid value: {"matchLabels":{"app":"web","tier":"x"}}: field is immutable'
    ]
    assert (
        validate_update(
            deployment(replicas=9, template=template(restart_policy="Always", dns_policy="Default")), old
        )
        == []
    )


def test_deployment_status_and_metadata_updates_pass() -> None:
    old = deployment()
    new = msgspec.structs.replace(old, metadata=msgspec.structs.replace(old.metadata, labels={"team": "a"}))
    new.status.replicas = 3
    assert validate_update(new, old) == []


def replica_set(**spec: object) -> ReplicaSet:
    fields: dict[str, object] = {
        "replicas": 2,
        "selector": LabelSelector(match_labels={"app": "web"}),
        "template": template(),
    }
    fields.update(spec)
    return ReplicaSet(metadata=ObjectMeta(name="web-1", namespace="default"), spec=ReplicaSetSpec(**fields))  # type: ignore[arg-type]  # fields are ReplicaSetSpec's


RS_CASES: list[tuple[str, dict[str, object], list[str]]] = [
    ("ok", {}, []),
    (
        "rs1-missing-selector",
        {"selector": None},
        [
            "spec.selector: Required value",
            f'spec.template.metadata.labels: Invalid value: {{"app":"web"}}: {MISMATCH}',
        ],
    ),
    (
        "rs1-empty-selector",
        {"selector": LabelSelector()},
        ["spec.selector: Invalid value: {}: empty selector is invalid for deployment"],
    ),
    (
        "rs1-mismatch",
        {
            "selector": LabelSelector(
                match_expressions=[LabelSelectorRequirement(key="app", operator="NotIn", values=["web"])]
            )
        },
        [f'spec.template.metadata.labels: Invalid value: {{"app":"web"}}: {MISMATCH}'],
    ),
    (
        "rs1-negative-replicas",
        {"replicas": -1},
        ["spec.replicas: Invalid value: -1: must be greater than or equal to 0"],
    ),
    (
        "rs1-negative-min-ready",
        {"min_ready_seconds": -1},
        ["spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0"],
    ),
    (
        "rs1-restart-policy",
        {"template": template(restart_policy="Never")},
        ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    ),
]


@pytest.mark.parametrize(("spec", "expected"), [c[1:] for c in RS_CASES], ids=[c[0] for c in RS_CASES])
def test_replica_set_validation(spec: dict[str, object], expected: list[str]) -> None:
    assert errors_of(replica_set(**spec)) == expected


def test_rs1_selector_is_immutable() -> None:
    old = replica_set()
    new = replica_set(
        selector=LabelSelector(match_labels={"app": "web", "v": "2"}),
        template=template({"app": "web", "v": "2"}),
    )
    assert [e.field for e in validate_update(new, old)] == ["spec.selector"]


def controller(**spec: object) -> ReplicationController:
    fields: dict[str, object] = {"replicas": 1, "selector": {"app": "web"}, "template": template()}
    fields.update(spec)
    return ReplicationController(
        metadata=ObjectMeta(name="web", namespace="default"),
        spec=ReplicationControllerSpec(**fields),  # type: ignore[arg-type]  # fields are ReplicationControllerSpec's
    )


RC_CASES: list[tuple[str, dict[str, object], list[str]]] = [
    ("ok", {}, []),
    ("rs11-selector-required", {"selector": {}}, ["spec.selector: Required value"]),
    (
        "rs11-selector-must-match",
        {"selector": {"app": "db"}},
        [f'spec.template.metadata.labels: Invalid value: {{"app":"web"}}: {MISMATCH}'],
    ),
    ("rs11-template-required", {"template": None}, ["spec.template: Required value"]),
    (
        "rs11-negative-replicas",
        {"replicas": -2},
        ["spec.replicas: Invalid value: -2: must be greater than or equal to 0"],
    ),
    (
        "rs11-active-deadline",
        {"template": template(active_deadline_seconds=1)},
        [
            "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in "
            "ReplicationController is not Supported"
        ],
    ),
]


@pytest.mark.parametrize(("spec", "expected"), [c[1:] for c in RC_CASES], ids=[c[0] for c in RC_CASES])
def test_replication_controller_validation(spec: dict[str, object], expected: list[str]) -> None:
    assert errors_of(controller(**spec)) == expected


def test_rs11_rc_selector_may_change() -> None:
    old = controller()
    new = controller(selector={"app": "web", "v": "2"}, template=template({"app": "web", "v": "2"}))
    assert validate_update(new, old) == []
