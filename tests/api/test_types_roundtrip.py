"""Workload kinds decode and re-encode to exactly the JSON Kubernetes serves.

Each manifest is shaped like an object read back from a Kubernetes apiserver (defaults filled in,
`status` present): decoding it into the typed Struct and encoding it again must give the same JSON
(as parsed data), which pins field names (camelCase and the irregular `podIP`/`imageID`),
omitted defaults, always-encoded fields (`resources: {}`, `restartCount: 0`) and nesting.
"""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from kubelite.api.apps import Deployment, ReplicaSet
from kubelite.api.batch import Job
from kubelite.api.core import ReplicationController
from kubelite.api.meta import Object

UID = "5a0b3c1e-2d4f-4b6a-8c7d-9e0f1a2b3c4d"
T0 = "2024-05-01T10:00:00Z"
T1 = "2024-05-01T10:00:07Z"
DEFAULTED_CONTAINER = {
    "resources": {},
    "terminationMessagePath": "/dev/termination-log",
    "terminationMessagePolicy": "File",
}
POD_SPEC_DEFAULTS = {
    "restartPolicy": "Always",
    "terminationGracePeriodSeconds": 30,
    "dnsPolicy": "ClusterFirst",
    "securityContext": {},
    "schedulerName": "default-scheduler",
}
NODE10_TOLERATIONS = [
    {"key": k, "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}
    for k in ("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable")
]


def roundtrip(cls: type[Object], manifest: dict[str, Any]) -> dict[str, Any]:
    obj = msgspec.json.decode(msgspec.json.encode(manifest), type=cls)
    result = msgspec.json.decode(msgspec.json.encode(obj))
    assert isinstance(result, dict)
    return result


DEPLOYMENT: dict[str, Any] = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {
        "name": "web",
        "namespace": "default",
        "uid": UID,
        "resourceVersion": "42",
        "generation": 3,
        "creationTimestamp": T0,
        "labels": {"app": "web"},
        "annotations": {"deployment.kubernetes.io/revision": "2"},
    },
    "spec": {
        "replicas": 3,
        "selector": {
            "matchLabels": {"app": "web"},
            "matchExpressions": [{"key": "tier", "operator": "Exists"}],
        },
        "template": {
            "metadata": {"labels": {"app": "web", "tier": "front"}},
            "spec": {
                "containers": [
                    {
                        "name": "web",
                        "image": "nginx:1.25",
                        "ports": [{"name": "http", "containerPort": 80, "protocol": "TCP"}],
                        "env": [{"name": "MODE", "value": "prod"}],
                        "resources": {
                            "limits": {"cpu": "500m"},
                            "requests": {"cpu": "250m", "memory": "64Mi"},
                        },
                        "readinessProbe": {
                            "httpGet": {"path": "/healthz", "port": "http", "scheme": "HTTP"},
                            "timeoutSeconds": 1,
                            "periodSeconds": 10,
                            "successThreshold": 1,
                            "failureThreshold": 3,
                        },
                        "terminationMessagePath": "/dev/termination-log",
                        "terminationMessagePolicy": "File",
                        "imagePullPolicy": "IfNotPresent",
                    }
                ],
                **POD_SPEC_DEFAULTS,
            },
        },
        "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": 1}},
        "minReadySeconds": 5,
        "revisionHistoryLimit": 10,
        "progressDeadlineSeconds": 600,
    },
    "status": {
        "observedGeneration": 3,
        "replicas": 3,
        "updatedReplicas": 3,
        "readyReplicas": 3,
        "availableReplicas": 3,
        "conditions": [
            {
                "type": "Available",
                "status": "True",
                "lastUpdateTime": T1,
                "lastTransitionTime": T1,
                "reason": "MinimumReplicasAvailable",
                "message": "Deployment has minimum availability.",
            }
        ],
    },
}

REPLICA_SET: dict[str, Any] = {
    "apiVersion": "apps/v1",
    "kind": "ReplicaSet",
    "metadata": {
        "name": "web-7c9f8d6b5d",
        "namespace": "default",
        "labels": {"app": "web", "pod-template-hash": "7c9f8d6b5d"},
        "ownerReferences": [
            {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "name": "web",
                "uid": UID,
                "controller": True,
                "blockOwnerDeletion": True,
            }
        ],
    },
    "spec": {
        "replicas": 0,
        "selector": {"matchLabels": {"app": "web", "pod-template-hash": "7c9f8d6b5d"}},
        "template": {
            "metadata": {"labels": {"app": "web", "pod-template-hash": "7c9f8d6b5d"}},
            "spec": {
                "containers": [
                    {"name": "web", "image": "nginx", "imagePullPolicy": "Always", **DEFAULTED_CONTAINER}
                ],
                **POD_SPEC_DEFAULTS,
            },
        },
    },
    "status": {"replicas": 0, "observedGeneration": 2},
}

JOB: dict[str, Any] = {
    "apiVersion": "batch/v1",
    "kind": "Job",
    "metadata": {
        "name": "pi",
        "namespace": "default",
        "uid": UID,
        "labels": {
            "batch.kubernetes.io/controller-uid": UID,
            "batch.kubernetes.io/job-name": "pi",
            "controller-uid": UID,
            "job-name": "pi",
        },
    },
    "spec": {
        "parallelism": 2,
        "completions": 5,
        "activeDeadlineSeconds": 600,
        "podFailurePolicy": {
            "rules": [
                {
                    "action": "FailJob",
                    "onExitCodes": {"containerName": "pi", "operator": "In", "values": [42]},
                },
                {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}]},
            ]
        },
        "backoffLimit": 0,
        "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": UID}},
        "template": {
            "metadata": {
                "labels": {
                    "batch.kubernetes.io/controller-uid": UID,
                    "batch.kubernetes.io/job-name": "pi",
                    "controller-uid": UID,
                    "job-name": "pi",
                }
            },
            "spec": {
                "containers": [
                    {
                        "name": "pi",
                        "image": "perl:5.34.0",
                        "command": ["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"],
                        "imagePullPolicy": "IfNotPresent",
                        **DEFAULTED_CONTAINER,
                    }
                ],
                **POD_SPEC_DEFAULTS,
                "restartPolicy": "Never",
            },
        },
        "ttlSecondsAfterFinished": 100,
        "completionMode": "Indexed",
        "suspend": False,
        "podReplacementPolicy": "Failed",
    },
    "status": {
        "conditions": [
            {"type": "FailureTarget", "status": "True", "lastProbeTime": T1, "lastTransitionTime": T1}
        ],
        "startTime": T0,
        "active": 1,
        "succeeded": 3,
        "failed": 1,
        "terminating": 0,
        "completedIndexes": "0-2",
        "failedIndexes": "4",
        "uncountedTerminatedPods": {"failed": ["7f7b1a2c-0000-4000-8000-000000000001"]},
        "ready": 1,
    },
}

REPLICATION_CONTROLLER: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "ReplicationController",
    "metadata": {"name": "legacy", "namespace": "default", "labels": {"app": "legacy"}},
    "spec": {
        "replicas": 2,
        "selector": {"app": "legacy"},
        "template": {
            "metadata": {"labels": {"app": "legacy"}},
            "spec": {
                "containers": [
                    {
                        "name": "app",
                        "image": "busybox:1.36",
                        "imagePullPolicy": "IfNotPresent",
                        **DEFAULTED_CONTAINER,
                    }
                ],
                **POD_SPEC_DEFAULTS,
            },
        },
    },
    "status": {
        "replicas": 2,
        "fullyLabeledReplicas": 2,
        "readyReplicas": 1,
        "availableReplicas": 1,
        "observedGeneration": 1,
        "conditions": [
            {"type": "ReplicaFailure", "status": "True", "reason": "FailedCreate", "message": "quota"}
        ],
    },
}

WORKLOADS: list[tuple[str, type[Object], dict[str, Any]]] = [
    ("deployment", Deployment, DEPLOYMENT),
    ("replicaset", ReplicaSet, REPLICA_SET),
    ("job", Job, JOB),
    ("replicationcontroller", ReplicationController, REPLICATION_CONTROLLER),
]


@pytest.mark.parametrize(
    ("cls", "manifest"), [(c, m) for _, c, m in WORKLOADS], ids=[i for i, _, _ in WORKLOADS]
)
def test_workload_roundtrips_exactly(cls: type[Object], manifest: dict[str, Any]) -> None:
    assert roundtrip(cls, manifest) == manifest


def test_typed_access_after_decode() -> None:
    deployment = msgspec.json.decode(msgspec.json.encode(DEPLOYMENT), type=Deployment)
    container = deployment.spec.template.spec.containers[0]
    assert container.readiness_probe is not None and container.readiness_probe.http_get is not None
    assert container.readiness_probe.http_get.port == "http"
    assert deployment.spec.strategy.rolling_update is not None
    assert deployment.spec.strategy.rolling_update.max_surge == 1
    job = msgspec.json.decode(msgspec.json.encode(JOB), type=Job)
    assert job.spec.backoff_limit == 0 and job.status.terminating == 0
    assert job.spec.pod_failure_policy is not None
    rule = job.spec.pod_failure_policy.rules[0]
    assert rule.on_exit_codes is not None and rule.on_exit_codes.values == [42]
    rc = msgspec.json.decode(msgspec.json.encode(REPLICATION_CONTROLLER), type=ReplicationController)
    assert rc.spec.selector == {"app": "legacy"} and rc.spec.template is not None
