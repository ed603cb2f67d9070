"""Deployment, ReplicaSet, ReplicationController and Job rows reproduce upstream's printers."""

from __future__ import annotations

from typing import Any

import pytest

from kubelite.api.apps import Deployment, ReplicaSet
from kubelite.api.batch import Job
from kubelite.api.core import ReplicationController
from kubelite.apiserver.http.tables import workloads

from .build import CREATED, ago, make

NOW = CREATED + 22
TEMPLATE = {
    "spec": {"containers": [{"name": "web", "image": "busybox:1.36"}, {"name": "log", "image": "fluent"}]}
}


def test_deployment_cells() -> None:
    obj = make(
        Deployment,
        {
            "spec": {
                "replicas": 3,
                "selector": {
                    "matchLabels": {"app": "web"},
                    "matchExpressions": [{"key": "tier", "operator": "In", "values": ["b", "a"]}],
                },
                "template": TEMPLATE,
            },
            "status": {"readyReplicas": 2, "updatedReplicas": 1, "availableReplicas": 2},
        },
        name="web",
    )
    assert workloads.deployment_cells(obj, NOW) == [
        "web", "2/3", 1, 2, "22s", "web,log", "busybox:1.36,fluent", "app=web,tier in (a,b)",
    ]  # fmt: skip


def test_deployment_without_replicas_or_selector() -> None:
    cells = workloads.deployment_cells(make(Deployment, {}), NOW)
    assert cells == ["x", "0/0", 0, 0, "22s", "", "", ""]


def test_replicaset_cells() -> None:
    obj = make(
        ReplicaSet,
        {
            "spec": {
                "replicas": 3,
                "selector": {"matchLabels": {"app": "web", "pod-template-hash": "abc"}},
                "template": TEMPLATE,
            },
            "status": {"replicas": 3, "readyReplicas": 1},
        },
        name="web-abc",
    )
    assert workloads.replicaset_cells(obj, NOW) == [
        "web-abc", 3, 3, 1, "22s", "web,log", "busybox:1.36,fluent", "app=web,pod-template-hash=abc",
    ]  # fmt: skip


def test_replicationcontroller_cells() -> None:
    obj = make(
        ReplicationController,
        {
            "spec": {"replicas": 2, "selector": {"b": "2", "a": "1"}, "template": TEMPLATE},
            "status": {"replicas": 2},
        },
        name="rc",
    )
    assert workloads.replicationcontroller_cells(obj, NOW) == [
        "rc", 2, 2, 0, "22s", "web,log", "busybox:1.36,fluent", "a=1,b=2",
    ]  # fmt: skip


def job(spec: dict[str, Any] = {}, status: dict[str, Any] = {}, *, deleted: bool = False) -> Job:  # noqa: B006
    meta = {"deletionTimestamp": ago(1, NOW)} if deleted else {}
    return make(Job, {"metadata": meta, "spec": {"template": TEMPLATE, **spec}, "status": status}, name="pi")


def cond(kind: str, value: str = "True") -> dict[str, str]:
    return {"type": kind, "status": value}


STATUS_CASES = {
    "running": (job(), "Running"),
    "complete": (job(status={"conditions": [cond("SuccessCriteriaMet"), cond("Complete")]}), "Complete"),
    "failed": (job(status={"conditions": [cond("FailureTarget"), cond("Failed")]}), "Failed"),
    "complete-false-ignored": (job(status={"conditions": [cond("Complete", "False")]}), "Running"),
    "terminating": (job(deleted=True), "Terminating"),
    "complete-wins-over-terminating": (
        job(status={"conditions": [cond("Complete")]}, deleted=True),
        "Complete",
    ),
    "suspended": (job(status={"conditions": [cond("Suspended")]}), "Suspended"),
    "failure-target": (job(status={"conditions": [cond("FailureTarget")]}), "FailureTarget"),
    "success-criteria-met": (job(status={"conditions": [cond("SuccessCriteriaMet")]}), "SuccessCriteriaMet"),
}


@pytest.mark.parametrize(("obj", "text"), STATUS_CASES.values(), ids=STATUS_CASES.keys())
def test_job_status(obj: Job, text: str) -> None:
    assert workloads.job_cells(obj, NOW)[1] == text


COMPLETION_CASES = {
    "completions": (job({"completions": 5}, {"succeeded": 2}), "2/5"),
    "no-parallelism": (job({}, {"succeeded": 1}), "1/1"),
    "work-queue": (job({"parallelism": 3}, {"succeeded": 1}), "1/1 of 3"),
    "parallelism-one": (job({"parallelism": 1}), "0/1"),
}


@pytest.mark.parametrize(("obj", "text"), COMPLETION_CASES.values(), ids=COMPLETION_CASES.keys())
def test_job_completions(obj: Job, text: str) -> None:
    assert workloads.job_cells(obj, NOW)[2] == text


def test_job_duration() -> None:
    assert workloads.job_cells(job(), NOW)[3] == ""
    running = job(status={"startTime": ago(15, NOW)})
    done = job(status={"startTime": ago(300, NOW), "completionTime": ago(100, NOW)})
    assert workloads.job_cells(running, NOW)[3] == "15s"
    assert workloads.job_cells(done, NOW)[3] == "3m20s"


def test_job_all_cells() -> None:
    obj = job({"completions": 1, "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": "u1"}}})
    assert workloads.job_cells(obj, NOW) == [
        "pi", "Running", "0/1", "", "22s", "web,log", "busybox:1.36,fluent", "batch.kubernetes.io/controller-uid=u1",
    ]  # fmt: skip
