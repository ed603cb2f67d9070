"""JOB-1 and JOB-6: Job names, counts, completion modes, restart policy, selector; update immutability."""

from __future__ import annotations

import msgspec
import pytest

from kubelite.api.batch import Job, JobSpec
from kubelite.api.batch.job import (
    PodFailurePolicy,
    PodFailurePolicyOnExitCodesRequirement,
    PodFailurePolicyRule,
)
from kubelite.api.core import Container, PodSpec, PodTemplateSpec
from kubelite.api.meta import LabelSelector, ObjectMeta
from kubelite.api.validation import validate_create, validate_update

UID_LABEL = {"batch.kubernetes.io/controller-uid": "u1"}
LABELS = (
    '{"batch.kubernetes.io/controller-uid":"u1","batch.kubernetes.io/job-name":"pi",'
    '"controller-uid":"u1","job-name":"pi"}'
)
MISMATCH = "`selector` does not match template `labels`"


def labels_for(name: str) -> dict[str, str]:
    """The four labels selector generation gives the template of Job `name` with uid u1 (JOB-1)."""
    return {**UID_LABEL, "controller-uid": "u1", "batch.kubernetes.io/job-name": name, "job-name": name}


def template(**spec: object) -> PodTemplateSpec:
    fields: dict[str, object] = {
        "containers": [Container(name="work", image="busybox:1.36")],
        "restart_policy": "Never",
    }
    fields.update(spec)
    return PodTemplateSpec(metadata=ObjectMeta(labels=dict(UID_LABEL)), spec=PodSpec(**fields))  # type: ignore[arg-type]  # fields are PodSpec's


def job(name: str = "pi", **spec: object) -> Job:
    """A Job as it looks after defaulting and selector generation (JOB-1)."""
    fields: dict[str, object] = {
        "parallelism": 1,
        "completions": 1,
        "backoff_limit": 6,
        "completion_mode": "NonIndexed",
        "selector": LabelSelector(match_labels=dict(UID_LABEL)),
        "template": template(),
    }
    fields.update(spec)
    fields["template"] = _named(fields["template"], name)  # type: ignore[arg-type]  # a PodTemplateSpec
    meta = ObjectMeta(name=name, namespace="default", uid="u1", creation_timestamp="2024-01-01T00:00:00Z")
    return Job(metadata=meta, spec=JobSpec(**fields))  # type: ignore[arg-type]  # fields are JobSpec's


def _named(tmpl: PodTemplateSpec, name: str) -> PodTemplateSpec:
    """`tmpl` with the generated labels for Job `name` (a copy; the labels it sets itself win)."""
    metadata = msgspec.structs.replace(tmpl.metadata, labels={**labels_for(name), **tmpl.metadata.labels})
    return msgspec.structs.replace(tmpl, metadata=metadata)


def errors_of(obj: Job) -> list[str]:
    return [str(e) for e in validate_create(obj)]


def test_defaulted_jobs_are_accepted() -> None:
    assert errors_of(job()) == []
    assert errors_of(job(template=template(restart_policy="OnFailure"), completions=None)) == []
    assert errors_of(job(completion_mode="Indexed", completions=100000, parallelism=100000)) == []
    assert errors_of(job("x" * 63)) == []
    assert errors_of(job(managed_by="kubernetes.io/job-controller")) == []
    assert errors_of(job(managed_by="acme.io/" + "x" * 55)) == []


LONG = "x" * 64
INDEXED_NAME = "a" * 60
CASES: list[tuple[str, str, dict[str, object], list[str]]] = [
    (
        "job1-restart-always",
        "pi",
        {"template": template(restart_policy="Always")},
        ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"'],
    ),
    (
        "job1-restart-unknown",
        "pi",
        {"template": template(restart_policy="Sometimes")},
        [
            'spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
            'spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "OnFailure", "Never"',
        ],
    ),
    (
        "job1-name-too-long",
        LONG,
        {},
        [
            f'metadata.name: Invalid value: "{LONG}": must be no more than 63 characters',
            f'spec.template.labels: Invalid value: "{LONG}": must be no more than 63 characters',
        ],
    ),
    (
        "job1-negative-parallelism",
        "pi",
        {"parallelism": -1},
        ["spec.parallelism: Invalid value: -1: must be greater than or equal to 0"],
    ),
    (
        "job1-negative-completions",
        "pi",
        {"completions": -1},
        ["spec.completions: Invalid value: -1: must be greater than or equal to 0"],
    ),
    (
        "job1-negative-backoff",
        "pi",
        {"backoff_limit": -1},
        ["spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0"],
    ),
    (
        "job1-negative-deadline",
        "pi",
        {"active_deadline_seconds": -5},
        ["spec.activeDeadlineSeconds: Invalid value: -5: must be greater than or equal to 0"],
    ),
    (
        "job6-indexed-completions-limit",
        "pi",
        {"completion_mode": "Indexed", "completions": 100001},
        [
            "spec.completions: Invalid value: 100001: must be less than or equal to 100000 when completion mode is Indexed"
        ],
    ),
    (
        "job6-indexed-parallelism-limit",
        "pi",
        {"completion_mode": "Indexed", "parallelism": 100001, "completions": 5},
        [
            "spec.parallelism: Invalid value: 100001: must be less than or equal to 100000 when completion mode is Indexed"
        ],
    ),
    (
        "job6-indexed-needs-completions",
        "pi",
        {"completion_mode": "Indexed", "completions": None},
        ["spec.completions: Required value: when completion mode is Indexed"],
    ),
    (
        "job6-indexed-hostnames",
        INDEXED_NAME,
        {"completion_mode": "Indexed", "completions": 1000},
        [
            f'metadata.name: Invalid value: "{INDEXED_NAME}": will not able to create pod with invalid DNS label: {INDEXED_NAME}-999'
        ],
    ),
    (
        "job6-max-failed-indexes-above-completions",
        "pi",
        {
            "completion_mode": "Indexed",
            "completions": 3,
            "backoff_limit_per_index": 1,
            "max_failed_indexes": 4,
        },
        ["spec.maxFailedIndexes: Invalid value: 4: must be less than or equal to completions"],
    ),
    (
        "job6-max-failed-indexes-limit",
        "pi",
        {
            "completion_mode": "Indexed",
            "completions": 100000,
            "backoff_limit_per_index": 1,
            "max_failed_indexes": 100001,
        },
        [
            "spec.maxFailedIndexes: Invalid value: 100001: must be less than or equal to completions",
            "spec.maxFailedIndexes: Invalid value: 100001: must be less than or equal to 100000",
        ],
    ),
    ("managed-by-empty", "pi", {"managed_by": ""}, ["spec.managedBy: Required value"]),
    (
        "managed-by-no-path",
        "pi",
        {"managed_by": "acme.io"},
        ['spec.managedBy: Invalid value: "acme.io": must be a domain-prefixed path (such as "acme.io/foo")'],
    ),
    (
        "managed-by-bad-host-and-path",
        "pi",
        {"managed_by": "Acme.io/a b"},
        [
            'spec.managedBy: Invalid value: "Acme.io": a lowercase RFC 1123 subdomain must consist of lower '
            "case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character "
            "(e.g. 'example.com', regex used for validation is "
            "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
            'spec.managedBy: Invalid value: "a b": Invalid path (regex used for validation is '
            "'[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')",
        ],
    ),
    (
        "managed-by-too-long",
        "pi",
        {"managed_by": "acme.io/" + "x" * 56},
        ["spec.managedBy: Too long: may not be more than 63 bytes"],
    ),
    (
        "completion-mode",
        "pi",
        {"completion_mode": "Sometimes"},
        ['spec.completionMode: Unsupported value: "Sometimes": supported values: "NonIndexed", "Indexed"'],
    ),
    (
        "per-index-needs-indexed",
        "pi",
        {"backoff_limit_per_index": 1},
        ["spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode"],
    ),
    (
        "job1-selector-required",
        "pi",
        {"selector": None},
        [
            "spec.selector: Required value",
            f"spec.template.metadata.labels: Invalid value: {LABELS}: {MISMATCH}",
        ],
    ),
    (
        "job1-selector-mismatch",
        "pi",
        {"selector": LabelSelector(match_labels={"job": "other"})},
        [
            'spec.selector: Invalid value: {"matchLabels":{"job":"other"}}: `selector` not auto-generated',
            f"spec.template.metadata.labels: Invalid value: {LABELS}: {MISMATCH}",
        ],
    ),
    (
        "pod-failure-policy-needs-never",
        "pi",
        {
            "template": template(restart_policy="OnFailure"),
            "pod_failure_policy": PodFailurePolicy(
                rules=[
                    PodFailurePolicyRule(
                        action="FailJob",
                        on_exit_codes=PodFailurePolicyOnExitCodesRequirement(operator="In", values=[1]),
                    )
                ]
            ),
        },
        [
            'spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified'
        ],
    ),
]


@pytest.mark.parametrize(("name", "spec", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_job_rejections(name: str, spec: dict[str, object], expected: list[str]) -> None:
    assert errors_of(job(name, **spec)) == expected


def update_errors(new: Job, old: Job) -> list[str]:
    return [str(e) for e in validate_update(new, old)]


def test_job1_mutable_fields() -> None:
    old = job()
    assert update_errors(job(parallelism=3, active_deadline_seconds=60, backoff_limit=2), old) == []


def test_job1_selector_and_completions_are_immutable() -> None:
    old = job()
    selector = LabelSelector(match_labels={**UID_LABEL, "x": "y"})
    relabelled = template()
    relabelled.metadata.labels["x"] = "y"
    assert update_errors(job(selector=selector, template=relabelled), old) == [
        'spec.selector: Invalid value: {"matchLabels":{"batch.kubernetes.io/controller-uid":"u1","x":"y"}}: field is immutable',
        f'spec.template: Invalid value: {{"metadata":{{"labels":{LABELS[:-1]},"x":"y"}}}},'
        '"spec":{"containers":[{"name":"work","image":"busybox:1.36","resources":{}}],"restartPolicy":"Never"}}: '
        "field is immutable",
    ]
    assert update_errors(job(completions=5), old) == [
        "spec.completions: Invalid value: 5: field is immutable"
    ]


def test_job1_template_is_immutable() -> None:
    old = job()
    (error,) = update_errors(
        job(template=template(containers=[Container(name="work", image="busybox:2")])), old
    )
    assert error.startswith('spec.template: Invalid value: {"metadata":{"labels":')
    assert error.endswith(
        '"image":"busybox:2","resources":{}}],"restartPolicy":"Never"}}: field is immutable'
    )


def test_suspended_unstarted_job_may_change_scheduling_of_its_template() -> None:
    old = job(suspend=True)
    retargeted = template(node_selector={"disk": "ssd"})
    retargeted.metadata.labels["extra"] = "label"
    assert update_errors(job(suspend=True, template=retargeted), old) == []
    started = msgspec.structs.replace(
        old, status=msgspec.structs.replace(old.status, start_time="2024-01-01T00:00:01Z")
    )
    assert [e.field for e in validate_update(job(suspend=True, template=retargeted), started)] == [
        "spec.template"
    ]
    new_image = template(containers=[Container(name="work", image="other")])
    assert [e.field for e in validate_update(job(suspend=True, template=new_image), old)] == ["spec.template"]


def test_indexed_job_scales_completions_with_parallelism() -> None:
    old = job(completion_mode="Indexed", completions=3, parallelism=3)
    assert update_errors(job(completion_mode="Indexed", completions=5, parallelism=5), old) == []
    assert update_errors(job(completion_mode="Indexed", completions=5, parallelism=3), old) == [
        "spec.completions: Invalid value: 5: can only be modified in tandem with spec.parallelism"
    ]
    assert update_errors(job(completion_mode="Indexed", completions=None, parallelism=3), old) == [
        "spec.completions: Required value: when completion mode is Indexed"
    ]
    assert update_errors(job(completion_mode="NonIndexed", completions=3, parallelism=3), old) == [
        'spec.completionMode: Invalid value: "NonIndexed": field is immutable'
    ]


def test_job1_generated_labels_must_hold_uid_and_name() -> None:
    """JOB-1: without manualSelector the template keeps the four generated labels with the Job's uid
    and name; a conflicting user label is refused (defaulting never overwrites it)."""
    conflicting = template()
    conflicting.metadata.labels["job-name"] = "other"
    shown_labels = LABELS.replace('"job-name":"pi"', '"job-name":"other"')
    assert errors_of(job(template=conflicting)) == [
        f"spec.template.metadata.labels[job-name]: Invalid value: {shown_labels}: must be 'pi'"
    ]
    no_uid = job()
    no_uid.metadata.uid = ""
    assert errors_of(no_uid)[:2] == [
        "metadata.uid: Required value",
        f"spec.template.metadata.labels[controller-uid]: Invalid value: {LABELS}: must be ''",
    ]


def test_job1_user_selector_needs_manual_selector() -> None:
    """JOB-1: a selector the user wrote is "not auto-generated" unless manualSelector is true; with
    it, only the selector/template match is checked."""
    selector = LabelSelector(match_labels={**UID_LABEL, "app": "pi"})
    labelled = template()
    labelled.metadata.labels["app"] = "pi"
    assert errors_of(job(selector=selector, template=labelled)) == [
        'spec.selector: Invalid value: {"matchLabels":{"app":"pi","batch.kubernetes.io/controller-uid":"u1"}}: '
        "`selector` not auto-generated"
    ]
    manual = PodTemplateSpec(metadata=ObjectMeta(labels={"app": "pi"}), spec=template().spec)
    manual_job = job(selector=LabelSelector(match_labels={"app": "pi"}), manual_selector=True)
    manual_job.spec.template = manual
    assert errors_of(manual_job) == []


def test_job1_generated_labels_are_checked_on_create_only() -> None:
    """JOB-1: an update does not re-check the generated labels (upstream checks them on create)."""
    old = job(suspend=True)
    relabelled = msgspec.structs.replace(
        old.spec.template, metadata=ObjectMeta(labels={**UID_LABEL, "job-name": "renamed"})
    )
    new = msgspec.structs.replace(old, spec=msgspec.structs.replace(old.spec, template=relabelled))
    assert update_errors(new, old) == []
