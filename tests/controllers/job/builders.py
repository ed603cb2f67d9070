"""Plain Job and Pod values for the pure planner tests (no server)."""

from __future__ import annotations

from kubelite.api.batch import Job, JobSpec, JobStatus, UncountedTerminatedPods
from kubelite.api.core import (
    Container,
    ContainerState,
    ContainerStateTerminated,
    ContainerStatus,
    Pod,
    PodCondition,
    PodSpec,
    PodStatus,
    PodTemplateSpec,
)
from kubelite.api.meta import ObjectMeta
from kubelite.clock import rfc3339
from kubelite.controllers.job.indexes import COMPLETION_INDEX
from kubelite.controllers.job.pods import JOB_TRACKING_FINALIZER

T0 = 1_767_225_600.0


def a_job(
    *,
    completions: int | None = 4,
    parallelism: int = 2,
    indexed: bool = False,
    restart: str = "Never",
    status: JobStatus | None = None,
    **spec: object,
) -> Job:
    template = PodTemplateSpec(spec=PodSpec(containers=[Container(name="main")], restart_policy=restart))
    body = JobSpec(
        completions=completions,
        parallelism=parallelism,
        completion_mode="Indexed" if indexed else "NonIndexed",
        backoff_limit=spec.pop("backoff_limit", 6),  # type: ignore[arg-type]
        template=template,
        **spec,  # type: ignore[arg-type]
    )
    meta = ObjectMeta(name="work", namespace="default", uid="job-uid")
    return Job(metadata=meta, spec=body, status=status or JobStatus())


def a_pod(
    name: str,
    phase: str = "Running",
    *,
    index: int | None = None,
    tracked: bool = True,
    deleting: bool = False,
    ready: bool = False,
    restarts: int = 0,
    finished: float | None = None,
    node: str = "node-1",
) -> Pod:
    annotations = {COMPLETION_INDEX: str(index)} if index is not None else {}
    meta = ObjectMeta(
        name=name,
        namespace="default",
        uid=f"uid-{name}",
        annotations=annotations,
        finalizers=[JOB_TRACKING_FINALIZER] if tracked else [],
        deletion_timestamp=rfc3339(T0) if deleting else None,
        creation_timestamp=rfc3339(T0),
    )
    terminated = None
    if finished is not None:
        terminated = ContainerStateTerminated(
            exit_code=0 if phase == "Succeeded" else 1, finished_at=rfc3339(finished)
        )
    container = ContainerStatus(
        name="main", restart_count=restarts, state=ContainerState(terminated=terminated)
    )
    conditions = [PodCondition(type="Ready", status="True")] if ready else []
    status = PodStatus(phase=phase, container_statuses=[container], conditions=conditions)
    return Pod(metadata=meta, spec=PodSpec(node_name=node), status=status)


def uncounted(succeeded: list[str] | None = None, failed: list[str] | None = None) -> UncountedTerminatedPods:
    return UncountedTerminatedPods(succeeded=succeeded or [], failed=failed or [])
