"""`PodInfo`: what the scheduler needs from one version of a pod, computed once.

Contract: built from a `Pod` the caller will not mutate afterwards (an object delivered by an
informer, or a test's own). Every field is derived at construction; a new pod version needs a new
`PodInfo`. The resource figures follow `resources` (SCH-5): `cpu`/`memory`/`scalar` are the
effective request, `nz_cpu`/`nz_memory` the same with the LeastAllocated defaults for unrequested
containers. `host_ports` are the `(hostIP, protocol, hostPort)` the pod claims, normalised so an
empty IP is `0.0.0.0` and an empty protocol `TCP` (SCH-6).
"""

from __future__ import annotations

from kubelite.api.core import NodeSelector, Pod, PreferredSchedulingTerm, Toleration
from kubelite.api.resources import CPU, MEMORY, PODS, pod_requests
from kubelite.clock import parse_rfc3339

ANY_IP = "0.0.0.0"
HostPort = tuple[str, str, int]


class PodInfo:
    __slots__ = (
        "cpu",
        "created",
        "host_ports",
        "key",
        "memory",
        "name",
        "namespace",
        "node_selector",
        "nz_cpu",
        "nz_memory",
        "pod",
        "preferred",
        "priority",
        "required",
        "scalar",
        "tolerations",
        "uid",
        "zero_request",
    )

    def __init__(self, pod: Pod) -> None:
        meta, spec = pod.metadata, pod.spec
        self.pod = pod
        self.uid = meta.uid or f"{meta.namespace}/{meta.name}"
        self.name = meta.name
        self.namespace = meta.namespace
        self.key = f"{meta.namespace}/{meta.name}"
        self.priority = spec.priority or 0
        self.created = parse_rfc3339(meta.creation_timestamp) if meta.creation_timestamp else 0.0
        requests = pod_requests(spec)
        self.cpu = requests.pop(CPU, 0)
        self.memory = requests.pop(MEMORY, 0)
        requests.pop(PODS, None)
        self.scalar = {name: value for name, value in requests.items() if value}
        self.zero_request = not (self.cpu or self.memory or self.scalar)
        non_zero = pod_requests(spec, non_zero=True)
        self.nz_cpu = non_zero[CPU]
        self.nz_memory = non_zero[MEMORY]
        self.host_ports = _host_ports(pod)
        self.tolerations: list[Toleration] = spec.tolerations
        self.node_selector: dict[str, str] = spec.node_selector
        affinity = spec.affinity.node_affinity if spec.affinity is not None else None
        self.required: NodeSelector | None = None
        self.preferred: list[PreferredSchedulingTerm] = []
        if affinity is not None:
            self.required = affinity.required_during_scheduling_ignored_during_execution
            self.preferred = affinity.preferred_during_scheduling_ignored_during_execution

    def __repr__(self) -> str:
        return f"PodInfo({self.key})"

    def with_pod(self, pod: Pod) -> PodInfo:
        """This info for a newer version of the same pod whose containers and overhead are
        unchanged (e.g. the version the bind wrote): the derived figures are reused."""
        info = PodInfo.__new__(PodInfo)
        for name in PodInfo.__slots__:
            setattr(info, name, getattr(self, name))
        info.pod = pod
        return info

    def same_footprint(self, pod: Pod) -> bool:
        """Whether `pod` claims the same resources and host ports as this info's pod."""
        old, new = self.pod.spec, pod.spec
        return (
            old.containers == new.containers
            and old.init_containers == new.init_containers
            and old.overhead == new.overhead
        )


def _host_ports(pod: Pod) -> tuple[HostPort, ...]:
    containers = list(pod.spec.containers)
    containers += [c for c in pod.spec.init_containers if c.restart_policy == "Always"]
    ports: list[HostPort] = []
    for container in containers:
        for port in container.ports:
            if port.host_port > 0:
                ports.append((port.host_ip or ANY_IP, port.protocol or "TCP", port.host_port))
    return tuple(ports)
