"""Protobuf bodies the real kubectl sends decode to the JSON kubectl would have sent (issue 12 item 2).

Golden inputs are kubectl v1.32's own bytes (`golden.py`, including transcript 28's namespace body);
bodies for DeleteOptions and Eviction (drain's DELETE fallback and eviction) are built with this
package's encoder from the same descriptors, and kubectl's JSON for them is written out by hand.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kubelite.apiserver.http.protobuf import decode, encode
from tests.http.protobuf.golden import GOLDEN, NAMESPACE, without_nulls

TRANSCRIPT = Path("/work/shared/reference/kubectl-transcripts/28-create-imperative-protobuf.txt")


@pytest.mark.parametrize(("body", "expected"), GOLDEN.values(), ids=list(GOLDEN))
def test_kubectl_bodies_decode_to_kubectls_json(body: str, expected: str) -> None:
    assert decode(bytes.fromhex(body)) == without_nulls(json.loads(expected))


@pytest.mark.parametrize(("body", "expected"), GOLDEN.values(), ids=list(GOLDEN))
def test_own_encoder_round_trips_kubectls_json(body: str, expected: str) -> None:
    """Our encoder writes no zero fields where Go's does, and the result decodes the same."""
    obj = without_nulls(json.loads(expected))
    encoded = encode(obj)
    assert len(encoded) <= len(bytes.fromhex(body))
    assert decode(encoded) == obj


def test_transcript_28_body_is_the_golden_namespace() -> None:
    if not TRANSCRIPT.exists():
        pytest.skip("the shared reference transcripts are not on this machine")
    data = TRANSCRIPT.read_bytes()
    body = data[data.index(b"body: ") + len(b"body: ") : -1]
    assert body == bytes.fromhex(NAMESPACE)
    assert decode(body) == {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": "foo"},
        "spec": {},
        "status": {},
    }


DELETE_OPTIONS: list[dict[str, Any]] = [
    {"kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": "Orphan"},
    # gracePeriodSeconds is a pointer: an explicit 0 (delete now) must survive.
    {
        "kind": "DeleteOptions",
        "apiVersion": "meta.k8s.io/v1",
        "gracePeriodSeconds": 0,
        "propagationPolicy": "Foreground",
        "preconditions": {"uid": "3f1c", "resourceVersion": "42"},
        "orphanDependents": False,
        "dryRun": ["All"],
    },
]


@pytest.mark.parametrize("options", DELETE_OPTIONS, ids=["orphan", "grace-0-foreground"])
def test_delete_options(options: dict[str, Any]) -> None:
    assert decode(encode(options)) == options


def test_eviction_with_delete_options() -> None:
    eviction = {
        "kind": "Eviction",
        "apiVersion": "policy/v1",
        "metadata": {"name": "web-1", "namespace": "default"},
        "deleteOptions": {"gracePeriodSeconds": 0},
    }
    assert decode(encode(eviction)) == eviction


def test_zero_replicas_survive_and_go_zero_values_do_not() -> None:
    """replicas is *int32 (0 kept); minReadySeconds and paused are omitempty values (0/false dropped
    when Go's encoder writes them, as kubectl's JSON omits them)."""
    deployment = {
        "kind": "Deployment",
        "apiVersion": "apps/v1",
        "metadata": {"name": "web", "creationTimestamp": "2027-01-15T08:30:00Z"},
        "spec": {"replicas": 0, "minReadySeconds": 0, "paused": False, "revisionHistoryLimit": 0},
    }
    assert decode(encode(deployment)) == {
        "kind": "Deployment",
        "apiVersion": "apps/v1",
        "metadata": {"name": "web", "creationTimestamp": "2027-01-15T08:30:00Z"},
        "spec": {"replicas": 0, "revisionHistoryLimit": 0},
    }


def test_quantities_int_or_strings_raw_json_and_inlined_structs() -> None:
    """Quantity as its string, IntOrString by type, managedFields' raw JSON, inlined embedded
    structs (a volume's source, a probe's handler, a key selector's name)."""
    pod = {
        "kind": "Pod",
        "apiVersion": "v1",
        "metadata": {"name": "p", "managedFields": [{"manager": "kubectl", "fieldsV1": {"f:spec": {}}}]},
        "spec": {
            "containers": [
                {
                    "name": "c",
                    "resources": {"limits": {"cpu": "250m", "memory": "64Mi"}},
                    "readinessProbe": {"httpGet": {"port": "http", "path": "/"}, "periodSeconds": 5},
                    "livenessProbe": {"tcpSocket": {"port": 8080}},
                    "env": [{"name": "K", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}],
                }
            ],
            "volumes": [{"name": "cfg", "configMap": {"name": "cm", "defaultMode": 420}}],
        },
    }
    assert decode(encode(pod)) == pod


def test_micro_time_and_bytes() -> None:
    lease = {
        "kind": "Lease",
        "apiVersion": "coordination.k8s.io/v1",
        "metadata": {"name": "node-1"},
        "spec": {"renewTime": "2027-01-15T08:30:00.123456Z", "leaseDurationSeconds": 40},
    }
    assert decode(encode(lease)) == lease
    secret = {"kind": "Secret", "apiVersion": "v1", "data": {"bin": "AP8Q"}}
    assert decode(encode(secret)) == secret
