"""Typical manifests, decoded and defaulted as the apiserver does, pass validation (API-1: server-set
uid and creationTimestamp need nothing from the client)."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from kubelite.api.apps import Deployment, ReplicaSet
from kubelite.api.batch import Job
from kubelite.api.coordination import Lease
from kubelite.api.core import (
    ConfigMap,
    Endpoints,
    Event,
    Namespace,
    Node,
    Pod,
    ReplicationController,
    Secret,
    Service,
)
from kubelite.api.defaults import apply_defaults
from kubelite.api.meta import Object
from kubelite.api.policy import PodDisruptionBudget
from kubelite.api.validation import validate_create, validate_update

TEMPLATE: dict[str, Any] = {
    "metadata": {"labels": {"app": "web"}},
    "spec": {
        "containers": [
            {
                "name": "web",
                "image": "nginx:1.25",
                "ports": [{"containerPort": 80, "name": "http"}],
                "livenessProbe": {"httpGet": {"port": "http"}},
                "readinessProbe": {"tcpSocket": {"port": 80}, "successThreshold": 2},
                "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}, "limits": {"memory": "128Mi"}},
            }
        ]
    },
}
SELECTOR = {"matchLabels": {"app": "web"}}

MANIFESTS: list[tuple[type[Object], dict[str, Any]]] = [
    (Pod, {"metadata": {"name": "web"}, "spec": TEMPLATE["spec"]}),
    (Deployment, {"metadata": {"name": "web"}, "spec": {"selector": SELECTOR, "template": TEMPLATE}}),
    (ReplicaSet, {"metadata": {"name": "web-1"}, "spec": {"selector": SELECTOR, "template": TEMPLATE}}),
    (ReplicationController, {"metadata": {"name": "web"}, "spec": {"template": TEMPLATE}}),
    (
        Job,
        {
            "metadata": {"name": "pi"},
            "spec": {
                "template": {
                    "spec": {"restartPolicy": "Never", "containers": [{"name": "pi", "image": "perl"}]}
                }
            },
        },
    ),
    (
        Service,
        {
            "metadata": {"name": "web"},
            "spec": {"type": "NodePort", "selector": {"app": "web"}, "ports": [{"port": 80}]},
        },
    ),
    (Namespace, {"metadata": {"name": "team-a"}}),
    (
        Node,
        {"metadata": {"name": "node1"}, "status": {"capacity": {"cpu": "4", "memory": "8Gi", "pods": "110"}}},
    ),
    (ConfigMap, {"metadata": {"name": "conf"}, "data": {"app.properties": "a=b"}}),
    (
        Secret,
        {
            "metadata": {"name": "tls"},
            "type": "kubernetes.io/tls",
            "data": {"tls.crt": "eA==", "tls.key": "eA=="},
        },
    ),
    (Lease, {"metadata": {"name": "node1"}, "spec": {"holderIdentity": "node1", "leaseDurationSeconds": 40}}),
    (
        PodDisruptionBudget,
        {"metadata": {"name": "web"}, "spec": {"minAvailable": "50%", "selector": SELECTOR}},
    ),
    (
        Endpoints,
        {
            "metadata": {"name": "web"},
            "subsets": [{"addresses": [{"ip": "10.244.0.5"}], "ports": [{"port": 80}]}],
        },
    ),
    (
        Event,
        {
            "metadata": {"name": "web.17"},
            "involvedObject": {"kind": "Pod", "name": "web", "namespace": "default"},
            "reason": "Started",
        },
    ),
]
CLUSTER_SCOPED = (Namespace, Node)


def created(kind: type[Object], manifest: dict[str, Any]) -> Object:
    body = {"kind": kind.__name__, **manifest}
    obj = msgspec.convert(body, kind)
    if kind not in CLUSTER_SCOPED:
        obj.metadata.namespace = "default"
    obj.metadata.uid = "0b5cf0c1-6a8e-4b4e-9d6e-3a1f0c9b2d11"
    obj.metadata.creation_timestamp = "2024-01-01T00:00:00Z"
    apply_defaults(obj, creating=True)
    return obj


@pytest.mark.parametrize(("kind", "manifest"), MANIFESTS, ids=[k.__name__ for k, _ in MANIFESTS])
def test_defaulted_manifests_are_valid_and_resending_them_is_a_valid_update(
    kind: type[Object], manifest: dict[str, Any]
) -> None:
    obj = created(kind, manifest)
    assert [str(e) for e in validate_create(obj)] == []
    again = msgspec.convert(msgspec.to_builtins(obj), kind)
    again.metadata.resource_version = "5"
    assert [str(e) for e in validate_update(again, obj)] == []


def test_job_without_restart_policy_is_rejected_after_defaulting() -> None:
    job = created(
        Job,
        {
            "metadata": {"name": "pi"},
            "spec": {"template": {"spec": {"containers": [{"name": "pi", "image": "perl"}]}}},
        },
    )
    assert [str(e) for e in validate_create(job)] == [
        'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"'
    ]
