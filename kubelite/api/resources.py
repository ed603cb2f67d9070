"""A pod's effective resource request (SCH-5): the one computation both the scheduler (filters
and scores) and the kubelet (admission, SCH-10) use, so they never disagree about a pod.

Contract:
- Amounts are integers: CPU in millicores, every other resource in whole units (bytes for memory and
  ephemeral-storage, counts for extended resources), parsed with `kubelite.api.quantity`.
- A container's request for a resource is its `requests` entry, or its `limits` entry when only the
  limit is set (Kubernetes defaults requests to limits).
- The pod's request is `max(Σ app containers + Σ sidecars, max over init containers) + overhead`,
  where an init container that runs before sidecar `k` also needs the sidecars started before it
  (upstream `resourcehelper.PodRequests`).
- With `non_zero=True` a container that names no CPU or no memory request counts as 100m CPU and
  200 MiB (the figures LeastAllocated scores with, SCH-7).
Pure functions; nothing here is cached or shared.
"""

from __future__ import annotations

from kubelite.api.core import Container, PodSpec
from kubelite.api.quantity import parse_quantity

CPU = "cpu"
MEMORY = "memory"
PODS = "pods"
DEFAULT_MILLI_CPU = 100
DEFAULT_MEMORY = 200 * 1024 * 1024

ResourceList = dict[str, int]


def amount(resource: str, text: str) -> int:
    """The integer amount of a quantity string: millicores for CPU, whole units otherwise."""
    quantity = parse_quantity(text)
    return quantity.milli_value() if resource == CPU else quantity.value()


def resource_list(quantities: dict[str, str]) -> ResourceList:
    return {name: amount(name, text) for name, text in quantities.items()}


def container_requests(container: Container, *, non_zero: bool = False) -> ResourceList:
    resources = container.resources
    requests = resource_list(resources.limits) if resources.limits else {}
    for name, text in resources.requests.items():
        requests[name] = amount(name, text)
    if non_zero:
        requests.setdefault(CPU, DEFAULT_MILLI_CPU)
        requests.setdefault(MEMORY, DEFAULT_MEMORY)
    return requests


def _add(total: ResourceList, more: ResourceList) -> None:
    for name, value in more.items():
        total[name] = total.get(name, 0) + value


def _max(total: ResourceList, other: ResourceList) -> None:
    for name, value in other.items():
        if value > total.get(name, 0):
            total[name] = value


def pod_requests(spec: PodSpec, *, non_zero: bool = False) -> ResourceList:
    """The effective request of a pod (see the module contract)."""
    total: ResourceList = {}
    for container in spec.containers:
        _add(total, container_requests(container, non_zero=non_zero))
    sidecars: ResourceList = {}
    init_peak: ResourceList = {}
    for container in spec.init_containers:
        requests = container_requests(container, non_zero=non_zero)
        if container.restart_policy == "Always":
            _add(total, requests)
            _add(sidecars, requests)
            _max(init_peak, sidecars)
        else:
            _add(requests, sidecars)
            _max(init_peak, requests)
    _max(total, init_peak)
    if spec.overhead:
        _add(total, resource_list(spec.overhead))
    return total
