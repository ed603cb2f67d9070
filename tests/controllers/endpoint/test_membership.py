"""Which Services a pod event concerns (upstream's GetServicesToUpdateOnPodChange), and the
last-change-trigger-time tracker (EP-8). Pure."""

from __future__ import annotations

import msgspec
import pytest

from kubelite.api.core import Pod, Service
from kubelite.controllers.endpointutil.membership import (
    ServiceSelectors,
    managed_selector,
    services_to_update,
)
from kubelite.controllers.endpointutil.triggertime import TriggerTimeTracker

from .support import pod, ready_condition, service


def selectors(*services: Service) -> ServiceSelectors:
    registry = ServiceSelectors()
    handlers = registry.handlers()
    assert handlers.on_add is not None
    for svc in services:
        handlers.on_add(svc, True)
    return registry


REGISTRY = (
    service("blue", {"color": "blue"}),
    service("green", {"color": "green"}),
    service("all", {"tier": "web"}),
    service("none", {}),
)


def changed(old: Pod, **edits: object) -> Pod:
    new = msgspec.json.decode(msgspec.json.encode(old), type=Pod)
    new.metadata.resource_version = "2"
    for field, value in edits.items():
        target = new.metadata if field in ("labels", "annotations", "deletion_timestamp") else new.status
        setattr(target, field, value)
    return new


BASE = pod("p", "10.0.0.1", labels={"color": "blue", "tier": "web"})
BASE.metadata.resource_version = "1"


@pytest.mark.parametrize(
    ("new", "expected"),
    [
        (BASE, set()),
        (changed(BASE, annotations={"a": "b"}), set()),
        (changed(BASE, conditions=[ready_condition(False)]), {"blue", "all"}),
        (changed(BASE, deletion_timestamp="2026-01-01T00:00:01Z"), {"blue", "all"}),
        (changed(BASE, phase="Succeeded"), {"blue", "all"}),
        (changed(BASE, pod_ip="10.0.0.2", pod_ips=[]), {"blue", "all"}),
        (changed(BASE, labels={"color": "green", "tier": "web"}), {"blue", "green"}),
        (
            changed(BASE, labels={"color": "green", "tier": "web"}, conditions=[ready_condition(False)]),
            {"blue", "green", "all"},
        ),
    ],
    ids=[
        "resync",
        "annotation",
        "readiness",
        "terminating",
        "phase",
        "ip",
        "relabel",
        "relabel-and-readiness",
    ],
)
def test_services_to_update_on_pod_change(new: Pod, expected: set[str]) -> None:
    """A relabelled pod updates the Service it left and the one it joined (not the ones it stays
    in); a change endpoints see updates every Service of the pod; anything else none."""
    assert services_to_update(selectors(*REGISTRY), BASE, new) == expected


def test_selectorless_and_external_name_services_are_not_managed() -> None:
    """EP-1: no selector, or ExternalName, means the controllers leave the Service alone."""
    external = service()
    external.spec.type = "ExternalName"
    assert managed_selector(service(selector={})) is None
    assert managed_selector(external) is None
    registry = selectors(*REGISTRY)
    assert registry.services_for("default", {"color": "blue", "tier": "web"}) == {"blue", "all"}
    assert registry.services_for("other", {"color": "blue"}) == set()


def test_ep8_trigger_time_is_creation_first_then_the_earliest_change() -> None:
    """EP-8: a Service first seen gets its creationTimestamp; later syncs the earliest Ready
    transition that moved since the previous sync; nothing moved → None (annotation cleared)."""
    tracker = TriggerTimeTracker()
    svc = service()
    a, b = pod("a", "10.0.0.1"), pod("b", "10.0.0.2")
    assert tracker.compute(svc, [a, b]) == "2026-01-01T00:00:00Z"
    assert tracker.compute(svc, [a, b]) is None
    a.status.conditions = [ready_condition(False, "2026-01-01T00:01:00Z")]
    b.status.conditions = [ready_condition(False, "2026-01-01T00:00:30.5Z")]
    assert tracker.compute(svc, [a, b]) == "2026-01-01T00:00:30.5Z"
    assert tracker.compute(svc, [a, b]) is None
    tracker.forget("default", "web")
    assert tracker.compute(svc, [a, b]) == "2026-01-01T00:00:00Z"
