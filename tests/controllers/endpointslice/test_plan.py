"""The EndpointSlice planner, pure (EP-11): labels, generateName, owner, addressType, at most 100
endpoints per slice, conditions of ready, serving and terminating endpoints, port sets, the
placeholder, stability (nothing planned twice) and minimal churn (one changed pod rewrites one
slice)."""

from __future__ import annotations

import itertools

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kubelite.api.core import ContainerPort, ObjectReference, Pod, ServicePort
from kubelite.api.discovery import Endpoint, EndpointConditions, EndpointPort, EndpointSlice
from kubelite.api.meta import OwnerReference
from kubelite.controllers.endpointslice.plan import SlicePlan, plan_slices
from tests.controllers.endpoint.support import pod, ready_condition, service

COUNTER = itertools.count()


def zones(name: str) -> str | None:
    return {"node-1": "", "node-2": "zone-b"}.get(name)


def stored(existing: list[EndpointSlice], plan: SlicePlan) -> list[EndpointSlice]:
    """The slices after the plan's writes, with names, uids and generations as the API gives."""
    gone = {s.metadata.name for s in plan.delete}
    updated = {s.metadata.name: s for s in plan.update}
    result = []
    for current in existing:
        if current.metadata.name in gone:
            continue
        new = updated.get(current.metadata.name)
        if new is not None:
            new = msgspec.json.decode(msgspec.json.encode(new), type=EndpointSlice)
            new.metadata.generation = current.metadata.generation + 1
        result.append(new or current)
    for fresh in plan.create:
        copy = msgspec.json.decode(msgspec.json.encode(fresh), type=EndpointSlice)
        number = next(COUNTER)
        copy.metadata.name = f"{fresh.metadata.generate_name}{number:05d}"
        copy.metadata.uid, copy.metadata.generation = f"slice-uid-{number}", 1
        result.append(copy)
    return result


def ip(i: int) -> str:
    return f"10.1.{i // 256}.{i % 256}"


def members(count: int, **kw: object) -> list[Pod]:
    return [pod(f"p{i:03d}", ip(i), **kw) for i in range(count)]  # type: ignore[arg-type]


def test_ep11_a_slice_has_the_labels_generate_name_owner_address_type_and_endpoints() -> None:
    """EP-11: labels kubernetes.io/service-name and endpointslice.kubernetes.io/managed-by (plus
    the Service's), generateName <svc>-, the Service as controlling owner, addressType IPv4, and
    each endpoint {addresses, conditions{ready, serving, terminating}, nodeName, targetRef}."""
    svc = service(
        labels={"team": "a"}, ports=[ServicePort(port=80, name="http", target_port=8080, app_protocol="h2c")]
    )
    member = pod("a", "10.0.0.1", node="node-2", hostname="a", subdomain="web")
    plan = plan_slices(svc, [member], [], zones, "2026-01-01T00:00:00Z")
    assert (plan.update, plan.delete, plan.errors) == ([], [], [])
    [created] = plan.create
    meta = created.metadata
    assert meta.generate_name == "web-" and meta.namespace == "default"
    assert meta.labels == {
        "team": "a",
        "kubernetes.io/service-name": "web",
        "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
    }
    assert meta.owner_references == [
        OwnerReference(
            api_version="v1",
            kind="Service",
            name="web",
            uid="svc-uid",
            controller=True,
            block_owner_deletion=True,
        )
    ]
    assert meta.annotations == {"endpoints.kubernetes.io/last-change-trigger-time": "2026-01-01T00:00:00Z"}
    assert created.address_type == "IPv4"
    assert created.ports == [EndpointPort(name="http", port=8080, protocol="TCP", app_protocol="h2c")]
    assert created.endpoints == [
        Endpoint(
            addresses=["10.0.0.1"],
            conditions=EndpointConditions(ready=True, serving=True, terminating=False),
            hostname="a",
            target_ref=ObjectReference(kind="Pod", namespace="default", name="a", uid="uid-a"),
            node_name="node-2",
            zone="zone-b",
        )
    ]


def test_ep11_headless_services_slices_carry_the_headless_label() -> None:
    """EP-11 with EP-7/EP-8: a headless Service without ports gets port-less slices labelled
    service.kubernetes.io/headless."""
    [created] = plan_slices(service(cluster_ip="None", ports=[]), [pod("a", "10.0.0.1")], [], zones).create
    assert created.metadata.labels["service.kubernetes.io/headless"] == ""
    assert created.ports == [] and len(created.endpoints) == 1


@pytest.mark.parametrize(
    ("ready", "deleting", "publish", "conditions"),
    [
        (True, False, False, (True, True, False)),
        (False, False, False, (False, False, False)),
        (True, True, False, (False, True, True)),
        (False, True, False, (False, False, True)),
        (False, True, True, (True, False, True)),
        (False, False, True, (True, False, False)),
    ],
    ids=["ready", "not-ready", "terminating-ready", "terminating", "terminating-published", "published"],
)
def test_ep11_conditions_of_ready_serving_and_terminating_endpoints(
    ready: bool, deleting: bool, publish: bool, conditions: tuple[bool, bool, bool]
) -> None:
    """EP-11: terminating pods are included with ready=false, terminating=true, serving=<Ready>;
    publishNotReadyAddresses forces ready=true."""
    member = pod("a", "10.0.0.1", ready=ready, deleting=deleting)
    [created] = plan_slices(service(publish_not_ready=publish), [member], [], zones).create
    got = created.endpoints[0].conditions
    assert (got.ready, got.serving, got.terminating) == conditions


def test_ep11_at_most_100_endpoints_per_slice() -> None:
    """EP-11: 250 pods → slices of 100, 100 and 50; every pod exactly once."""
    plan = plan_slices(service(), members(250), [], zones)
    assert sorted(len(s.endpoints) for s in plan.create) == [50, 100, 100]
    names = [e.target_ref.name for s in plan.create for e in s.endpoints if e.target_ref]
    assert sorted(names) == [f"p{i:03d}" for i in range(250)]


def test_ep11_pods_with_different_resolved_ports_go_to_different_slices() -> None:
    """EP-11 with EP-5/EP-6: targetPort "http" resolving to 8080 for A and 9090 for B gives two
    slices, each with its own port."""
    svc = service(ports=[ServicePort(port=80, target_port="http")])
    a = pod("a", "10.0.0.1", ports=[ContainerPort(container_port=8080, name="http")])
    b = pod("b", "10.0.0.2", ports=[ContainerPort(container_port=9090, name="http")])
    plan = plan_slices(svc, [a, b], [], zones)
    got = sorted((s.ports[0].port, [e.addresses[0] for e in s.endpoints]) for s in plan.create)
    assert got == [(8080, ["10.0.0.1"]), (9090, ["10.0.0.2"])]


def test_ep11_an_unchanged_state_plans_nothing_and_no_pods_keep_one_placeholder() -> None:
    """EP-11, C-2: a second sync over the same state writes nothing; without endpoints a single
    empty placeholder slice is kept (and not rewritten)."""
    svc = service()
    slices = stored([], plan_slices(svc, members(150), [], zones))
    assert plan_slices(svc, members(150), slices, zones).empty
    emptied = plan_slices(svc, [], slices, zones)
    assert len(emptied.update) == 1 and len(emptied.delete) == 1 and emptied.create == []
    placeholder = stored(slices, emptied)
    assert [(len(s.endpoints), s.ports) for s in placeholder] == [(0, [])]
    assert plan_slices(svc, [], placeholder, zones).empty


def test_ep11_one_changed_pod_rewrites_only_the_slice_holding_it() -> None:
    """EP-11 minimal churn: a readiness flip updates one slice; a deleted pod updates one slice; a
    new pod goes into the slice with room instead of a new one."""
    svc = service()
    pods = members(250)
    slices = stored([], plan_slices(svc, pods, [], zones))
    flipped = list(pods)
    flipped[7] = pod("p007", ip(7), ready=False)
    plan = plan_slices(svc, flipped, slices, zones)
    assert (len(plan.create), len(plan.update), len(plan.delete)) == (0, 1, 0)
    holder = next(s for s in slices if any(e.target_ref and e.target_ref.name == "p007" for e in s.endpoints))
    assert plan.update[0].metadata.name == holder.metadata.name
    assert [e.target_ref.name for e in plan.update[0].endpoints if e.target_ref] == [
        e.target_ref.name for e in holder.endpoints if e.target_ref
    ]
    slices = stored(slices, plan)
    plan = plan_slices(svc, [*flipped[:3], *flipped[4:], pod("p999", ip(999))], slices, zones)
    assert (len(plan.create), len(plan.update), len(plan.delete)) == (0, 1, 0)


def test_ep11_slices_of_a_previous_service_with_the_same_name_are_replaced() -> None:
    """EP-11 with EP-1: slices owned by another UID (a deleted Service of the same name) are not
    reused: they are deleted and the new Service's slice created."""
    old = stored([], plan_slices(service(uid="old-uid"), members(3), [], zones))
    plan = plan_slices(service(uid="new-uid"), members(3), old, zones)
    assert [s.metadata.name for s in plan.delete] == [old[0].metadata.name]
    assert len(plan.create) == 1 and plan.create[0].metadata.owner_references[0].uid == "new-uid"


def test_ep11_pods_on_missing_nodes_are_left_out_with_an_error_unless_published() -> None:
    """As upstream: a pod whose node does not exist is skipped and the sync reports it (so it is
    retried); with publishNotReadyAddresses it is included."""
    stray = pod("s", "10.0.0.9", node="node-9")
    plan = plan_slices(service(), [pod("a", "10.0.0.1"), stray], [], zones)
    assert [len(s.endpoints) for s in plan.create] == [1]
    assert plan.errors == ["skipping Pod s for Service default/web: Node node-9 Not Found"]
    published = plan_slices(service(publish_not_ready=True), [stray], [], zones)
    assert [len(s.endpoints) for s in published.create] == [1] and published.errors == []


@st.composite
def _histories(draw: st.DrawFn) -> list[list[Pod]]:
    steps = []
    for _ in range(draw(st.integers(1, 4))):
        chosen = draw(st.sets(st.integers(0, 60), max_size=60))
        steps.append(
            [
                pod(
                    f"p{i:03d}",
                    ip(i),
                    ready=draw(st.booleans()),
                    ports=[ContainerPort(container_port=8000 + i % 2, name="http")] if i % 3 else [],
                )
                for i in sorted(chosen)
            ]
        )
    return steps


@settings(max_examples=40, deadline=None)
@given(_histories(), st.integers(1, 12))
def test_ep11_slices_always_hold_each_endpoint_once_within_capacity(
    history: list[list[Pod]], cap: int
) -> None:
    """EP-11 (property): after each sync, every included pod is in exactly one slice of its port
    set (pods whose named port does not resolve share a port-less one), no slice exceeds the
    maximum, and a repeated sync plans nothing."""
    svc = service(ports=[ServicePort(port=80, target_port="http")])
    slices: list[EndpointSlice] = []
    for pods in history:
        slices = stored(slices, plan_slices(svc, pods, slices, zones, max_per_slice=cap))
        assert plan_slices(svc, pods, slices, zones, max_per_slice=cap).empty
        placed = sorted(
            (e.target_ref.name, [p.port for p in s.ports])
            for s in slices
            for e in s.endpoints
            if e.target_ref
        )
        expected = sorted(
            (p.metadata.name, [c.container_port for c in p.spec.containers[0].ports]) for p in pods
        )
        assert placed == expected
        assert all(len(s.endpoints) <= cap for s in slices)
        assert len(slices) >= 1


def test_ep11_ready_condition_change_is_an_update_in_place() -> None:
    """A changed endpoint keeps its position in its slice."""
    svc = service()
    slices = stored([], plan_slices(svc, members(3), [], zones))
    later = members(3)
    later[1].status.conditions = [ready_condition(False)]
    [updated] = plan_slices(svc, later, slices, zones).update
    assert [e.conditions.ready for e in updated.endpoints] == [True, False, True]
