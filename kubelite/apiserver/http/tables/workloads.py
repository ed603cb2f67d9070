"""Rows for the workload kinds: Deployment, ReplicaSet, ReplicationController and Job.

Upstream's printers, reproduced: Deployments show Ready (`ready/desired`), Up-to-date and
Available; ReplicaSets and ReplicationControllers show Desired, Current and Ready; Jobs show Status
(Complete, Failed, Terminating, Suspended, FailureTarget, SuccessCriteriaMet or Running),
Completions (`succeeded/completions`, `n/1 of P` for a parallel work queue) and Duration (start to
completion, or to now while running). Every one ends with Age and the wide Containers, Images and
Selector of its pod template. An unparsable selector leaves the Selector cell empty.
"""

from __future__ import annotations

from typing import Any

from kubelite.api.apps import Deployment, ReplicaSet
from kubelite.api.batch import Job
from kubelite.api.core import PodTemplateSpec, ReplicationController
from kubelite.api.labels import Selector, selector_string
from kubelite.api.meta import LabelSelector

from .columns import AGE, CONTAINERS, IMAGES, NAME, SELECTOR, Printer, column, container_cells
from .humanduration import between, since

_DESIRED = column("Desired", "Number of desired pods.", type="integer")
_CURRENT = column("Current", "Number of pods that exist.", type="integer")
_READY_COUNT = column("Ready", "Number of pods that are ready.", type="integer")
_WIDE = (CONTAINERS, IMAGES, SELECTOR)

DEPLOYMENT_COLUMNS = (
    NAME,
    column("Ready", "Ready pods out of the desired replicas."),
    column("Up-to-date", "Total number of pods that match the latest template.", type="integer"),
    column("Available", "Total number of pods available for at least minReadySeconds.", type="integer"),
    AGE,
    *_WIDE,
)
REPLICASET_COLUMNS = (NAME, _DESIRED, _CURRENT, _READY_COUNT, AGE, *_WIDE)
JOB_COLUMNS = (
    NAME,
    column("Status", "The job's state, from its conditions."),
    column("Completions", "Succeeded pods out of the desired completions."),
    column("Duration", "Time the job took (or has taken so far) to complete."),
    AGE,
    *_WIDE,
)


def _selector(selector: LabelSelector | None) -> str:
    try:
        return selector_string(selector)
    except ValueError:
        return ""


def _template(template: PodTemplateSpec | None) -> list[str]:
    return container_cells(template.spec.containers if template is not None else [])


def deployment_cells(obj: Deployment, now: float) -> list[Any]:
    status = obj.status
    desired = obj.spec.replicas if obj.spec.replicas is not None else 0
    return [
        obj.metadata.name,
        f"{status.ready_replicas}/{desired}",
        status.updated_replicas,
        status.available_replicas,
        since(obj.metadata.creation_timestamp, now),
        *_template(obj.spec.template),
        _selector(obj.spec.selector),
    ]


def replicaset_cells(obj: ReplicaSet, now: float) -> list[Any]:
    return [
        obj.metadata.name,
        obj.spec.replicas if obj.spec.replicas is not None else 0,
        obj.status.replicas,
        obj.status.ready_replicas,
        since(obj.metadata.creation_timestamp, now),
        *_template(obj.spec.template),
        _selector(obj.spec.selector),
    ]


def replicationcontroller_cells(obj: ReplicationController, now: float) -> list[Any]:
    return [
        obj.metadata.name,
        obj.spec.replicas if obj.spec.replicas is not None else 0,
        obj.status.replicas,
        obj.status.ready_replicas,
        since(obj.metadata.creation_timestamp, now),
        *_template(obj.spec.template),
        str(Selector.from_set(obj.spec.selector)),
    ]


_JOB_STATES = ("Complete", "Failed", "Terminating", "Suspended", "FailureTarget", "SuccessCriteriaMet")


def job_status(job: Job) -> str:
    true = {c.type for c in job.status.conditions if c.status == "True"}
    if job.metadata.deletion_timestamp:
        true.add("Terminating")
    return next((state for state in _JOB_STATES if state in true), "Running")


def job_completions(job: Job) -> str:
    succeeded, parallelism = job.status.succeeded, job.spec.parallelism
    if job.spec.completions is not None:
        return f"{succeeded}/{job.spec.completions}"
    if parallelism is not None and parallelism > 1:
        return f"{succeeded}/1 of {parallelism}"
    return f"{succeeded}/1"


def job_duration(job: Job, now: float) -> str:
    start, end = job.status.start_time, job.status.completion_time
    if not start:
        return ""
    if not end:
        return since(start, now)
    return between(start, end)


def job_cells(job: Job, now: float) -> list[Any]:
    return [
        job.metadata.name,
        job_status(job),
        job_completions(job),
        job_duration(job, now),
        since(job.metadata.creation_timestamp, now),
        *_template(job.spec.template),
        _selector(job.spec.selector),
    ]


DEPLOYMENT: Printer[Deployment] = Printer(DEPLOYMENT_COLUMNS, deployment_cells)
REPLICASET: Printer[ReplicaSet] = Printer(REPLICASET_COLUMNS, replicaset_cells)
REPLICATIONCONTROLLER: Printer[ReplicationController] = Printer(
    REPLICASET_COLUMNS, replicationcontroller_cells
)
JOB: Printer[Job] = Printer(JOB_COLUMNS, job_cells)
