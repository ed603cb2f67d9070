"""A Pod using most of what real manifests use decodes and re-encodes to exactly the same JSON.

Volumes of every modelled source, env from every source, envFrom, probes of every handler kind,
lifecycle hooks, security contexts, affinity, tolerations, topology spread, host aliases, and a
status with init and app container states (`ready: false` and `restartCount: 0` kept).
"""

from __future__ import annotations

from typing import Any

import msgspec

from kubelite.api.core import Pod

from .test_types_roundtrip import DEFAULTED_CONTAINER, NODE10_TOLERATIONS, T0, T1, UID, roundtrip

PROBE_DEFAULTS = {"timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3}
IMAGE = "registry.example.com/shop/api:2.3.1"
SIDECAR_IMAGE = "registry.example.com/proxy@sha256:" + "a" * 64

VOLUMES = [
    {
        "name": "config",
        "configMap": {
            "name": "api-config",
            "items": [{"key": "app.yaml", "path": "app.yaml"}],
            "defaultMode": 420,
        },
    },
    {"name": "creds", "secret": {"secretName": "api-creds", "defaultMode": 256, "optional": True}},
    {"name": "scratch", "emptyDir": {"medium": "Memory", "sizeLimit": "64Mi"}},
    {"name": "cache", "emptyDir": {}},
    {"name": "host-logs", "hostPath": {"path": "/var/log", "type": "Directory"}},
    {"name": "data", "persistentVolumeClaim": {"claimName": "api-data", "readOnly": True}},
    {
        "name": "kube-api-access",
        "projected": {
            "sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
                {
                    "downwardAPI": {
                        "items": [
                            {
                                "path": "namespace",
                                "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"},
                            }
                        ]
                    }
                },
            ],
            "defaultMode": 420,
        },
    },
]

ENV = [
    {"name": "LOG_LEVEL", "value": "info"},
    {"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}},
    {
        "name": "MEM_LIMIT",
        "valueFrom": {
            "resourceFieldRef": {"containerName": "api", "resource": "limits.memory", "divisor": "1Mi"}
        },
    },
    {
        "name": "FEATURE",
        "valueFrom": {"configMapKeyRef": {"name": "flags", "key": "feature", "optional": True}},
    },
    {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}},
]

API_CONTAINER = {
    "name": "api",
    "image": IMAGE,
    "command": ["/bin/api"],
    "args": ["--port=8080", "--metrics"],
    "workingDir": "/srv",
    "ports": [
        {"name": "http", "containerPort": 8080, "protocol": "TCP"},
        {"name": "metrics", "containerPort": 9090, "protocol": "UDP", "hostPort": 9090, "hostIP": "0.0.0.0"},
    ],
    "envFrom": [
        {"configMapRef": {"name": "api-env"}},
        {"prefix": "DB_", "secretRef": {"name": "db", "optional": False}},
    ],
    "env": ENV,
    "resources": {"limits": {"cpu": "1", "memory": "512Mi"}, "requests": {"cpu": "250m", "memory": "512Mi"}},
    "volumeMounts": [
        {"name": "config", "readOnly": True, "mountPath": "/etc/api"},
        {"name": "scratch", "mountPath": "/tmp", "subPath": "api"},
    ],
    "livenessProbe": {
        "exec": {"command": ["cat", "/tmp/healthy"]},
        "initialDelaySeconds": 5,
        **PROBE_DEFAULTS,
    },
    "readinessProbe": {
        "httpGet": {
            "path": "/ready",
            "port": 8080,
            "scheme": "HTTP",
            "httpHeaders": [{"name": "X-Probe", "value": "1"}],
        },
        **PROBE_DEFAULTS,
        "periodSeconds": 5,
    },
    "startupProbe": {"tcpSocket": {"port": "http"}, **PROBE_DEFAULTS, "failureThreshold": 30},
    "lifecycle": {
        "postStart": {"httpGet": {"path": "/warm", "port": 8080, "scheme": "HTTP"}},
        "preStop": {"sleep": {"seconds": 5}},
    },
    "terminationMessagePath": "/dev/termination-log",
    "terminationMessagePolicy": "FallbackToLogsOnError",
    "imagePullPolicy": "Always",
    "securityContext": {
        "capabilities": {"drop": ["ALL"]},
        "runAsUser": 1000,
        "runAsNonRoot": True,
        "readOnlyRootFilesystem": True,
        "allowPrivilegeEscalation": False,
        "seccompProfile": {"type": "RuntimeDefault"},
    },
    "stdin": True,
    "tty": True,
}

SIDECAR = {
    "name": "proxy",
    "image": SIDECAR_IMAGE,
    "livenessProbe": {"grpc": {"port": 9000, "service": "health"}, **PROBE_DEFAULTS},
    "imagePullPolicy": "IfNotPresent",
    **DEFAULTED_CONTAINER,
}

AFFINITY = {
    "nodeAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [
                {
                    "matchExpressions": [
                        {"key": "kubernetes.io/arch", "operator": "In", "values": ["amd64", "arm64"]}
                    ]
                }
            ]
        },
        "preferredDuringSchedulingIgnoredDuringExecution": [
            {
                "weight": 10,
                "preference": {
                    "matchFields": [{"key": "metadata.name", "operator": "NotIn", "values": ["n9"]}]
                },
            }
        ],
    },
    "podAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": [
            {"labelSelector": {"matchLabels": {"app": "cache"}}, "topologyKey": "kubernetes.io/hostname"}
        ]
    },
    "podAntiAffinity": {
        "preferredDuringSchedulingIgnoredDuringExecution": [
            {
                "weight": 100,
                "podAffinityTerm": {
                    "labelSelector": {
                        "matchExpressions": [{"key": "app", "operator": "In", "values": ["api"]}]
                    },
                    "namespaces": ["shop"],
                    "topologyKey": "topology.kubernetes.io/zone",
                },
            }
        ]
    },
}

SPEC = {
    "volumes": VOLUMES,
    "initContainers": [
        {
            "name": "migrate",
            "image": IMAGE,
            "command": ["/bin/migrate"],
            "imagePullPolicy": "IfNotPresent",
            **DEFAULTED_CONTAINER,
        }
    ],
    "containers": [API_CONTAINER, SIDECAR],
    "restartPolicy": "Always",
    "terminationGracePeriodSeconds": 60,
    "activeDeadlineSeconds": 3600,
    "dnsPolicy": "ClusterFirst",
    "nodeSelector": {"disktype": "ssd"},
    "serviceAccountName": "api",
    "serviceAccount": "api",
    "automountServiceAccountToken": False,
    "nodeName": "node-1",
    "securityContext": {"runAsUser": 1000, "supplementalGroups": [3000], "fsGroup": 2000},
    "imagePullSecrets": [{"name": "regcred"}],
    "hostname": "api-0",
    "subdomain": "api",
    "affinity": AFFINITY,
    "schedulerName": "default-scheduler",
    "tolerations": [
        {"key": "dedicated", "operator": "Equal", "value": "api", "effect": "NoSchedule"},
        *NODE10_TOLERATIONS,
    ],
    "hostAliases": [{"ip": "10.0.0.5", "hostnames": ["db.local"]}],
    "priorityClassName": "high",
    "priority": 1000,
    "readinessGates": [{"conditionType": "example.com/ready"}],
    "runtimeClassName": "runc",
    "enableServiceLinks": True,
    "preemptionPolicy": "PreemptLowerPriority",
    "overhead": {"cpu": "10m"},
    "topologySpreadConstraints": [
        {
            "maxSkew": 1,
            "topologyKey": "topology.kubernetes.io/zone",
            "whenUnsatisfiable": "ScheduleAnyway",
            "labelSelector": {"matchLabels": {"app": "api"}},
        }
    ],
}

STATUS = {
    "phase": "Running",
    "conditions": [
        {"type": "PodScheduled", "status": "True", "lastTransitionTime": T0},
        {"type": "Ready", "status": "False", "lastTransitionTime": T1, "reason": "ContainersNotReady"},
    ],
    "hostIP": "192.168.1.10",
    "hostIPs": [{"ip": "192.168.1.10"}],
    "podIP": "10.244.1.7",
    "podIPs": [{"ip": "10.244.1.7"}, {"ip": "fd00::7"}],
    "startTime": T0,
    "initContainerStatuses": [
        {
            "name": "migrate",
            "state": {
                "terminated": {
                    "exitCode": 0,
                    "reason": "Completed",
                    "startedAt": T0,
                    "finishedAt": T1,
                    "containerID": "containerd://0123",
                }
            },
            "lastState": {},
            "ready": True,
            "restartCount": 0,
            "image": IMAGE,
            "imageID": IMAGE + "@sha256:" + "b" * 64,
            "containerID": "containerd://0123",
            "started": False,
        }
    ],
    "containerStatuses": [
        {
            "name": "api",
            "state": {"running": {"startedAt": T1}},
            "lastState": {
                "terminated": {"exitCode": 137, "reason": "OOMKilled", "startedAt": T0, "finishedAt": T1}
            },
            "ready": True,
            "restartCount": 1,
            "image": IMAGE,
            "imageID": IMAGE + "@sha256:" + "b" * 64,
            "containerID": "containerd://4567",
            "started": True,
        },
        {
            "name": "proxy",
            "state": {
                "waiting": {
                    "reason": "CrashLoopBackOff",
                    "message": "back-off 10s restarting failed container",
                }
            },
            "lastState": {},
            "ready": False,
            "restartCount": 0,
            "image": SIDECAR_IMAGE,
            "imageID": "",
            "started": False,
        },
    ],
    "qosClass": "Burstable",
}

POD: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {
        "name": "api-7c9f8d6b5d-x2x4z",
        "generateName": "api-7c9f8d6b5d-",
        "namespace": "shop",
        "uid": UID,
        "resourceVersion": "1137",
        "creationTimestamp": T0,
        "labels": {"app": "api", "pod-template-hash": "7c9f8d6b5d"},
        "ownerReferences": [
            {
                "apiVersion": "apps/v1",
                "kind": "ReplicaSet",
                "name": "api-7c9f8d6b5d",
                "uid": UID,
                "controller": True,
                "blockOwnerDeletion": True,
            }
        ],
    },
    "spec": SPEC,
    "status": STATUS,
}


def test_pod_roundtrips_exactly() -> None:
    assert roundtrip(Pod, POD) == POD


def test_pod_typed_access() -> None:
    pod = msgspec.json.decode(msgspec.json.encode(POD), type=Pod)
    assert pod.status.pod_ips[1].ip == "fd00::7" and pod.status.host_ip == "192.168.1.10"
    waiting = pod.status.container_statuses[1]
    assert (waiting.ready, waiting.restart_count, waiting.image_id) == (False, 0, "")
    assert waiting.state.waiting is not None and waiting.state.waiting.reason == "CrashLoopBackOff"
    api = pod.spec.containers[0]
    assert api.ports[1].host_ip == "0.0.0.0"
    env = api.env[2].value_from
    assert env is not None and env.resource_field_ref is not None
    assert env.resource_field_ref.divisor == "1Mi"
    projected = pod.spec.volumes[6].projected
    assert projected is not None and projected.sources[2].downward_api is not None
    assert pod.spec.affinity is not None and pod.spec.affinity.node_affinity is not None
