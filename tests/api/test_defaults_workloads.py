"""Defaulting of workload kinds: DEP-1 (Deployment), RS-1 (ReplicaSet), RS-11
(ReplicationController) and JOB-1 (Job, including the create-time selector)."""

from __future__ import annotations

from typing import Any

import pytest

from kubelite.api.apps import (
    Deployment,
    DeploymentSpec,
    DeploymentStrategy,
    ReplicaSet,
    ReplicaSetSpec,
    RollingUpdateDeployment,
)
from kubelite.api.batch import (
    Job,
    JobSpec,
    PodFailurePolicy,
    PodFailurePolicyOnPodConditionsPattern,
    PodFailurePolicyRule,
)
from kubelite.api.core import ReplicationController, ReplicationControllerSpec
from kubelite.api.defaults import apply_defaults
from kubelite.api.meta import LabelSelector, ObjectMeta

from .test_defaults import UID, defaulted, template

ROLLING = {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}}


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (
            DeploymentSpec(),
            {"replicas": 1, "strategy": ROLLING, "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600},
        ),
        (
            DeploymentSpec(replicas=0, revision_history_limit=0, progress_deadline_seconds=30),
            {"replicas": 0, "strategy": ROLLING, "revisionHistoryLimit": 0, "progressDeadlineSeconds": 30},
        ),
        (
            DeploymentSpec(strategy=DeploymentStrategy(type="Recreate")),
            {
                "replicas": 1,
                "strategy": {"type": "Recreate"},
                "revisionHistoryLimit": 10,
                "progressDeadlineSeconds": 600,
            },
        ),
        (
            DeploymentSpec(strategy=DeploymentStrategy(rolling_update=RollingUpdateDeployment(max_surge=0))),
            {
                "replicas": 1,
                "strategy": {
                    "type": "RollingUpdate",
                    "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": 0},
                },
                "revisionHistoryLimit": 10,
                "progressDeadlineSeconds": 600,
            },
        ),
    ],
    ids=["unset", "explicit-zeros", "recreate", "partial-rolling-update"],
)
def test_dep1_deployment_defaults(spec: DeploymentSpec, expected: dict[str, Any]) -> None:
    spec.template = template()
    encoded = defaulted(Deployment(metadata=ObjectMeta(name="d"), spec=spec))["spec"]
    assert {key: encoded[key] for key in expected} == expected
    assert encoded["template"]["spec"]["restartPolicy"] == "Always"
    assert "minReadySeconds" not in encoded and "paused" not in encoded, "zero values stay implicit"


@pytest.mark.parametrize(("replicas", "expected"), [(None, 1), (0, 0), (4, 4)], ids=["unset", "zero", "four"])
def test_rs1_replica_set_replicas(replicas: int | None, expected: int) -> None:
    rs = ReplicaSet(
        metadata=ObjectMeta(name="r"), spec=ReplicaSetSpec(replicas=replicas, template=template())
    )
    encoded = defaulted(rs)["spec"]
    assert encoded["replicas"] == expected
    assert encoded["template"]["spec"]["dnsPolicy"] == "ClusterFirst"
    assert "selector" not in encoded, "apps/v1 never defaults the selector"


@pytest.mark.parametrize(
    ("selector", "labels", "expected_selector", "expected_labels"),
    [
        ({}, {}, {"app": "x"}, {"app": "x"}),
        ({"app": "x", "v": "1"}, {}, {"app": "x", "v": "1"}, {"app": "x"}),
        ({}, {"team": "a"}, {"app": "x"}, {"team": "a"}),
    ],
    ids=["both-from-template", "selector-kept", "labels-kept"],
)
def test_rs11_replication_controller_defaults(
    selector: dict[str, str],
    labels: dict[str, str],
    expected_selector: dict[str, str],
    expected_labels: dict[str, str],
) -> None:
    rc = ReplicationController(
        metadata=ObjectMeta(name="rc", labels=dict(labels)),
        spec=ReplicationControllerSpec(selector=dict(selector), template=template()),
    )
    apply_defaults(rc, creating=True)
    assert rc.spec.replicas == 1
    assert (rc.spec.selector, rc.metadata.labels) == (expected_selector, expected_labels)
    rc.spec.selector["extra"] = "y"
    assert rc.spec.template is not None and rc.spec.template.metadata.labels == {"app": "x"}, (
        "copies, not aliases"
    )


def test_rs11_replication_controller_without_template() -> None:
    rc = ReplicationController(metadata=ObjectMeta(name="rc"), spec=ReplicationControllerSpec(replicas=0))
    assert defaulted(rc)["spec"] == {"replicas": 0}


def job(spec: JobSpec | None = None, *, uid: str = UID, labels: dict[str, str] | None = None) -> Job:
    spec = spec or JobSpec()
    spec.template = template(restart_policy="Never")
    return Job(metadata=ObjectMeta(name="pi", namespace="default", uid=uid, labels=labels or {}), spec=spec)


@pytest.mark.parametrize(
    ("completions", "parallelism", "expected"),
    [(None, None, (1, 1)), (None, 3, (None, 3)), (5, None, (5, 1)), (0, 0, (0, 0))],
    ids=["both-unset", "work-queue", "fixed-count", "zeros-kept"],
)
def test_job1_completions_and_parallelism(
    completions: int | None, parallelism: int | None, expected: tuple[int | None, int | None]
) -> None:
    obj = job(JobSpec(completions=completions, parallelism=parallelism))
    apply_defaults(obj, creating=True)
    assert (obj.spec.completions, obj.spec.parallelism) == expected


@pytest.mark.parametrize(
    ("spec", "backoff", "replacement"),
    [
        (JobSpec(), 6, "TerminatingOrFailed"),
        (JobSpec(backoff_limit=0), 0, "TerminatingOrFailed"),
        (JobSpec(backoff_limit_per_index=1, completion_mode="Indexed"), 2147483647, "TerminatingOrFailed"),
        (
            JobSpec(pod_failure_policy=PodFailurePolicy(rules=[PodFailurePolicyRule(action="FailJob")])),
            6,
            "Failed",
        ),
        (JobSpec(pod_replacement_policy="Failed"), 6, "Failed"),
    ],
    ids=["unset", "zero-kept", "per-index", "pod-failure-policy", "explicit"],
)
def test_job1_backoff_and_replacement(spec: JobSpec, backoff: int, replacement: str) -> None:
    obj = job(spec)
    apply_defaults(obj, creating=True)
    assert (obj.spec.backoff_limit, obj.spec.pod_replacement_policy) == (backoff, replacement)
    assert obj.spec.suspend is False
    assert obj.spec.completion_mode == (spec.completion_mode or "NonIndexed")


def test_job1_pod_condition_patterns_default_to_true() -> None:
    pattern = PodFailurePolicyOnPodConditionsPattern(type="DisruptionTarget")
    rule = PodFailurePolicyRule(action="Ignore", on_pod_conditions=[pattern])
    obj = job(JobSpec(pod_failure_policy=PodFailurePolicy(rules=[rule])))
    apply_defaults(obj, creating=True)
    assert pattern.status == "True"


GENERATED = {
    "app": "x",
    "batch.kubernetes.io/controller-uid": UID,
    "batch.kubernetes.io/job-name": "pi",
    "controller-uid": UID,
    "job-name": "pi",
}


def test_job1_selector_and_labels_are_generated_on_create() -> None:
    encoded = defaulted(job(), creating=True)
    assert encoded["spec"]["selector"] == {"matchLabels": {"batch.kubernetes.io/controller-uid": UID}}
    assert encoded["spec"]["template"]["metadata"]["labels"] == GENERATED
    assert encoded["metadata"]["labels"] == {"app": "x"}, "job labels come from the user's template labels"


def test_job1_labels_of_a_job_whose_template_had_none() -> None:
    obj = job()
    obj.spec.template.metadata.labels = {}
    apply_defaults(obj, creating=True)
    expected = {key: value for key, value in GENERATED.items() if key != "app"}
    assert obj.metadata.labels == expected == obj.spec.template.metadata.labels


def test_job1_existing_selector_is_extended_and_user_labels_kept() -> None:
    obj = job(JobSpec(selector=LabelSelector(match_labels={"app": "x"})), labels={"team": "a"})
    obj.spec.template.metadata.labels["job-name"] = "custom"
    apply_defaults(obj, creating=True)
    assert obj.spec.selector is not None
    assert obj.spec.selector.match_labels == {"app": "x", "batch.kubernetes.io/controller-uid": UID}
    assert obj.spec.template.metadata.labels["job-name"] == "custom", "a conflict is left to validation"
    assert obj.metadata.labels == {"team": "a"}


@pytest.mark.parametrize(
    ("obj", "creating"),
    [
        (job(JobSpec(manual_selector=True, selector=LabelSelector(match_labels={"app": "x"}))), True),
        (job(), False),
        (job(uid=""), True),
    ],
    ids=["manual-selector", "update", "no-uid-yet"],
)
def test_job1_no_generated_selector(obj: Job, creating: bool) -> None:
    selector_before = obj.spec.selector
    apply_defaults(obj, creating=creating)
    assert obj.spec.selector == selector_before
    assert obj.spec.template.metadata.labels == {"app": "x"}


def test_job1_creating_is_inferred_from_resource_version() -> None:
    fresh, stored = job(), job()
    stored.metadata.resource_version = "7"
    apply_defaults(fresh)
    apply_defaults(stored)
    assert fresh.spec.selector is not None and stored.spec.selector is None
