"""The Endpoints planner, pure: which pods (EP-2), ready or not (EP-3), address fields (EP-4),
ports (EP-5), repacking (EP-6), headless Services (EP-7), labels and annotations (EP-8),
no write without a difference (EP-9) and truncation (EP-10)."""

from __future__ import annotations

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kubelite.api.core import (
    Container,
    ContainerPort,
    EndpointAddress,
    EndpointPort,
    Endpoints,
    EndpointSubset,
    ObjectReference,
    Pod,
    ServicePort,
)
from kubelite.controllers.endpoint.capacity import truncate
from kubelite.controllers.endpoint.desired import HEADLESS_LABEL as HEADLESS
from kubelite.controllers.endpoint.desired import TRIGGER_TIME as TRIGGER
from kubelite.controllers.endpoint.desired import desired_subsets, plan_endpoints
from kubelite.controllers.endpointutil.pods import find_port
from kubelite.controllers.endpointutil.pods import is_pod_ready as is_ready

from .support import pod, service


def ref(name: str, uid: str | None = None) -> ObjectReference:
    return ObjectReference(kind="Pod", namespace="default", name=name, uid=uid or f"uid-{name}")


def address(name: str, ip: str, node: str = "node-1", hostname: str = "") -> EndpointAddress:
    return EndpointAddress(ip=ip, hostname=hostname, node_name=node, target_ref=ref(name))


TCP80 = EndpointPort(port=80, name="", protocol="TCP")


@pytest.mark.parametrize(
    ("candidate", "publish", "included"),
    [
        (pod("a", "10.0.0.1"), False, True),
        (pod("a", "10.0.0.1", phase="Pending"), False, True),
        (pod("a", "10.0.0.1", phase="Succeeded"), False, False),
        (pod("a", "10.0.0.1", phase="Failed"), True, False),
        (pod("a", ""), True, False),
        (pod("a", "10.0.0.1", deleting=True), False, False),
        (pod("a", "10.0.0.1", deleting=True), True, True),
    ],
    ids=["running", "pending", "succeeded", "failed", "no-ip", "terminating", "terminating-published"],
)
def test_ep2_a_pod_is_included_unless_terminal_without_ip_or_terminating(
    candidate: Pod, publish: bool, included: bool
) -> None:
    """EP-2: included when not Succeeded/Failed, with a podIP, and without deletionTimestamp unless
    publishNotReadyAddresses (namespace and selector are the index's job, see test_controller)."""
    subsets, _ = desired_subsets(service(publish_not_ready=publish), [candidate])
    assert bool(subsets) is included


@pytest.mark.parametrize(
    ("ready", "publish", "field"),
    [(True, False, "addresses"), (False, False, "not_ready_addresses"), (False, True, "addresses")],
    ids=["ready", "not-ready", "not-ready-published"],
)
def test_ep3_ready_pods_go_to_addresses_and_others_to_not_ready(
    ready: bool, publish: bool, field: str
) -> None:
    """EP-3: addresses if publishNotReadyAddresses or Ready=True, else notReadyAddresses."""
    subsets, _ = desired_subsets(service(publish_not_ready=publish), [pod("a", "10.0.0.1", ready=ready)])
    expected = EndpointSubset(ports=[TCP80], **{field: [address("a", "10.0.0.1")]})
    assert subsets == [expected]


@pytest.mark.parametrize(
    ("subdomain", "hostname"), [("web", "a-host"), ("other", ""), ("", "")], ids=["same", "other", "none"]
)
def test_ep4_address_fields_and_hostname_only_for_the_service_subdomain(
    subdomain: str, hostname: str
) -> None:
    """EP-4: ip, nodeName, targetRef {kind Pod, namespace, name, uid}; hostname = spec.hostname
    only when spec.subdomain equals the Service name."""
    member = pod("a", "10.0.0.1", node="node-7", hostname="a-host", subdomain=subdomain)
    subsets, _ = desired_subsets(service(), [member])
    assert subsets[0].addresses == [
        EndpointAddress(
            ip="10.0.0.1",
            hostname=hostname,
            node_name="node-7",
            target_ref=ObjectReference(kind="Pod", namespace="default", name="a", uid="uid-a"),
        )
    ]


def test_ep4_the_address_is_of_the_services_ip_family() -> None:
    """EP-4: `ip` is the pod IP of the Service's family (dual-stack pod, IPv6 Service)."""
    member = pod("a", "10.0.0.1")
    member.status.pod_ips.append(msgspec.convert({"ip": "fd00::1"}, type(member.status.pod_ips[0])))
    v6 = service(cluster_ip="fd00:96::10")
    assert desired_subsets(v6, [member])[0][0].addresses[0].ip == "fd00::1"
    assert desired_subsets(service(), [member])[0][0].addresses[0].ip == "10.0.0.1"


def named(name: str, number: int, protocol: str = "") -> ContainerPort:
    return ContainerPort(container_port=number, name=name, protocol=protocol)


@pytest.mark.parametrize(
    ("svc_port", "container_ports", "expected"),
    [
        (ServicePort(port=80), [], EndpointPort(port=80, name="", protocol="TCP")),
        (ServicePort(port=80, target_port=9376), [], EndpointPort(port=9376, name="", protocol="TCP")),
        (
            ServicePort(port=80, name="web", target_port="http", protocol="TCP", app_protocol="http"),
            [named("metrics", 9090), named("http", 8080), named("http", 8081)],
            EndpointPort(port=8080, name="web", protocol="TCP", app_protocol="http"),
        ),
        (
            ServicePort(port=53, target_port="dns", protocol="UDP"),
            [named("dns", 5353, "TCP"), named("dns", 5354, "UDP")],
            EndpointPort(port=5354, name="", protocol="UDP"),
        ),
        (ServicePort(port=80, target_port="http"), [named("web", 8080)], None),
    ],
    ids=["defaults", "numeric-undeclared", "named-first", "named-same-protocol", "unresolved"],
)
def test_ep5_ports_resolve_per_pod(
    svc_port: ServicePort, container_ports: list[ContainerPort], expected: EndpointPort | None
) -> None:
    """EP-5: protocol TCP and targetPort=port by default; a numeric targetPort as-is, declared or
    not; a named one is the first container port with that name and protocol; EndpointPort is
    {name: servicePort.name, port, protocol, appProtocol}; unresolved leaves the pod out."""
    subsets, _ = desired_subsets(service(ports=[svc_port]), [pod("a", "10.0.0.1", ports=container_ports)])
    assert subsets == (
        [] if expected is None else [EndpointSubset(addresses=[address("a", "10.0.0.1")], ports=[expected])]
    )


def test_ep5_named_port_searches_containers_in_order_then_sidecars() -> None:
    """EP-5: container order decides; restartable init containers (sidecars) come after."""
    member = pod("a", "10.0.0.1")
    member.spec.containers = [
        Container(name="first", image="busybox"),
        Container(name="second", image="busybox", ports=[named("http", 8082)]),
    ]
    member.spec.init_containers = [
        Container(name="side", image="busybox", restart_policy="Always", ports=[named("http", 1)])
    ]
    subsets, _ = desired_subsets(service(ports=[ServicePort(port=80, target_port="http")]), [member])
    assert subsets[0].ports == [EndpointPort(port=8082, name="", protocol="TCP")]
    member.spec.containers = []
    subsets, _ = desired_subsets(service(ports=[ServicePort(port=80, target_port="http")]), [member])
    assert subsets[0].ports == [EndpointPort(port=1, name="", protocol="TCP")]


def test_ep5_a_pod_missing_one_named_port_is_left_out_of_that_port_only() -> None:
    """EP-5 with EP-6: A offers web and metrics, B only web; B is missing from metrics only, so
    every (address, port) pair appears exactly once."""
    ports = [
        ServicePort(port=80, name="web", target_port="http"),
        ServicePort(port=9090, name="metrics", target_port="m"),
    ]
    a = pod("a", "10.0.0.1", ports=[named("http", 8080), named("m", 9100)])
    b = pod("b", "10.0.0.2", ports=[named("http", 8080)])
    subsets, _ = desired_subsets(service(ports=ports), [b, a])
    assert subsets == [
        EndpointSubset(
            addresses=[address("a", "10.0.0.1"), address("b", "10.0.0.2")],
            ports=[EndpointPort(port=8080, name="web", protocol="TCP")],
        ),
        EndpointSubset(
            addresses=[address("a", "10.0.0.1")],
            ports=[EndpointPort(port=9100, name="metrics", protocol="TCP")],
        ),
    ]


def test_ep6_named_target_port_example() -> None:
    """EP-6: targetPort "http", pod A (10.0.0.1) with http=8080 and pod B (10.0.0.2) with
    http=9090 → subsets {[A],[8080]} and {[B],[9090]}, each address exactly once."""
    svc = service(ports=[ServicePort(port=80, target_port="http")])
    a = pod("a", "10.0.0.1", ports=[named("http", 8080)])
    b = pod("b", "10.0.0.2", ports=[named("http", 9090)])
    subsets, _ = desired_subsets(svc, [b, a])
    assert subsets == [
        EndpointSubset(
            addresses=[address("a", "10.0.0.1")], ports=[EndpointPort(port=8080, name="", protocol="TCP")]
        ),
        EndpointSubset(
            addresses=[address("b", "10.0.0.2")], ports=[EndpointPort(port=9090, name="", protocol="TCP")]
        ),
    ]


def test_ep6_addresses_sort_by_ip_string_bytewise_then_uid() -> None:
    """EP-6: within a subset, addresses and notReadyAddresses by IP string, then targetRef UID."""
    members = [
        pod("p2", "10.0.0.2"),
        pod("p10", "10.0.0.10"),
        pod("z", "10.0.0.1", uid="uid-2"),
        pod("y", "10.0.0.1", uid="uid-1"),
        pod("n9", "10.0.1.9", ready=False),
        pod("n1", "10.0.1.10", ready=False),
    ]
    subsets, _ = desired_subsets(service(), members)
    assert [(a.ip, a.target_ref.uid) for a in subsets[0].addresses if a.target_ref] == [
        ("10.0.0.1", "uid-1"),
        ("10.0.0.1", "uid-2"),
        ("10.0.0.10", "uid-p10"),
        ("10.0.0.2", "uid-p2"),
    ]
    assert [a.ip for a in subsets[0].not_ready_addresses] == ["10.0.1.10", "10.0.1.9"]


def test_ep7_headless_service_without_ports_gets_one_portless_subset() -> None:
    """EP-7: clusterIP None and no ports → one subset with the addresses and no ports."""
    svc = service(cluster_ip="None", ports=[])
    subsets, _ = desired_subsets(
        svc, [pod("b", "10.0.0.2"), pod("a", "10.0.0.1"), pod("c", "10.0.0.3", ready=False)]
    )
    assert subsets == [
        EndpointSubset(
            addresses=[address("a", "10.0.0.1"), address("b", "10.0.0.2")],
            not_ready_addresses=[address("c", "10.0.0.3")],
            ports=[],
        )
    ]
    assert desired_subsets(service(ports=[]), [pod("a", "10.0.0.1")])[0] == []


@pytest.mark.parametrize(
    ("cluster_ip", "service_labels", "labels"),
    [
        ("10.96.0.10", {"team": "a"}, {"team": "a"}),
        ("10.96.0.10", {"team": "a", HEADLESS: "x"}, {"team": "a"}),
        ("None", {"team": "a"}, {"team": "a", HEADLESS: ""}),
        ("", {"team": "a"}, {"team": "a", HEADLESS: ""}),
    ],
    ids=["cluster-ip", "cluster-ip-with-headless-label", "headless", "no-ip"],
)
def test_ep8_labels_are_the_services_plus_headless(
    cluster_ip: str, service_labels: dict[str, str], labels: dict[str, str]
) -> None:
    """EP-8: labels copied from the Service, plus service.kubernetes.io/headless="" if headless
    (and never otherwise); the object carries endpoints.kubernetes.io/last-change-trigger-time."""
    svc = service(cluster_ip=cluster_ip, labels=service_labels)
    planned = plan_endpoints(svc, [pod("a", "10.0.0.1")], None, "2026-01-01T00:00:05Z")
    assert planned is not None
    assert planned.metadata.labels == labels
    assert planned.metadata.annotations == {TRIGGER: "2026-01-01T00:00:05Z"}
    assert (planned.metadata.name, planned.metadata.namespace) == ("web", "default")


def stored(planned: Endpoints) -> Endpoints:
    meta = msgspec.structs.replace(planned.metadata, resource_version="7", uid="ep-uid")
    return msgspec.structs.replace(planned, metadata=meta)


def test_ep9_no_write_when_subsets_and_labels_are_the_same() -> None:
    """EP-9: the controller writes only when subsets or labels differ; annotations it keeps."""
    svc, members = service(labels={"team": "a"}), [pod("a", "10.0.0.1")]
    first = plan_endpoints(svc, members, None, "2026-01-01T00:00:00Z")
    assert first is not None
    current = stored(first)
    current.metadata.annotations["note"] = "kept"
    assert plan_endpoints(svc, members, current, "2026-01-01T00:09:00Z") is None
    relabelled = plan_endpoints(service(labels={"team": "b"}), members, current, None)
    assert relabelled is not None and relabelled.metadata.labels == {"team": "b"}
    assert relabelled.metadata.annotations == {"note": "kept"}
    assert relabelled.metadata.resource_version == "7"
    moved = plan_endpoints(svc, [pod("a", "10.0.0.1", ready=False)], current, "2026-01-01T00:01:00Z")
    assert moved is not None and moved.subsets[0].not_ready_addresses == [address("a", "10.0.0.1")]


def test_ep10_more_than_1000_addresses_are_cut_to_1000_with_the_over_capacity_annotation() -> None:
    """EP-10: 1001 pods → 1000 addresses and endpoints.kubernetes.io/over-capacity: truncated;
    back under capacity, the annotation goes."""
    members = [
        pod(f"p{i}", f"10.{i // 65536}.{i // 256 % 256}.{i % 256}", ready=i % 2 == 0) for i in range(1001)
    ]
    planned = plan_endpoints(service(), members, None, None)
    assert planned is not None
    kept = [a for s in planned.subsets for a in [*s.addresses, *s.not_ready_addresses]]
    assert len(kept) == 1000
    assert len([a for s in planned.subsets for a in s.addresses]) == 501  # ready ones are kept first
    assert planned.metadata.annotations == {"endpoints.kubernetes.io/over-capacity": "truncated"}
    current = stored(planned)
    assert plan_endpoints(service(), members, current, None) is None  # no rewrite on every sync
    fewer = plan_endpoints(service(), members[:1000], current, None)
    assert fewer is not None and fewer.metadata.annotations == {}
    assert len([a for s in fewer.subsets for a in [*s.addresses, *s.not_ready_addresses]]) == 1000


def _subset(ready: int, not_ready: int, base: int) -> EndpointSubset:
    def addresses(count: int, offset: int) -> list[EndpointAddress]:
        return [EndpointAddress(ip=f"10.{base}.{offset}.{i}") for i in range(count)]

    return EndpointSubset(
        addresses=addresses(ready, 0), not_ready_addresses=addresses(not_ready, 1), ports=[TCP80]
    )


@pytest.mark.parametrize(
    ("sizes", "capacity", "kept", "truncated"),
    [
        ([(3, 2)], 5, [(3, 2)], False),
        ([(3, 3)], 5, [(3, 2)], True),
        ([(2, 4), (2, 2)], 6, [(2, 2), (2, 0)], True),
        ([(4, 1), (2, 1)], 4, [(3, 0), (1, 0)], True),
        ([(1, 3), (1, 1)], 3, [(1, 1), (1, 0)], True),
    ],
    ids=["within", "not-ready-cut", "not-ready-proportional", "ready-over-capacity", "rounding-up-first"],
)
def test_ep10_truncation_keeps_ready_addresses_first_in_proportion(
    sizes: list[tuple[int, int]], capacity: int, kept: list[tuple[int, int]], truncated: bool
) -> None:
    """EP-10: over capacity, not-ready addresses go first; if ready ones alone are too many, all
    not-ready ones go; each subset keeps a rounded-up proportional share, in its own order."""
    subsets = [_subset(ready, not_ready, base) for base, (ready, not_ready) in enumerate(sizes)]
    result, cut = truncate(subsets, capacity)
    assert cut is truncated
    assert [(len(s.addresses), len(s.not_ready_addresses)) for s in result] == kept
    for before, after in zip(subsets, result, strict=True):
        assert after.addresses == before.addresses[: len(after.addresses)]
        assert after.not_ready_addresses == before.not_ready_addresses[: len(after.not_ready_addresses)]


@st.composite
def _pods(draw: st.DrawFn) -> list[Pod]:
    count = draw(st.integers(0, 12))
    result = []
    for i in range(count):
        offered = draw(st.lists(st.sampled_from(["a", "b", "c"]), unique=True, max_size=3))
        ports = [named(name, 8000 + draw(st.integers(0, 2))) for name in offered]
        ip = f"10.0.0.{draw(st.integers(1, 6))}"
        result.append(pod(f"p{i}", ip, ready=draw(st.booleans()), ports=ports))
    return result


@given(_pods())
def test_ep6_every_address_port_pair_appears_exactly_once_with_its_readiness(members: list[Pod]) -> None:
    """EP-6 (property): repacking loses nothing and duplicates nothing: the (address, port,
    ready) triples of the subsets are exactly those of the pods; subsets are sorted."""
    ports = [ServicePort(port=80 + i, name=name, target_port=name) for i, name in enumerate("abc")]
    svc = service(ports=ports)
    subsets, _ = desired_subsets(svc, members)
    got = [
        (a.target_ref.uid if a.target_ref else "", p.name, p.port, ready)
        for s in subsets
        for ready, group in ((True, s.addresses), (False, s.not_ready_addresses))
        for a in group
        for p in s.ports
    ]
    expected = [
        (m.metadata.uid, port.name, resolved, is_ready(m))
        for m in members
        for port in ports
        if (resolved := find_port(m, port)) is not None
    ]
    assert sorted(got) == sorted(expected)
    for subset in subsets:
        for group in (subset.addresses, subset.not_ready_addresses):
            keys = [(a.ip, a.target_ref.uid if a.target_ref else "") for a in group]
            assert keys == sorted(keys)
