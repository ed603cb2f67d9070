"""A container's cgroup settings from its resource requests and limits (pure functions).

Contract, as the kubelet computes them for the CRI on Linux:
- CPU shares come from the CPU request: milliCPU × 1024 / 1000 (integer division), at least 2 and
  at most 262144; with no request the limit stands in for it (the API server defaults the request
  to the limit, and the kubelet repeats that for older objects); with neither, 2.
- The CFS period is always 100000 µs; the quota is milliCPU × period / 1000, at least 1000 µs,
  and 0 (unlimited) without a CPU limit.
- The memory limit is the `memory` limit in bytes (0: none); swap is not allowed, so
  memory+swap equals the memory limit whenever one is set.
Quantities are parsed with Kubernetes' rules (`kubelite.api.quantity`); the API server has already
validated them, so a malformed one is treated as absent.
"""

from __future__ import annotations

from kubelite.api.core import Container
from kubelite.api.quantity import Quantity, parse_quantity
from kubelite.cri import LinuxContainerResources

MIN_SHARES = 2
MAX_SHARES = 262144
SHARES_PER_CPU = 1024
MILLI_CPU_TO_CPU = 1000
QUOTA_PERIOD = 100000
MIN_QUOTA_PERIOD = 1000


def milli_cpu_to_shares(milli_cpu: int) -> int:
    if milli_cpu == 0:
        return MIN_SHARES
    shares = milli_cpu * SHARES_PER_CPU // MILLI_CPU_TO_CPU
    return min(max(shares, MIN_SHARES), MAX_SHARES)


def milli_cpu_to_quota(milli_cpu: int, period: int = QUOTA_PERIOD) -> int:
    if milli_cpu == 0:
        return 0
    return max(milli_cpu * period // MILLI_CPU_TO_CPU, MIN_QUOTA_PERIOD)


def _quantity(values: dict[str, str], name: str) -> Quantity | None:
    text = values.get(name)
    if text is None:
        return None
    try:
        return parse_quantity(text)
    except ValueError:
        return None


def container_resources(container: Container) -> LinuxContainerResources:
    """The `LinuxContainerResources` the kubelet asks the runtime to enforce for `container`."""
    requests, limits = container.resources.requests, container.resources.limits
    cpu_request, cpu_limit = _quantity(requests, "cpu"), _quantity(limits, "cpu")
    memory_limit = _quantity(limits, "memory")
    share_source = cpu_limit if cpu_request is None else cpu_request
    memory = memory_limit.value() if memory_limit is not None else 0
    return LinuxContainerResources(
        cpu_period=QUOTA_PERIOD,
        cpu_quota=milli_cpu_to_quota(cpu_limit.milli_value()) if cpu_limit is not None else 0,
        cpu_shares=milli_cpu_to_shares(share_source.milli_value() if share_source is not None else 0),
        memory_limit_in_bytes=memory,
        memory_swap_limit_in_bytes=memory,
    )
