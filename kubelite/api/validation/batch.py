"""Validation of batch/v1 Jobs (JOB-1, JOB-6).

Create: a DNS-1123 subdomain name of at most 63 characters (it becomes a label value on the pods);
`parallelism`, `completions`, `activeDeadlineSeconds`, `backoffLimit`, `ttlSecondsAfterFinished`,
`backoffLimitPerIndex`, `maxFailedIndexes` ≥ 0 and within Go's int32 (`activeDeadlineSeconds`:
int64); `managedBy` a domain-prefixed path (`acme.io/foo`)
of at most 63 characters; `completionMode` NonIndexed or Indexed, Indexed needing `completions`
(≤ 100000, and `parallelism` ≤ 100000; `maxFailedIndexes` ≤ completions and ≤ 100000) and a name
that still makes DNS labels as `<name>-<index>`; per-index fields only in Indexed mode; a template whose
`restartPolicy` is `OnFailure` or `Never` (`Never` with a pod failure policy, whose own rules are
in `jobpolicy.py`); a required, valid selector that matches the template labels (defaulting
generates it from the uid).

Create only (`validate_generated_selector`), unless `manualSelector`: the template has the labels
`controller-uid`, `job-name`, `batch.kubernetes.io/controller-uid` and `batch.kubernetes.io/job-name`
with the Job's uid and name ("must be '<value>'"), and the selector matches a set of those four
labels alone (a selector the user set without `manualSelector` is "`selector` not auto-generated").

Update: `selector`, `completionMode`, `podFailurePolicy`, `backoffLimitPerIndex`, `managedBy` and
`template` are immutable (`field is immutable`); while a Job is suspended and has never started,
the template's labels, annotations, node selector, tolerations, node affinity and scheduling gates
may change. `completions` is immutable except for Indexed Jobs scaled together with `parallelism`.
"""

from __future__ import annotations

import re

import msgspec

from kubelite.api.batch.job import Job, JobSpec
from kubelite.api.core.pod import PodTemplateSpec
from kubelite.api.core.scheduling import Affinity
from kubelite.api.defaults.batch import (
    CONTROLLER_UID_LABEL,
    JOB_NAME_LABEL,
    LEGACY_CONTROLLER_UID_LABEL,
    LEGACY_JOB_NAME_LABEL,
)
from kubelite.api.errors import FieldError, invalid, not_supported, required, too_long
from kubelite.api.validation import names
from kubelite.api.validation.fields import immutable, in_go_range, nonnegative, shown
from kubelite.api.validation.jobpolicy import validate_pod_failure_policy
from kubelite.api.validation.objectmeta import validate_object_meta
from kubelite.api.validation.podspec import validate_pod_template
from kubelite.api.validation.selectors import MISMATCH, selector_matches, validate_label_selector

MAX_INDEXED = 100_000
MAX_MANAGED_BY = 63
HTTP_PATH_FMT = r"[A-Za-z0-9/\-._~%!$&'()*+,;=:]+"
_HTTP_PATH = re.compile(HTTP_PATH_FMT)
COMPLETION_MODES = ("NonIndexed", "Indexed")


def validate_new_job(job: Job) -> list[FieldError]:
    """`validate_job` with the create-only `validate_generated_selector` in upstream's place."""
    return _validate(job, validate_generated_selector(job))


def validate_job(job: Job) -> list[FieldError]:
    return _validate(job, [])


def _validate(job: Job, generated: list[FieldError]) -> list[FieldError]:
    meta, spec = job.metadata, job.spec
    errors = validate_object_meta(meta, namespaced=True, name_fn=names.subdomain_name)
    if len(meta.name) > names.DNS1123_LABEL_MAX:
        errors.append(invalid(meta.name, "metadata.name", names.max_len_error(names.DNS1123_LABEL_MAX)))
    errors += generated
    errors += _spec(spec)
    errors += _selector(spec)
    if spec.completion_mode == "Indexed" and spec.completions and meta.name:
        hostname = f"{meta.name}-{spec.completions - 1}"
        if names.is_dns1123_label(hostname):
            detail = f"will not able to create pod with invalid DNS label: {hostname}"
            errors.append(invalid(meta.name, "metadata.name", detail))
    return errors


def _spec(spec: JobSpec) -> list[FieldError]:
    errors: list[FieldError] = []
    for field, value in (
        ("parallelism", spec.parallelism),
        ("completions", spec.completions),
        ("activeDeadlineSeconds", spec.active_deadline_seconds),
        ("backoffLimit", spec.backoff_limit),
        ("ttlSecondsAfterFinished", spec.ttl_seconds_after_finished),
        ("backoffLimitPerIndex", spec.backoff_limit_per_index),
        ("maxFailedIndexes", spec.max_failed_indexes),
    ):
        bits = 64 if field == "activeDeadlineSeconds" else 32
        errors += nonnegative(value, f"spec.{field}") + in_go_range(value, f"spec.{field}", bits)
    if spec.max_failed_indexes is not None and spec.backoff_limit_per_index is None:
        errors.append(required("spec.backoffLimitPerIndex", "when maxFailedIndexes is specified"))
    errors += _managed_by(spec.managed_by, "spec.managedBy")
    errors += _completion_mode(spec)
    errors += validate_pod_failure_policy(spec, "spec.podFailurePolicy")
    errors += _replacement_policy(spec)
    errors += validate_pod_template(spec.template, "spec.template")
    return errors + _restart_policy(spec)


def _managed_by(value: str | None, path: str) -> list[FieldError]:
    """A domain-prefixed path (`acme.io/foo`) of at most 63 characters (upstream's
    `IsDomainPrefixedPath` and `TooLongMaxLength`)."""
    if value is None:
        return []
    errors = _domain_prefixed_path(value, path)
    if len(value) > MAX_MANAGED_BY:
        errors.append(too_long(value, path, MAX_MANAGED_BY))
    return errors


def _domain_prefixed_path(value: str, path: str) -> list[FieldError]:
    if not value:
        return [required(path)]
    host, slash, rest = value.partition("/")
    if not slash or not host or not rest:
        return [invalid(value, path, 'must be a domain-prefixed path (such as "acme.io/foo")')]
    errors = [invalid(host, path, problem) for problem in names.is_dns1123_subdomain(host)]
    if not _HTTP_PATH.fullmatch(rest):
        errors.append(invalid(rest, path, names.regex_error("Invalid path", HTTP_PATH_FMT)))
    return errors


def _completion_mode(spec: JobSpec) -> list[FieldError]:
    mode = spec.completion_mode
    if mode is not None and mode not in COMPLETION_MODES:
        return [not_supported(mode, "spec.completionMode", COMPLETION_MODES)]
    if mode != "Indexed":
        return [
            invalid(value, f"spec.{field}", "requires indexed completion mode")
            for field, value in (
                ("backoffLimitPerIndex", spec.backoff_limit_per_index),
                ("maxFailedIndexes", spec.max_failed_indexes),
            )
            if value is not None
        ]
    errors: list[FieldError] = []
    if spec.completions is None:
        errors.append(required("spec.completions", "when completion mode is Indexed"))
    detail = f"must be less than or equal to {MAX_INDEXED} when completion mode is Indexed"
    for field, value in (("completions", spec.completions), ("parallelism", spec.parallelism)):
        if value is not None and value > MAX_INDEXED:
            errors.append(invalid(value, f"spec.{field}", detail))
    return errors + _max_failed_indexes(spec)


def _max_failed_indexes(spec: JobSpec) -> list[FieldError]:
    limit, path = spec.max_failed_indexes, "spec.maxFailedIndexes"
    if limit is None:
        return []
    errors: list[FieldError] = []
    if spec.completions is not None and limit > spec.completions:
        errors.append(invalid(limit, path, "must be less than or equal to completions"))
    if limit > MAX_INDEXED:
        errors.append(invalid(limit, path, f"must be less than or equal to {MAX_INDEXED}"))
    return errors


def _replacement_policy(spec: JobSpec) -> list[FieldError]:
    policy = spec.pod_replacement_policy
    if policy is None:
        return []
    allowed = ("Failed",) if spec.pod_failure_policy is not None else ("Failed", "TerminatingOrFailed")
    return [] if policy in allowed else [not_supported(policy, "spec.podReplacementPolicy", allowed)]


def _restart_policy(spec: JobSpec) -> list[FieldError]:
    path = "spec.template.spec.restartPolicy"
    policy = spec.template.spec.restart_policy
    if policy in ("", "Always"):
        return [required(path, 'valid values: "OnFailure", "Never"')]
    if policy not in ("OnFailure", "Never"):
        return [not_supported(policy, path, ("OnFailure", "Never"))]
    if spec.pod_failure_policy is not None and policy != "Never":
        return [invalid(policy, path, 'only "Never" is supported when podFailurePolicy is specified')]
    return []


def _selector(spec: JobSpec) -> list[FieldError]:
    if spec.selector is None:
        errors = [required("spec.selector")]
    else:
        errors = validate_label_selector(spec.selector, "spec.selector")
        if errors:
            return errors
    labels = spec.template.metadata.labels
    if not selector_matches(spec.selector, labels):
        errors.append(invalid(shown(labels), "spec.template.metadata.labels", MISMATCH))
    return errors


def validate_generated_selector(job: Job) -> list[FieldError]:
    """On create, unless `manualSelector`: the uid is set, the template carries the four generated
    labels with the Job's uid and name, and the selector matches those labels (upstream's
    `validateGeneratedSelector`)."""
    meta, spec = job.metadata, job.spec
    if spec.manual_selector or spec.selector is None:
        return []
    errors = [] if meta.uid else [required("metadata.uid")]
    labels = spec.template.metadata.labels
    expected = {
        LEGACY_CONTROLLER_UID_LABEL: meta.uid,
        LEGACY_JOB_NAME_LABEL: meta.name,
        CONTROLLER_UID_LABEL: meta.uid,
        JOB_NAME_LABEL: meta.name,
    }
    for key, value in expected.items():
        path = f"spec.template.metadata.labels[{key}]"
        if key not in labels:
            errors.append(required(path, f"must be '{value}'"))
        elif labels[key] != value:
            errors.append(invalid(shown(labels), path, f"must be '{value}'"))
    if not selector_matches(spec.selector, expected):
        errors.append(invalid(shown(spec.selector), "spec.selector", "`selector` not auto-generated"))
    return errors


def validate_job_update(new: Job, old: Job) -> list[FieldError]:
    spec, before = new.spec, old.spec
    errors = _completions_update(spec, before)
    errors += immutable(spec.selector, before.selector, "spec.selector")
    errors += _template_update(new, old)
    for field, value, old_value in (
        ("completionMode", spec.completion_mode, before.completion_mode),
        ("podFailurePolicy", spec.pod_failure_policy, before.pod_failure_policy),
        ("backoffLimitPerIndex", spec.backoff_limit_per_index, before.backoff_limit_per_index),
        ("managedBy", spec.managed_by, before.managed_by),
    ):
        errors += immutable(value, old_value, f"spec.{field}")
    return errors


def _completions_update(spec: JobSpec, before: JobSpec) -> list[FieldError]:
    if spec.completion_mode != "Indexed":
        return immutable(spec.completions, before.completions, "spec.completions")
    unchanged = spec.completions == before.completions
    if unchanged or spec.completions is None or spec.completions == spec.parallelism:
        return []  # an Indexed Job without completions already has its "Required" error
    return [
        invalid(spec.completions, "spec.completions", "can only be modified in tandem with spec.parallelism")
    ]


def _template_update(new: Job, old: Job) -> list[FieldError]:
    template, before = new.spec.template, old.spec.template
    if old.spec.suspend and old.status.start_time is None:
        before = _with_scheduling_of(before, template)
    if template == before:
        return []
    return immutable(template, before, "spec.template")


def _with_scheduling_of(old: PodTemplateSpec, new: PodTemplateSpec) -> PodTemplateSpec:
    """`old` with the parts a suspended, never-started Job may change taken from `new`."""
    spec = msgspec.structs.replace(
        old.spec,
        affinity=_node_affinity_of(old.spec.affinity, new.spec.affinity),
        node_selector=new.spec.node_selector,
        tolerations=new.spec.tolerations,
        scheduling_gates=new.spec.scheduling_gates,
    )
    metadata = msgspec.structs.replace(
        old.metadata, labels=new.metadata.labels, annotations=new.metadata.annotations
    )
    return msgspec.structs.replace(old, metadata=metadata, spec=spec)


def _node_affinity_of(old: Affinity | None, new: Affinity | None) -> Affinity | None:
    node_affinity = new.node_affinity if new is not None else None
    if old is None:
        return Affinity(node_affinity=node_affinity) if node_affinity is not None else None
    merged = msgspec.structs.replace(old, node_affinity=node_affinity)
    return None if merged == Affinity() and new is None else merged
