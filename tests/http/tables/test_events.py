"""Event rows reproduce upstream's event printer (`kubectl get events`, transcript 55)."""

from __future__ import annotations

from typing import Any

from kubelite.api.core import Event
from kubelite.apiserver.http.tables import events

from .build import CREATED, ago, make

NOW = CREATED + 3600


def event(**fields: Any) -> Event:
    base = {
        "involvedObject": {"kind": "Pod", "name": "web-1", "fieldPath": "spec.containers{web}"},
        "type": "Normal",
        "reason": "Scheduled",
        "message": "  Successfully assigned default/web-1 to node2\n",
        "source": {"component": "default-scheduler"},
    }
    return make(Event, base | fields, name="web-1.17f")


def test_all_cells() -> None:
    obj = event(firstTimestamp=ago(68, NOW), lastTimestamp=ago(64, NOW), count=3)
    assert events.cells(obj, NOW) == [
        "64s", "Normal", "Scheduled", "pod/web-1", "spec.containers{web}", "default-scheduler",
        "Successfully assigned default/web-1 to node2", "68s", 3, "web-1.17f",
    ]  # fmt: skip


def test_last_seen_falls_back_to_first_then_event_time() -> None:
    assert events.cells(event(firstTimestamp=ago(68, NOW)), NOW)[0] == "68s"
    assert events.cells(event(eventTime=ago(30, NOW)), NOW)[0] == "30s"
    assert events.cells(event(eventTime=ago(30, NOW)), NOW)[7] == "30s"
    assert events.cells(event(), NOW)[0] == "<unknown>"


def test_singleton_count_is_one() -> None:
    assert events.cells(event(), NOW)[8] == 1


def test_object_without_name_is_the_kind() -> None:
    obj = event(involvedObject={"kind": "Node"})
    assert events.cells(obj, NOW)[3:5] == ["node", ""]


def test_source_falls_back_to_reporting_controller_and_instance() -> None:
    assert events.cells(event(source={"component": "kubelet", "host": "node1"}), NOW)[5] == "kubelet, node1"
    reporting = event(source={}, reportingComponent="deployment-controller", reportingInstance="kubelite-0")
    assert events.cells(reporting, NOW)[5] == "deployment-controller, kubelite-0"
    assert events.cells(event(source={}), NOW)[5] == ""
