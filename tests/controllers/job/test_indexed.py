"""Indexed Jobs end to end (JOB-6): indexes, env, hostname, completedIndexes, duplicates."""

from __future__ import annotations

import pytest

from kubelite.api.core import Pod
from kubelite.api.meta import ObjectMeta
from kubelite.controllers.job.indexes import COMPLETION_INDEX, completion_index
from tests.controllers.job.support import Running, job, running

pytestmark = pytest.mark.anyio

SLOW_2_AND_6 = (
    "echo index=$JOB_COMPLETION_INDEX; "
    "if [ $JOB_COMPLETION_INDEX = 2 ]; then sleep 100; fi; "
    "if [ $JOB_COMPLETION_INDEX = 6 ]; then sleep 100; fi; "
    "exit 0"
)


async def log_of(r: Running, pod: Pod) -> list[str]:
    kubelet = r.cluster.kubelet(pod.spec.node_name)
    return [line async for line in kubelet.logs("default", pod.metadata.name)]


async def test_indexed_job_sets_completed_indexes_and_the_index_env() -> None:
    """JOB-6: completions 8, parallelism 8; indexes 2 and 6 run 100 s longer, so completedIndexes
    reads "0,1,3-5,7" first, then "0-7" and the Job completes; each pod has the index as
    annotation, label, JOB_COMPLETION_INDEX (echoed by the container), hostname and generateName."""
    async with running() as r:
        await r.cluster.client.create(
            job(script=SLOW_2_AND_6, completions=8, parallelism=8, completion_mode="Indexed")
        )
        await r.until(lambda: r.job().status.completed_indexes == "0,1,3-5,7")
        status = r.job().status
        assert (status.succeeded, status.active) == (6, 2)
        await r.until(lambda: r.finished())
        status = r.job().status
        assert (status.completed_indexes, status.succeeded, status.failed) == ("0-7", 8, 0)
        assert r.condition("Complete") == (
            "True",
            "CompletionsReached",
            "Reached expected number of succeeded pods",
        )
        pods = r.owned()
        assert sorted(completion_index(p) for p in pods) == list(range(8))
        for pod in pods:
            index = str(completion_index(pod))
            assert pod.metadata.annotations[COMPLETION_INDEX] == index
            assert pod.metadata.labels[COMPLETION_INDEX] == index
            assert pod.metadata.generate_name == f"work-{index}-"
            assert pod.spec.hostname == f"work-{index}"
            assert [(e.name, e.value) for e in pod.spec.containers[0].env] == [
                ("JOB_COMPLETION_INDEX", index)
            ]
            assert await log_of(r, pod) == [f"index={index}"]


async def test_lowest_pending_indexes_first_and_duplicates_deleted() -> None:
    """JOB-6: parallelism 2 of completions 4 starts indexes 0 and 1; a second pod for index 0
    (an orphan the Job adopts) is deleted, keeping one pod per index."""
    async with running() as r:
        created = await r.cluster.client.create(
            job(script="sleep 3600", completions=4, parallelism=2, completion_mode="Indexed")
        )
        await r.until(lambda: len([p for p in r.owned() if p.status.phase == "Running"]) == 2)
        assert sorted(completion_index(p) for p in r.owned()) == [0, 1]
        template = created.spec.template
        labels = {**template.metadata.labels, COMPLETION_INDEX: "0"}
        extra = Pod(
            metadata=ObjectMeta(
                name="work-extra-0", namespace="default", labels=labels, annotations={COMPLETION_INDEX: "0"}
            ),
            spec=template.spec,
        )
        await r.cluster.client.create(extra)
        await r.until(lambda: deleted(r, "work-extra-0") and len(r.messages("SuccessfulDelete")) == 1)
        live = [p for p in r.owned() if p.metadata.deletion_timestamp is None]
        assert sorted(completion_index(p) for p in live) == [0, 1]
        assert r.messages("SuccessfulDelete") == ["Deleted pod: work-extra-0"]
        assert r.job().status.failed == 0


def deleted(r: Running, name: str) -> bool:
    pod = r.pods.get(name, "default")
    return pod is None or pod.metadata.deletion_timestamp is not None
