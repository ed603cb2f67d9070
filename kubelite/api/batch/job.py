"""batch/v1 Job: run pods to completion (JOB-1..JOB-16).

Pointer fields stay `None` until defaulting (JOB-1): completions/parallelism, `backoffLimit`,
`completionMode`, `suspend`, `podReplacementPolicy`; unless `manualSelector` is true, the
selector and the template's controller labels are generated from the Job's uid at create.
`completedIndexes` and `failedIndexes` are interval strings (`"0,1,3-5,7"`). Conditions merge by
`type`; `uncountedTerminatedPods` lists pod UIDs whose finish is not yet counted.
"""

from __future__ import annotations

from typing import Annotated

import msgspec

from kubelite.api.core.pod import PodTemplateSpec
from kubelite.api.meta import Base, LabelSelector, Object
from kubelite.api.patchmeta import MergeKey


class PodFailurePolicyOnExitCodesRequirement(Base):
    operator: str
    values: list[int]
    container_name: str | None = None


class PodFailurePolicyOnPodConditionsPattern(Base):
    type: str
    status: str = ""


class PodFailurePolicyRule(Base):
    action: str
    on_exit_codes: PodFailurePolicyOnExitCodesRequirement | None = None
    on_pod_conditions: list[PodFailurePolicyOnPodConditionsPattern] = []


class PodFailurePolicy(Base):
    rules: list[PodFailurePolicyRule]


class JobSpec(Base):
    parallelism: int | None = None
    completions: int | None = None
    active_deadline_seconds: int | None = None
    pod_failure_policy: PodFailurePolicy | None = None
    backoff_limit: int | None = None
    backoff_limit_per_index: int | None = None
    max_failed_indexes: int | None = None
    selector: LabelSelector | None = None
    manual_selector: bool | None = None
    template: PodTemplateSpec = msgspec.field(default_factory=PodTemplateSpec)
    ttl_seconds_after_finished: int | None = None
    completion_mode: str | None = None
    suspend: bool | None = None
    pod_replacement_policy: str | None = None
    managed_by: str | None = None


class JobCondition(Base):
    type: str
    status: str
    last_probe_time: str | None = None
    last_transition_time: str | None = None
    reason: str = ""
    message: str = ""


class UncountedTerminatedPods(Base):
    succeeded: list[str] = []
    failed: list[str] = []


class JobStatus(Base):
    conditions: Annotated[list[JobCondition], MergeKey("type")] = []
    start_time: str | None = None
    completion_time: str | None = None
    active: int = 0
    succeeded: int = 0
    failed: int = 0
    terminating: int | None = None
    completed_indexes: str = ""
    failed_indexes: str | None = None
    uncounted_terminated_pods: UncountedTerminatedPods | None = None
    ready: int | None = None


class Job(Object):
    api_version: str = msgspec.field(default_factory=lambda: "batch/v1")
    spec: JobSpec = msgspec.field(default_factory=JobSpec)
    status: JobStatus = msgspec.field(default_factory=JobStatus)
