"""DaemonSets over HTTP (what `kubectl drain` asks about a pod's DaemonSet controller, NODE-14):
create with defaults, GET of a missing one is Kubernetes' NotFound Status, a bad one is 422 with
field causes and nothing stored, and the Table row reproduces upstream's printer."""

from __future__ import annotations

import pytest

from kubelite.api.apps import DaemonSet
from kubelite.apiserver.http.tables import daemonsets
from tests.http.conftest import HTTPAPI
from tests.http.tables.build import CREATED, make

pytestmark = pytest.mark.anyio

DAEMON_SETS = "/apis/apps/v1/namespaces/default/daemonsets"


def _body(labels: dict[str, str]) -> dict[str, object]:
    return {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": "agent"},
        "spec": {
            "selector": {"matchLabels": {"app": "agent"}},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{"name": "agent", "image": "busybox:1.36"}]},
            },
        },
    }


async def test_node14_a_missing_daemonset_is_not_found_as_kubernetes_words_it(api: HTTPAPI) -> None:
    """kubectl drain turns this 404 into `daemonsets.apps "agent" not found` (and evicts the
    orphaned pod only with --force)."""
    code, status = await api.call("GET", f"{DAEMON_SETS}/agent")
    assert (code, status) == (
        404,
        {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": 'daemonsets.apps "agent" not found',
            "reason": "NotFound",
            "details": {"name": "agent", "group": "apps", "kind": "daemonsets"},
            "code": 404,
        },
    )


async def test_create_defaults_and_reads_back(api: HTTPAPI) -> None:
    code, created = await api.call("POST", DAEMON_SETS, _body({"app": "agent"}))
    assert code == 201, created
    assert created["spec"]["updateStrategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0},
    }
    assert (created["spec"]["revisionHistoryLimit"], created["metadata"]["generation"]) == (10, 1)
    code, read = await api.call("GET", f"{DAEMON_SETS}/agent")
    assert (code, read["kind"], read["metadata"]["uid"]) == (200, "DaemonSet", created["metadata"]["uid"])


async def test_a_selector_that_misses_the_template_is_422_and_nothing_is_stored(api: HTTPAPI) -> None:
    code, status = await api.call("POST", DAEMON_SETS, _body({"app": "other"}))
    assert code == 422
    assert status["message"] == (
        'DaemonSet.apps "agent" is invalid: spec.template.metadata.labels: Invalid value: '
        '{"app":"other"}: `selector` does not match template `labels`'
    )
    assert status["details"]["causes"] == [
        {
            "reason": "FieldValueInvalid",
            "message": 'Invalid value: {"app":"other"}: `selector` does not match template `labels`',
            "field": "spec.template.metadata.labels",
        }
    ]
    assert (await api.call("GET", f"{DAEMON_SETS}/agent"))[0] == 404


def test_table_row_reproduces_upstreams_printer() -> None:
    obj = make(
        DaemonSet,
        {
            "spec": {
                "selector": {"matchLabels": {"app": "agent"}},
                "template": {
                    "spec": {
                        "nodeSelector": {"zone": "a", "disk": "ssd"},
                        "containers": [{"name": "agent", "image": "busybox:1.36"}],
                    }
                },
            },
            "status": {
                "desiredNumberScheduled": 3,
                "currentNumberScheduled": 2,
                "numberReady": 1,
                "updatedNumberScheduled": 2,
                "numberAvailable": 1,
            },
        },
        name="agent",
    )
    assert daemonsets.cells(obj, CREATED + 5) == [
        "agent", 3, 2, 1, 2, 1, "disk=ssd,zone=a", "5s", "agent", "busybox:1.36", "app=agent",
    ]  # fmt: skip
    obj.spec.template.spec.node_selector = {}
    assert daemonsets.cells(obj, CREATED + 5)[6] == "<none>"
