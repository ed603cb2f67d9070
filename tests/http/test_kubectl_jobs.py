"""The real kubectl and Jobs: `kubectl create job` (JOB-1 defaults on what kubectl sends),
`kubectl get jobs` and `-o wide` (upstream's printer), and the DELETE warning of JOB-16 (which
kubectl's own `delete` never earns: it always names a propagationPolicy).

The API is served in-process on 127.0.0.1 over the memory store with a FakeClock, so ages and
durations are exact; kubectl runs as a subprocess with a fresh discovery cache.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from kubelite.api.batch import Job
from kubelite.apiserver.strategies.workloads import JOB_ORPHAN_WARNING
from kubelite.client import InProcessClient
from tests.controllers.ttlafterfinished.support import finish
from tests.http.conftest import HTTPAPI, make_api
from tests.http.kubectl import Kubectl, require_kubectl, write_kubeconfig

pytestmark = [pytest.mark.anyio, pytest.mark.slow]
JOBS = "/apis/batch/v1/namespaces/default/jobs"


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[tuple[HTTPAPI, Kubectl]]:
    require_kubectl()
    async with make_api() as api:
        yield api, Kubectl(write_kubeconfig(tmp_path, api.url), tmp_path / "cache")


async def test_job1_kubectl_create_job_is_defaulted(served: tuple[HTTPAPI, Kubectl]) -> None:
    """JOB-1: `kubectl create job` is accepted and defaulted: completions/parallelism 1, backoffLimit
    6, NonIndexed, the generated selector and the four template labels."""
    api, kubectl = served
    made = await kubectl.run("create", "job", "x", "--image=busybox", "--", "sh", "-c", "exit 0")
    assert (made.code, made.stdout, made.stderr) == (0, "job.batch/x created\n", "")
    job = await api.server.get(Job, "x", "default")
    assert isinstance(job, Job)
    uid, spec = job.metadata.uid, job.spec
    assert (spec.completions, spec.parallelism, spec.backoff_limit) == (1, 1, 6)
    assert (spec.completion_mode, spec.suspend, spec.pod_replacement_policy) == (
        "NonIndexed",
        False,
        "TerminatingOrFailed",
    )
    assert spec.selector is not None and spec.selector.match_labels == {
        "batch.kubernetes.io/controller-uid": uid
    }
    assert spec.template.metadata.labels == {
        "batch.kubernetes.io/controller-uid": uid,
        "batch.kubernetes.io/job-name": "x",
        "controller-uid": uid,
        "job-name": "x",
    }
    (container,) = spec.template.spec.containers
    assert (container.name, container.image, container.command) == ("x", "busybox", ["sh", "-c", "exit 0"])
    assert spec.template.spec.restart_policy == "Never"


async def test_kubectl_get_jobs_and_wide(served: tuple[HTTPAPI, Kubectl]) -> None:
    """`kubectl get jobs`: NAME, STATUS, COMPLETIONS, DURATION, AGE; `-o wide` adds CONTAINERS,
    IMAGES, SELECTOR (upstream's printJob)."""
    api, kubectl = served
    await kubectl.run("create", "job", "done", "--image=busybox", "--", "true")
    await kubectl.run("create", "job", "busy", "--image=busybox", "--", "sleep", "60")
    client = InProcessClient(api.server)
    created = await client.get(Job, "done", "default")
    api.clock.advance(10)
    await finish(client, created, api.clock.now() - 7)  # started and finished 7 s ago
    api.clock.advance(65)
    got = await kubectl.run("get", "jobs")
    assert got.code == 0, got.stderr
    assert [line.split() for line in got.stdout.splitlines()] == [
        ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"],
        ["busy", "Running", "0/1", "75s"],  # no startTime: an empty DURATION
        ["done", "Complete", "1/1", "0s", "75s"],
    ]
    wide = await kubectl.run("get", "jobs", "done", "-o", "wide")
    assert wide.code == 0, wide.stderr
    selector = f"batch.kubernetes.io/controller-uid={created.metadata.uid}"
    assert [line.split() for line in wide.stdout.splitlines()] == [
        ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"],
        ["done", "Complete", "1/1", "0s", "75s", "done", "busybox", selector],
    ]


async def test_job16_kubectl_delete_names_a_policy_so_no_warning(served: tuple[HTTPAPI, Kubectl]) -> None:
    """JOB-16: kubectl's `delete job` sends propagationPolicy Background (or Orphan with
    --cascade=orphan), so the orphaning warning never shows there; a DELETE without a policy
    (`kubectl delete --raw`) gets it, and kubectl prints it."""
    _api, kubectl = served
    for name in ("a", "b", "c"):
        await kubectl.run("create", "job", name, "--image=busybox", "--", "true")
    background = await kubectl.run("delete", "job", "a")
    assert (background.code, background.stdout, background.stderr) == (0, 'job.batch "a" deleted\n', "")
    # no garbage collector here removes the `orphan` finalizer, so kubectl must not wait for it
    orphan = await kubectl.run("delete", "job", "b", "--cascade=orphan", "--wait=false")
    assert (orphan.code, orphan.stdout, orphan.stderr) == (0, 'job.batch "b" deleted\n', "")
    raw = await kubectl.run("delete", "--raw", f"{JOBS}/c")
    assert raw.code == 0, raw.stderr
    assert raw.stderr == f"Warning: {JOB_ORPHAN_WARNING}\n"


@pytest.mark.parametrize(
    ("body", "warned"),
    [
        (None, True),
        ({}, True),
        ({"propagationPolicy": "Background"}, False),
        ({"propagationPolicy": "Orphan"}, False),
        ({"orphanDependents": False}, False),
    ],
    ids=["no-body", "empty-options", "background", "orphan", "orphan-dependents-false"],
)
async def test_job16_warning_header(
    served: tuple[HTTPAPI, Kubectl], body: dict[str, object] | None, warned: bool
) -> None:
    """JOB-16: the Warning header is `299 - "<text>"`, exactly when no policy is named."""
    api, kubectl = served
    await kubectl.run("create", "job", "pi", "--image=busybox", "--", "true")
    async with api.session.delete(api.url + f"{JOBS}/pi", json=body) as response:
        assert response.status == 200
        warnings = response.headers.getall("Warning", [])
    assert warnings == ([f'299 - "{JOB_ORPHAN_WARNING}"'] if warned else [])


def _manifest(name: str, **spec: object) -> dict[str, object]:
    template = {"spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox"}]}}
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": name},
        "spec": {"template": template, **spec},
    }


async def test_job1_job15_bad_jobs_are_422_and_store_nothing(served: tuple[HTTPAPI, Kubectl]) -> None:
    """JOB-1, JOB-15: a Job POST with a bad pod failure policy or a conflicting generated label gets
    Kubernetes' 422 Status with field causes, and nothing is stored."""
    api, _kubectl = served
    policy = {"rules": [{"action": "FailIndex", "onExitCodes": {"operator": "In", "values": [0]}}]}
    code, status = await api.call("POST", JOBS, _manifest("pfp", podFailurePolicy=policy))
    assert (code, status["reason"], status["code"]) == (422, "Invalid", 422)
    assert [(c["field"], c["reason"], c["message"]) for c in status["details"]["causes"]] == [
        (
            "spec.podFailurePolicy.rules[0].action",
            "FieldValueInvalid",
            'Invalid value: "FailIndex": requires the backoffLimitPerIndex to be set',
        ),
        (
            "spec.podFailurePolicy.rules[0].onExitCodes.values[0]",
            "FieldValueInvalid",
            "Invalid value: 0: must not be 0 for the In operator",
        ),
    ]
    labelled = _manifest("lab")
    labelled["spec"]["template"]["metadata"] = {"labels": {"job-name": "other"}}  # type: ignore[index]
    code, status = await api.call("POST", JOBS, labelled)
    assert code == 422
    (cause,) = status["details"]["causes"]
    assert (cause["field"], cause["message"].endswith("must be 'lab'")) == (
        "spec.template.metadata.labels[job-name]",
        True,
    )
    code, listed = await api.call("GET", JOBS)
    assert (code, listed["items"]) == (200, [])


async def test_job16_collection_delete_warns_once(served: tuple[HTTPAPI, Kubectl]) -> None:
    """JOB-16: a collection DELETE of Jobs without a policy carries the warning once, not per Job."""
    api, kubectl = served
    for name in ("a", "b", "c"):
        await kubectl.run("create", "job", name, "--image=busybox", "--", "true")
    async with api.session.delete(api.url + JOBS) as response:
        assert response.status == 200
        assert response.headers.getall("Warning", []) == [f'299 - "{JOB_ORPHAN_WARNING}"']
    code, listed = await api.call("GET", JOBS)
    assert code == 200 and all(j["metadata"]["finalizers"] == ["orphan"] for j in listed["items"])
