"""Cluster and networking kinds decode and re-encode to exactly the JSON Kubernetes serves.

Service, Node (with a full status), Namespace, ConfigMap, Secret, Event, Endpoints, Lease,
EndpointSlice, PodDisruptionBudget, and the subresource payloads Scale, Binding and Eviction.
"""

from __future__ import annotations

from typing import Any

import pytest

from kubelite.api.autoscaling import Scale
from kubelite.api.coordination import Lease
from kubelite.api.core import Binding, ConfigMap, Endpoints, Event, Namespace, Node, Secret, Service
from kubelite.api.discovery import EndpointSlice
from kubelite.api.meta import Object
from kubelite.api.policy import Eviction, PodDisruptionBudget

from .test_types_roundtrip import T0, T1, UID, roundtrip

SERVICE: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
    "spec": {
        "ports": [
            {"name": "http", "protocol": "TCP", "port": 80, "targetPort": "http"},
            {
                "name": "https",
                "protocol": "TCP",
                "appProtocol": "https",
                "port": 443,
                "targetPort": 8443,
                "nodePort": 30443,
            },
        ],
        "selector": {"app": "web"},
        "clusterIP": "10.96.0.12",
        "clusterIPs": ["10.96.0.12"],
        "type": "NodePort",
        "sessionAffinity": "ClientIP",
        "externalTrafficPolicy": "Local",
        "healthCheckNodePort": 31000,
        "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 10800}},
        "ipFamilies": ["IPv4"],
        "ipFamilyPolicy": "SingleStack",
        "internalTrafficPolicy": "Cluster",
    },
    "status": {"loadBalancer": {}},
}

NODE: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "Node",
    "metadata": {
        "name": "node-1",
        "labels": {"kubernetes.io/hostname": "node-1", "kubernetes.io/os": "linux"},
    },
    "spec": {
        "podCIDR": "10.244.1.0/24",
        "podCIDRs": ["10.244.1.0/24"],
        "providerID": "kubelite://node-1",
        "unschedulable": True,
        "taints": [
            {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule", "timeAdded": T0},
            {"key": "dedicated", "value": "gpu", "effect": "NoExecute"},
        ],
    },
    "status": {
        "capacity": {"cpu": "4", "memory": "8Gi", "pods": "110"},
        "allocatable": {"cpu": "3800m", "memory": "7Gi", "pods": "110"},
        "conditions": [
            {
                "type": "Ready",
                "status": "True",
                "lastHeartbeatTime": T1,
                "lastTransitionTime": T0,
                "reason": "KubeletReady",
                "message": "kubelet is posting ready status",
            },
            {"type": "MemoryPressure", "status": "False", "lastHeartbeatTime": T1, "lastTransitionTime": T0},
        ],
        "addresses": [
            {"type": "InternalIP", "address": "192.168.1.10"},
            {"type": "Hostname", "address": "node-1"},
        ],
        "nodeInfo": {
            "machineID": "m-1",
            "systemUUID": "s-1",
            "bootID": "b-1",
            "kernelVersion": "6.1.0",
            "osImage": "Debian GNU/Linux 12",
            "containerRuntimeVersion": "fake://1.0",
            "kubeletVersion": "v1.30.0-kubelite",
            "kubeProxyVersion": "",
            "operatingSystem": "linux",
            "architecture": "amd64",
        },
        "images": [{"names": ["busybox:1.36"], "sizeBytes": 4261550}],
    },
}

NAMESPACE: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "Namespace",
    "metadata": {"name": "team", "labels": {"kubernetes.io/metadata.name": "team"}, "deletionTimestamp": T1},
    "spec": {"finalizers": ["kubernetes"]},
    "status": {
        "phase": "Terminating",
        "conditions": [
            {"type": "NamespaceContentRemaining", "status": "True", "reason": "SomeResourcesRemain"}
        ],
    },
}

CONFIG_MAP: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "ConfigMap",
    "metadata": {"name": "cfg", "namespace": "default"},
    "immutable": True,
    "data": {"app.yaml": "port: 8080\n"},
    "binaryData": {"logo.png": "iVBORw0KGgo="},
}

SECRET: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "Secret",
    "metadata": {"name": "db", "namespace": "default"},
    "data": {"password": "czNjcjN0", "username": "YWRtaW4="},
    "type": "kubernetes.io/basic-auth",
}

EVENT: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "Event",
    "metadata": {"name": "web-7c9f8d6b5d.17c1b2a3d4e5f601", "namespace": "default"},
    "involvedObject": {
        "kind": "ReplicaSet",
        "namespace": "default",
        "name": "web-7c9f8d6b5d",
        "uid": UID,
        "apiVersion": "apps/v1",
        "resourceVersion": "1130",
    },
    "reason": "SuccessfulCreate",
    "message": "Created pod: web-7c9f8d6b5d-x2x4z",
    "source": {"component": "replicaset-controller"},
    "firstTimestamp": T0,
    "lastTimestamp": T1,
    "count": 2,
    "type": "Normal",
    "reportingComponent": "replicaset-controller",
    "reportingInstance": "",
}

ENDPOINTS: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "Endpoints",
    "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
    "subsets": [
        {
            "addresses": [
                {
                    "ip": "10.244.1.7",
                    "nodeName": "node-1",
                    "targetRef": {"kind": "Pod", "namespace": "default", "name": "web-a", "uid": UID},
                }
            ],
            "notReadyAddresses": [{"ip": "10.244.2.9", "hostname": "web-b"}],
            "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}],
        }
    ],
}

LEASE: dict[str, Any] = {
    "apiVersion": "coordination.k8s.io/v1",
    "kind": "Lease",
    "metadata": {"name": "node-1", "namespace": "kube-node-lease"},
    "spec": {
        "holderIdentity": "node-1",
        "leaseDurationSeconds": 40,
        "acquireTime": "2024-05-01T10:00:00.000000Z",
        "renewTime": "2024-05-01T10:00:10.123456Z",
        "leaseTransitions": 0,
    },
}

ENDPOINT_SLICE: dict[str, Any] = {
    "apiVersion": "discovery.k8s.io/v1",
    "kind": "EndpointSlice",
    "metadata": {
        "name": "web-abc12",
        "generateName": "web-",
        "namespace": "default",
        "labels": {
            "kubernetes.io/service-name": "web",
            "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
        },
    },
    "addressType": "IPv4",
    "endpoints": [
        {
            "addresses": ["10.244.1.7"],
            "conditions": {"ready": True, "serving": True, "terminating": False},
            "targetRef": {"kind": "Pod", "namespace": "default", "name": "web-a", "uid": UID},
            "nodeName": "node-1",
            "zone": "z1",
        },
        {"addresses": ["10.244.2.9"], "conditions": {}},
    ],
    "ports": [{"name": "", "protocol": "TCP", "port": 8080}],
}

PDB: dict[str, Any] = {
    "apiVersion": "policy/v1",
    "kind": "PodDisruptionBudget",
    "metadata": {"name": "web", "namespace": "default", "generation": 1},
    "spec": {"minAvailable": "50%", "selector": {"matchLabels": {"app": "web"}}},
    "status": {
        "observedGeneration": 1,
        "disruptedPods": {"web-a": T1},
        "disruptionsAllowed": 0,
        "currentHealthy": 2,
        "desiredHealthy": 2,
        "expectedPods": 3,
        "conditions": [
            {
                "type": "DisruptionAllowed",
                "status": "False",
                "observedGeneration": 1,
                "lastTransitionTime": T1,
                "reason": "InsufficientPods",
                "message": "",
            }
        ],
    },
}

SCALE: dict[str, Any] = {
    "apiVersion": "autoscaling/v1",
    "kind": "Scale",
    "metadata": {"name": "web", "namespace": "default", "resourceVersion": "42"},
    "spec": {"replicas": 5},
    "status": {"replicas": 3, "selector": "app=web"},
}

BINDING: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "Binding",
    "metadata": {"name": "web-a", "namespace": "default"},
    "target": {"kind": "Node", "name": "node-1", "apiVersion": "v1"},
}

EVICTION: dict[str, Any] = {
    "apiVersion": "policy/v1",
    "kind": "Eviction",
    "metadata": {"name": "web-a", "namespace": "default"},
    "deleteOptions": {"kind": "DeleteOptions", "apiVersion": "v1", "gracePeriodSeconds": 0},
}

CLUSTER: list[tuple[str, type[Object], dict[str, Any]]] = [
    ("service", Service, SERVICE),
    ("node", Node, NODE),
    ("namespace", Namespace, NAMESPACE),
    ("configmap", ConfigMap, CONFIG_MAP),
    ("secret", Secret, SECRET),
    ("event", Event, EVENT),
    ("endpoints", Endpoints, ENDPOINTS),
    ("lease", Lease, LEASE),
    ("endpointslice", EndpointSlice, ENDPOINT_SLICE),
    ("pdb", PodDisruptionBudget, PDB),
    ("scale", Scale, SCALE),
    ("binding", Binding, BINDING),
    ("eviction", Eviction, EVICTION),
]


@pytest.mark.parametrize(("cls", "manifest"), [(c, m) for _, c, m in CLUSTER], ids=[i for i, _, _ in CLUSTER])
def test_cluster_kind_roundtrips_exactly(cls: type[Object], manifest: dict[str, Any]) -> None:
    assert roundtrip(cls, manifest) == manifest


@pytest.mark.parametrize(
    ("cls", "always"),
    [
        (Node, {"status": {"nodeInfo": dict.fromkeys(NODE["status"]["nodeInfo"], "")}, "spec": {}}),
        (Service, {"spec": {}, "status": {"loadBalancer": {}}}),
        (Event, {"involvedObject": {}, "source": {}, "reportingComponent": "", "reportingInstance": ""}),
        (EndpointSlice, {"addressType": ""}),
        (
            PodDisruptionBudget,
            {
                "spec": {},
                "status": dict.fromkeys(
                    ("disruptionsAllowed", "currentHealthy", "desiredHealthy", "expectedPods"), 0
                ),
            },
        ),
        (Scale, {"spec": {}, "status": {"replicas": 0}}),
        (Lease, {"spec": {}}),
    ],
    ids=["node", "service", "event", "endpointslice", "pdb", "scale", "lease"],
)
def test_fields_kubernetes_always_prints_are_encoded_when_empty(
    cls: type[Object], always: dict[str, Any]
) -> None:
    """An empty object still carries the fields clients require (`nodeInfo`, PDB counters, …)."""
    encoded = roundtrip(cls, {})
    kind_and_version = {"kind": cls.__name__, "apiVersion": encoded["apiVersion"], "metadata": {}}
    assert encoded == {**kind_and_version, **always}
