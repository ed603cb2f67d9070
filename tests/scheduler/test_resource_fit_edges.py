"""NodeResourcesFit at its boundaries (SCH-5): a request equal to what is left fits, one unit more
does not, for pods, CPU, memory and extended resources alike, and every failing resource is
reported. Upstream's fitsRequest compares `request > allocatable − requested`."""

from __future__ import annotations

from typing import Any

import pytest

from kubelite.api.core import Pod
from kubelite.scheduler.plugins import NodeResourcesFit
from kubelite.scheduler.podinfo import PodInfo
from tests.scheduler.builders import container, node, node_info, pod

GPU = "example.com/gpu"


def fit(subject: Pod, *existing: Pod, **allocatable: Any) -> tuple[str, ...] | None:
    return NodeResourcesFit().filter(PodInfo(subject), node_info(node(**allocatable), *existing))


def gpus(name: str, count: str, **resources: str) -> Pod:
    return pod(name, containers=[container(name, requests={GPU: count, **resources})])


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [("2", None), ("3", (f"Insufficient {GPU}",))],
    ids=["exactly-what-is-left", "one-more"],
)
def test_sch5_extended_resource_exactly_left_fits(wanted: str, expected: tuple[str, ...] | None) -> None:
    assert fit(gpus("new", wanted), gpus("old", "2"), extra={GPU: "4"}) == expected


@pytest.mark.parametrize(
    ("cpu", "memory", "expected"),
    [
        ("1500m", "6Gi", None),
        ("1501m", "6Gi", ("Insufficient cpu",)),
        ("1500m", "6145Mi", ("Insufficient memory",)),
    ],
    ids=["exactly-left", "one-millicpu-more", "one-mebibyte-more"],
)
def test_sch5_cpu_and_memory_exactly_left_fit(
    cpu: str, memory: str, expected: tuple[str, ...] | None
) -> None:
    assert fit(pod(cpu=cpu, memory=memory), pod("old", cpu="2500m", memory="2Gi")) == expected


@pytest.mark.parametrize(
    ("held", "expected"), [(2, None), (3, ("Too many pods",))], ids=["last-slot", "full"]
)
def test_sch5_the_last_pod_slot_fits(held: int, expected: tuple[str, ...] | None) -> None:
    existing = [pod(f"old-{i}") for i in range(held)]
    assert fit(pod(), *existing, pods="3") == expected


def test_sch5_every_failing_resource_is_reported_with_an_extended_request() -> None:
    subject = gpus("new", "1", cpu="5", memory="9Gi")
    held = [pod(f"old-{i}") for i in range(2)]
    expected = ("Too many pods", "Insufficient cpu", "Insufficient memory", f"Insufficient {GPU}")
    assert fit(subject, *held, pods="2") == expected


def test_sch5_an_extended_request_on_a_node_with_room_for_the_rest_fits() -> None:
    """The fast path is skipped for extended requests; the full check must still say it fits."""
    assert fit(gpus("new", "1", cpu="1", memory="1Gi"), extra={GPU: "1"}) is None


def test_sch5_an_empty_node_fits_a_pod_asking_for_all_of_an_extended_resource() -> None:
    assert fit(gpus("new", "4"), extra={GPU: "4"}) is None


@pytest.mark.parametrize(
    ("held", "expected"), [(2, None), (3, ("Too many pods",))], ids=["last-slot", "full"]
)
def test_sch5_the_last_pod_slot_fits_a_pod_with_an_extended_request(
    held: int, expected: tuple[str, ...] | None
) -> None:
    """Extended requests take the full check (no fast path): the pod count rule must hold there too."""
    existing = [pod(f"old-{i}") for i in range(held)]
    assert fit(gpus("new", "1"), *existing, pods="3", extra={GPU: "1"}) == expected
