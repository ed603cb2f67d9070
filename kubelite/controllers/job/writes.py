"""The objects and patches a Job sync writes (JOB-2, JOB-6), one function each.

- `new_pod(job, index)`: the pod to create: the template's labels, annotations and spec (copied,
  never shared with the cache), the template's finalizers plus `batch.kubernetes.io/job-tracking`,
  the C-3 controller reference to the Job, `generateName <job>-`. With a completion `index`
  (Indexed Jobs): the annotation and label `batch.kubernetes.io/job-completion-index=<i>`, env
  `JOB_COMPLETION_INDEX=<i>` in every container and init container (unless the template sets it),
  `hostname <job>-<i>` and `generateName <job>-<i>-`. With `failures` (`backoffLimitPerIndex`):
  the index's failure-count annotations (`perindex.count_annotations`).
- `release_patch(pod)`: the strategic merge patch removing the tracking finalizer, carrying the
  pod's UID so a same-named replacement is refused rather than changed.
- `adopt_patch(job, pod)` / `orphan_patch(job, pod)`: claim (RS-2 rules) with the controller
  reference and the finalizer, or release both.
"""

from __future__ import annotations

from typing import Any

import msgspec

from kubelite.api.batch import Job
from kubelite.api.core import Container, EnvVar, Pod, PodSpec
from kubelite.api.meta import ObjectMeta
from kubelite.controllers.job.indexes import COMPLETION_INDEX
from kubelite.controllers.job.perindex import count_annotations
from kubelite.controllers.job.pods import JOB_TRACKING_FINALIZER
from kubelite.controllers.replicaset.kinds import owner_reference

INDEX_ENV = "JOB_COMPLETION_INDEX"
_SPEC = msgspec.json.Decoder(PodSpec)


def new_pod(job: Job, index: int | None = None, failures: tuple[int, int] | None = None) -> Pod:
    template = job.spec.template
    labels, annotations = dict(template.metadata.labels), dict(template.metadata.annotations)
    finalizers = list(template.metadata.finalizers)
    if JOB_TRACKING_FINALIZER not in finalizers:
        finalizers.append(JOB_TRACKING_FINALIZER)
    spec = _SPEC.decode(msgspec.json.encode(template.spec))
    generate_name = f"{job.metadata.name}-"
    if failures is not None:
        annotations.update(count_annotations(failures))
    if index is not None:
        labels[COMPLETION_INDEX] = annotations[COMPLETION_INDEX] = str(index)
        for container in (*spec.init_containers, *spec.containers):
            _add_index_env(container, index)
        spec.hostname = f"{job.metadata.name}-{index}"
        generate_name = f"{job.metadata.name}-{index}-"
    meta = ObjectMeta(
        generate_name=generate_name,
        namespace=job.metadata.namespace,
        labels=labels,
        annotations=annotations,
        finalizers=finalizers,
        owner_references=[owner_reference(job)],
    )
    return Pod(metadata=meta, spec=spec)


def _add_index_env(container: Container, index: int) -> None:
    if all(var.name != INDEX_ENV for var in container.env):
        container.env = [*container.env, EnvVar(name=INDEX_ENV, value=str(index))]


def release_patch(pod: Pod) -> dict[str, Any]:
    return {
        "metadata": {
            "$deleteFromPrimitiveList/finalizers": [JOB_TRACKING_FINALIZER],
            "uid": pod.metadata.uid,
        }
    }


def adopt_patch(job: Job, pod: Pod) -> dict[str, Any]:
    ref: dict[str, Any] = msgspec.to_builtins(owner_reference(job))
    finalizers = [] if JOB_TRACKING_FINALIZER in pod.metadata.finalizers else [JOB_TRACKING_FINALIZER]
    meta: dict[str, Any] = {"ownerReferences": [ref], "uid": pod.metadata.uid}
    if finalizers:
        meta["finalizers"] = finalizers
    return {"metadata": meta}


def orphan_patch(job: Job, pod: Pod) -> dict[str, Any]:
    return {
        "metadata": {
            "ownerReferences": [{"$patch": "delete", "uid": job.metadata.uid}],
            "$deleteFromPrimitiveList/finalizers": [JOB_TRACKING_FINALIZER],
            "uid": pod.metadata.uid,
        }
    }
