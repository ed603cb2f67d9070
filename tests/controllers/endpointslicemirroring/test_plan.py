"""The mirroring planner (EP-11 mirroring of a selector-less Service's Endpoints, EP-1): which
slices one Endpoints object makes, and which writes a second sync makes over them."""

from __future__ import annotations

import msgspec
import pytest

from kubelite.api.core import Endpoints
from kubelite.api.discovery import EndpointSlice
from kubelite.controllers.endpointslicemirroring.desired import should_mirror
from kubelite.controllers.endpointslicemirroring.plan import plan_mirror
from tests.controllers.endpointslicemirroring.support import endpoints, selectorless, subset

Row = tuple[str, list[int], list[tuple[str, bool]]]
MANAGED = {
    "kubernetes.io/service-name": "manual",
    "endpointslice.kubernetes.io/managed-by": "endpointslicemirroring-controller.k8s.io",
}


def _rows(slices: list[EndpointSlice]) -> list[Row]:
    return sorted(
        (
            s.address_type,
            [p.port or 0 for p in s.ports],
            [(e.addresses[0], bool(e.conditions.ready)) for e in s.endpoints],
        )
        for s in slices
    )


def _stored(slices: list[EndpointSlice], uid: str = "ep-uid") -> list[EndpointSlice]:
    """The slices as the apiserver stores them (named)."""
    out = []
    for i, endpoint_slice in enumerate(slices):
        meta = msgspec.structs.replace(endpoint_slice.metadata, name=f"manual-{i}", generate_name="")
        out.append(msgspec.structs.replace(endpoint_slice, metadata=meta))
    return out


CREATES = [
    pytest.param(
        endpoints(subset(["192.0.2.42"], ["192.0.2.43"])),
        1000,
        [("IPv4", [9376], [("192.0.2.42", True), ("192.0.2.43", False)])],
        id="ready-and-not-ready",
    ),
    pytest.param(
        endpoints(subset(["192.0.2.42", "2001:db8::1"])),
        1000,
        [("IPv4", [9376], [("192.0.2.42", True)]), ("IPv6", [9376], [("2001:db8::1", True)])],
        id="one-slice-set-per-address-type",
    ),
    pytest.param(
        endpoints(subset(["192.0.2.1"]), subset(["192.0.2.2"], port=53), subset(["192.0.2.3"])),
        1000,
        [("IPv4", [53], [("192.0.2.2", True)]), ("IPv4", [9376], [("192.0.2.1", True), ("192.0.2.3", True)])],
        id="subsets-with-the-same-ports-share-slices",
    ),
    pytest.param(
        endpoints(subset(["not-an-ip", "192.0.2.1"])),
        1000,
        [("IPv4", [9376], [("192.0.2.1", True)])],
        id="invalid-ip-skipped",
    ),
    pytest.param(
        endpoints(subset(["192.0.2.1", "192.0.2.2", "192.0.2.3"], ["192.0.2.4"])),
        2,
        [("IPv4", [9376], [("192.0.2.1", True), ("192.0.2.2", True)])],
        id="at-most-max-per-subset-ready-first",
    ),
    pytest.param(
        endpoints(subset(["192.0.2.1", "192.0.2.2"]), subset(["192.0.2.3"], ["192.0.2.4"])),
        2,
        [
            ("IPv4", [9376], [("192.0.2.1", True), ("192.0.2.2", True)]),
            ("IPv4", [9376], [("192.0.2.3", True), ("192.0.2.4", False)]),
        ],
        id="the-limit-is-per-subset",
    ),
    pytest.param(endpoints(), 1000, [], id="no-subsets-no-placeholder"),
]


@pytest.mark.parametrize(("source", "limit", "expected"), CREATES)
def test_ep11_mirroring_plans_slices_from_subsets(source: Endpoints, limit: int, expected: list[Row]) -> None:
    """EP-11 mirroring: one slice set per (address type, subset port set); ready addresses are
    ready=true, not-ready ones ready=false; at most `limit` addresses per subset; bad IPs skipped."""
    source.metadata.uid = "ep-uid"
    plan = plan_mirror(source, [], limit)
    assert not plan.update and not plan.delete
    assert _rows(plan.create) == expected


def test_ep11_mirrored_slice_metadata() -> None:
    """EP-11 mirroring: generateName `<name>-`, the Endpoints' labels plus service-name and
    managed-by, annotations without last-applied-configuration, controller owner = the Endpoints."""
    source = endpoints(
        subset(["192.0.2.42"]),
        labels={"team": "a", "endpointslice.kubernetes.io/managed-by": "me"},
        annotations={"kubectl.kubernetes.io/last-applied-configuration": "{}", "note": "kept"},
        uid="ep-uid",
    )
    (created,) = plan_mirror(source, []).create
    meta = created.metadata
    assert (meta.generate_name, meta.namespace) == ("manual-", "default")
    assert meta.labels == {"team": "a", **MANAGED}
    assert meta.annotations == {"note": "kept"}
    (owner,) = meta.owner_references
    assert (owner.api_version, owner.kind, owner.name, owner.uid) == ("v1", "Endpoints", "manual", "ep-uid")
    assert owner.controller and owner.block_owner_deletion
    assert [(p.name, p.port, p.protocol) for p in created.ports] == [("", 9376, "TCP")]


def _base() -> tuple[Endpoints, list[EndpointSlice]]:
    source = endpoints(subset(["192.0.2.1", "192.0.2.2"]), labels={"team": "a"}, uid="ep-uid")
    return source, _stored(plan_mirror(source, []).create)


def test_ep11_mirroring_unchanged_plans_nothing() -> None:
    """EP-11 mirroring: a second sync over the same state writes nothing."""
    source, stored = _base()
    assert plan_mirror(source, stored).empty


@pytest.mark.parametrize(
    ("change", "creates", "updates", "deletes"),
    [
        pytest.param(lambda e: e.metadata.labels.update(team="b"), 0, 1, 0, id="label-change-updates"),
        pytest.param(lambda e: e.metadata.annotations.update(x="y"), 0, 1, 0, id="annotation-change-updates"),
        pytest.param(lambda e: e.subsets[0].addresses.pop(), 0, 1, 0, id="address-removed-updates"),
        pytest.param(lambda e: e.subsets.clear(), 0, 0, 1, id="no-addresses-deletes"),
        pytest.param(
            lambda e: e.subsets[0].ports[0].__setattr__("port", 1), 0, 1, 0, id="new-ports-reuse-slice"
        ),
        pytest.param(lambda e: setattr(e.metadata, "uid", "other"), 1, 0, 1, id="recreated-endpoints"),
    ],
)
def test_ep11_mirroring_changes(change: object, creates: int, updates: int, deletes: int) -> None:
    """EP-11 mirroring: a change rewrites the slice (labels and annotations included); slices
    of another Endpoints object with the same name go."""
    source, stored = _base()
    changed = msgspec.convert(msgspec.to_builtins(source), Endpoints)
    change(changed)  # type: ignore[operator]
    plan = plan_mirror(changed, stored)
    assert (len(plan.create), len(plan.update), len(plan.delete)) == (creates, updates, deletes)


def test_ep11_mirroring_not_applying_deletes_everything() -> None:
    """EP-11 mirroring: when mirroring does not apply, every mirrored slice goes."""
    _, stored = _base()
    plan = plan_mirror(None, stored)
    assert plan.delete == stored and not plan.create and not plan.update


@pytest.mark.parametrize(
    ("labels", "has_service", "selector", "expected"),
    [
        pytest.param({}, True, {}, True, id="selectorless-service"),
        pytest.param({}, False, {}, False, id="no-service"),
        pytest.param({}, True, {"app": "web"}, False, id="selector-service-EP-1"),
        pytest.param({"endpointslice.kubernetes.io/skip-mirror": "true"}, True, {}, False, id="skip-mirror"),
        pytest.param(
            {"endpointslice.kubernetes.io/skip-mirror": "false"}, True, {}, True, id="skip-mirror-false"
        ),
    ],
)
def test_ep1_ep11_should_mirror(
    labels: dict[str, str], has_service: bool, selector: dict[str, str], expected: bool
) -> None:
    """EP-1 / EP-11 mirroring: only the Endpoints of an existing selector-less Service, unless it
    is labelled skip-mirror=true (the apiserver's own `kubernetes` Endpoints is)."""
    service = selectorless()
    service.spec.selector = selector
    assert should_mirror(endpoints(labels=labels), service if has_service else None) is expected
