"""Defaults for batch/v1 Job (JOB-1).

Always (create and update), each only when unset:
- both `completions` and `parallelism` unset → both 1; otherwise `parallelism` 1 (a nil
  `completions` then means a work queue);
- `backoffLimit` 6, or 2147483647 when `backoffLimitPerIndex` is set;
- `completionMode: NonIndexed`, `suspend: false`;
- `podReplacementPolicy: TerminatingOrFailed`, or `Failed` when a `podFailurePolicy` is set; pod
  condition patterns in that policy get `status: "True"`;
- empty `metadata.labels` default to the template's labels;
- the template gets the pod-spec defaults.

On create only, unless `manualSelector` is true, and once `metadata.uid` is set: the template gets
the labels `batch.kubernetes.io/controller-uid` and `controller-uid` (= uid) and
`batch.kubernetes.io/job-name` and `job-name` (= name, when known) unless already present, and the
selector gets `matchLabels[batch.kubernetes.io/controller-uid] = uid` (created if absent). A
user-supplied conflicting value is left for validation to reject.
"""

from __future__ import annotations

from kubelite.api.batch import Job
from kubelite.api.defaults.pod import default_pod_spec
from kubelite.api.meta import LabelSelector

CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid"
JOB_NAME_LABEL = "batch.kubernetes.io/job-name"
LEGACY_CONTROLLER_UID_LABEL = "controller-uid"
LEGACY_JOB_NAME_LABEL = "job-name"
MAX_INT32 = 2**31 - 1


def default_job(job: Job, creating: bool) -> None:
    _default_counts(job)
    _default_policies(job)
    _default_labels(job)
    if creating and not job.spec.manual_selector and job.metadata.uid:
        generate_selector(job)
        _default_labels(job)  # Kubernetes defaults the labels again when it reads the Job back
    default_pod_spec(job.spec.template.spec)


def _default_counts(job: Job) -> None:
    spec = job.spec
    if spec.completions is None and spec.parallelism is None:
        spec.completions = 1
    if spec.parallelism is None:
        spec.parallelism = 1
    if spec.backoff_limit is None:
        spec.backoff_limit = MAX_INT32 if spec.backoff_limit_per_index is not None else 6


def _default_policies(job: Job) -> None:
    spec = job.spec
    if spec.completion_mode is None:
        spec.completion_mode = "NonIndexed"
    if spec.suspend is None:
        spec.suspend = False
    policy = spec.pod_failure_policy
    if policy is not None:
        for rule in policy.rules:
            for pattern in rule.on_pod_conditions:
                pattern.status = pattern.status or "True"
    if spec.pod_replacement_policy is None:
        spec.pod_replacement_policy = "Failed" if policy is not None else "TerminatingOrFailed"


def _default_labels(job: Job) -> None:
    template_labels = job.spec.template.metadata.labels
    if template_labels and not job.metadata.labels:
        job.metadata.labels = dict(template_labels)


def generate_selector(job: Job) -> None:
    """The create-time selector and template labels of a Job without `manualSelector`."""
    meta = job.metadata
    labels = job.spec.template.metadata.labels
    if meta.name:
        labels.setdefault(LEGACY_JOB_NAME_LABEL, meta.name)
        labels.setdefault(JOB_NAME_LABEL, meta.name)
    labels.setdefault(LEGACY_CONTROLLER_UID_LABEL, meta.uid)
    labels.setdefault(CONTROLLER_UID_LABEL, meta.uid)
    if job.spec.selector is None:
        job.spec.selector = LabelSelector()
    job.spec.selector.match_labels.setdefault(CONTROLLER_UID_LABEL, meta.uid)
