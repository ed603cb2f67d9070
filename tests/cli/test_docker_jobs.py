"""Jobs on the real Docker runtime (issue 11; skipped without a daemon, CI requires one): applied with
the real kubectl to the in-process cluster whose one node runs pods in Docker containers, an Indexed
Job's pods really print their JOB_COMPLETION_INDEX and the Job completes with every index (JOB-6);
a container exiting 1 under backoffLimit 0 fails the Job with BackoffLimitExceeded, the pod's
terminated state holding the real exit code (JOB-7, JOB-10)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kubelite.api.batch import Job
from kubelite.api.core import Pod
from tests.cli.docker_cluster import DockerCluster, docker_cluster
from tests.docker_support import TEST_IMAGE, DockerDaemon

pytestmark = [pytest.mark.anyio, pytest.mark.slow, pytest.mark.timeout(150)]

INDEXED = f"""\
apiVersion: batch/v1
kind: Job
metadata:
  name: indexed
spec:
  completionMode: Indexed
  completions: 3
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      terminationGracePeriodSeconds: 1
      containers:
      - name: main
        image: {TEST_IMAGE}
        command: ["sh", "-c", "echo $JOB_COMPLETION_INDEX $(hostname); exit 0"]
"""

FAILING = f"""\
apiVersion: batch/v1
kind: Job
metadata:
  name: failing
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      terminationGracePeriodSeconds: 1
      containers:
      - name: main
        image: {TEST_IMAGE}
        command: ["sh", "-c", "echo failing; exit 1"]
"""


def _job(cluster: DockerCluster, name: str) -> Job | None:
    return cluster.lister(Job).get(name, "default")


def _finished(cluster: DockerCluster, name: str) -> bool:
    job = _job(cluster, name)
    finished = ("Complete", "Failed")
    return job is not None and any(c.type in finished and c.status == "True" for c in job.status.conditions)


def _conditions(job: Job) -> dict[str, tuple[str, str, str]]:
    return {c.type: (c.status, c.reason, c.message) for c in job.status.conditions}


def _index(pod: Pod) -> str:
    return pod.metadata.annotations["batch.kubernetes.io/job-completion-index"]


async def test_job6_indexed_job_completes_on_docker_each_pod_printing_its_index(
    docker_daemon: DockerDaemon, tmp_path: Path
) -> None:
    """JOB-6 on Docker: each pod gets JOB_COMPLETION_INDEX=<i> and hostname <job>-<i> (its container prints
    both, read back with `kubectl logs`), the index label and annotation and generateName
    <job>-<i>-; succeeded counts the 3 distinct indexes, completedIndexes is "0-2" and the Job gets
    SuccessCriteriaMet and Complete (CompletionsReached "Reached expected number of succeeded
    pods") with completionTime set."""
    async with docker_cluster(tmp_path, docker_daemon) as cluster:
        await cluster.run("apply", "-f", "-", stdin=INDEXED)
        running: set[int] = set()

        def done() -> bool:
            running.add(sum(p.status.phase == "Running" for p in cluster.pods(**{"job-name": "indexed"})))
            return _finished(cluster, "indexed")

        await cluster.until(done)
        assert max(running) <= 2  # parallelism (JOB-4), as far as the watch showed it
        job = _job(cluster, "indexed")
        assert job is not None
        status = job.status
        assert (status.succeeded, status.failed, status.active, status.completed_indexes) == (3, 0, 0, "0-2")
        assert status.completion_time is not None
        reached = ("True", "CompletionsReached", "Reached expected number of succeeded pods")
        assert _conditions(job) == {"SuccessCriteriaMet": reached, "Complete": reached}
        pods = cluster.pods(**{"job-name": "indexed"})
        assert sorted(_index(p) for p in pods) == ["0", "1", "2"]
        for pod in pods:
            index = _index(pod)
            assert pod.metadata.labels["batch.kubernetes.io/job-completion-index"] == index
            assert (pod.spec.hostname, pod.metadata.generate_name) == (
                f"indexed-{index}",
                f"indexed-{index}-",
            )
            assert pod.status.phase == "Succeeded"
            assert pod.spec.node_name == "docker-node"
            logs = await cluster.run("logs", pod.metadata.name)
            assert logs.stdout == f"{index} indexed-{index}\n"


async def test_job7_job10_failing_container_fails_the_job_with_its_exit_code(
    docker_daemon: DockerDaemon, tmp_path: Path
) -> None:
    """JOB-7/JOB-10 on Docker: the container's `exit 1` makes the pod Failed with exit code 1 in its
    terminated state (reason Error); with backoffLimit 0 that first failure fails the Job: failed 1,
    active 0, no completionTime, FailureTarget then Failed, both BackoffLimitExceeded "Job has
    reached the specified backoff limit", and no replacement pod."""
    async with docker_cluster(tmp_path, docker_daemon) as cluster:
        await cluster.run("apply", "-f", "-", stdin=FAILING)
        await cluster.until(lambda: _finished(cluster, "failing"))
        job = _job(cluster, "failing")
        assert job is not None
        assert (job.status.failed, job.status.succeeded, job.status.active) == (1, 0, 0)
        assert job.status.completion_time is None
        reached = ("True", "BackoffLimitExceeded", "Job has reached the specified backoff limit")
        assert _conditions(job) == {"FailureTarget": reached, "Failed": reached}
        [pod] = cluster.pods(**{"job-name": "failing"})
        assert pod.status.phase == "Failed"
        terminated = pod.status.container_statuses[0].state.terminated
        assert terminated is not None
        assert (terminated.exit_code, terminated.reason) == (1, "Error")
        assert terminated.container_id.startswith("docker://")
        logs = await cluster.run("logs", pod.metadata.name)
        assert logs.stdout == "failing\n"


TTL = f"""\
apiVersion: batch/v1
kind: Job
metadata:
  name: short-lived
spec:
  ttlSecondsAfterFinished: 0
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: main
        image: {TEST_IMAGE}
        command: ["sh", "-c", "echo done"]
"""


async def test_job13_ttl_zero_deletes_the_finished_job_and_its_docker_pod(
    docker_daemon: DockerDaemon, tmp_path: Path
) -> None:
    """JOB-13 on Docker: with ttlSecondsAfterFinished 0 the Job is deleted as soon as its pod's
    container has exited 0 and the Job completed; the foreground deletion takes the pod with it, and
    the pod's containers (sandbox and app) are no longer running."""
    async with docker_cluster(tmp_path, docker_daemon) as cluster:
        await cluster.run("apply", "-f", "-", stdin=TTL)
        seen: dict[str, Pod] = {}

        def gone() -> bool:
            pods = cluster.pods(**{"job-name": "short-lived"})
            seen.update((p.metadata.name, p) for p in pods)
            return bool(seen) and not pods and _job(cluster, "short-lived") is None

        await cluster.until(gone)
        assert cluster.finished["short-lived"] == "Complete"
        [pod] = seen.values()
        assert await cluster.stopped(pod)  # removed later by the kubelet's cleanup
        assert (await cluster.run("get", "jobs,pods", "-o", "name")).stdout == ""
