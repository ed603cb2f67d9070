"""`NodeInfo`: one node as the scheduler sees it — the Node, and the pods it has to host.

Contract:
- `set_node` takes a Node the caller will not mutate (informer-delivered); allocatable amounts,
  labels, taints and the unschedulable flag are read from it once. A NodeInfo may exist without
  a Node (`node is None`) while pods assigned to an unknown node are being counted.
- `requested_*` are the sums of the effective requests of the pods held (assumed or bound);
  `nz_*` the same with the LeastAllocated defaults; `pod_count` how many; `ports` the host ports
  in use, as `(protocol, port) → {hostIP: users}`. `restricted` is true for a cordoned node or one
  with a `NoSchedule`/`NoExecute` taint.
- `add_pod` is idempotent per uid: adding a uid already held replaces it (so a pod that is
  assumed and then observed bound is counted once). `remove_pod` of an unknown uid is a no-op.
"""

from __future__ import annotations

from kubelite.api.core import Node, Taint
from kubelite.api.resources import CPU, MEMORY, PODS, resource_list
from kubelite.scheduler.podinfo import ANY_IP, HostPort, PodInfo

NO_SCHEDULE = "NoSchedule"
NO_EXECUTE = "NoExecute"
PREFER_NO_SCHEDULE = "PreferNoSchedule"


class NodeInfo:
    __slots__ = (
        "alloc_cpu",
        "alloc_memory",
        "alloc_pods",
        "alloc_scalar",
        "hard_taints",
        "inv_cpu",
        "inv_memory",
        "labels",
        "name",
        "node",
        "nz_cpu",
        "nz_memory",
        "pod_count",
        "pods",
        "ports",
        "requested_cpu",
        "requested_memory",
        "requested_scalar",
        "restricted",
        "soft_taints",
        "unschedulable",
    )

    def __init__(self, name: str, node: Node | None = None) -> None:
        self.name = name
        self.node: Node | None = None
        self.labels: dict[str, str] = {}
        self.unschedulable = False
        self.restricted = False
        self.hard_taints: tuple[Taint, ...] = ()
        self.soft_taints: tuple[Taint, ...] = ()
        self.alloc_cpu = self.alloc_memory = self.alloc_pods = 0
        self.alloc_scalar: dict[str, int] = {}
        self.inv_cpu = self.inv_memory = 0.0
        self.requested_cpu = self.requested_memory = self.nz_cpu = self.nz_memory = 0
        self.requested_scalar: dict[str, int] = {}
        self.pod_count = 0
        self.pods: dict[str, PodInfo] = {}
        self.ports: dict[tuple[str, int], dict[str, int]] = {}
        if node is not None:
            self.set_node(node)

    def __repr__(self) -> str:
        return f"NodeInfo({self.name}, pods={self.pod_count})"

    def set_node(self, node: Node | None) -> None:
        self.node = node
        if node is None:
            return
        self.labels = node.metadata.labels
        self.unschedulable = node.spec.unschedulable
        taints = node.spec.taints
        self.hard_taints = tuple(t for t in taints if t.effect in (NO_SCHEDULE, NO_EXECUTE))
        self.soft_taints = tuple(t for t in taints if t.effect == PREFER_NO_SCHEDULE)
        self.restricted = self.unschedulable or bool(self.hard_taints)
        allocatable = resource_list(node.status.allocatable)
        self.alloc_cpu = allocatable.pop(CPU, 0)
        self.alloc_memory = allocatable.pop(MEMORY, 0)
        self.alloc_pods = allocatable.pop(PODS, 0)
        self.alloc_scalar = allocatable
        self.inv_cpu = 1 / self.alloc_cpu if self.alloc_cpu else 0.0
        self.inv_memory = 1 / self.alloc_memory if self.alloc_memory else 0.0

    def add_pod(self, pod: PodInfo) -> None:
        if pod.uid in self.pods:
            self.remove_pod(pod.uid)
        self.pods[pod.uid] = pod
        self._account(pod, 1)

    def remove_pod(self, uid: str) -> PodInfo | None:
        pod = self.pods.pop(uid, None)
        if pod is not None:
            self._account(pod, -1)
        return pod

    def _account(self, pod: PodInfo, sign: int) -> None:
        self.pod_count += sign
        self.requested_cpu += sign * pod.cpu
        self.requested_memory += sign * pod.memory
        self.nz_cpu += sign * pod.nz_cpu
        self.nz_memory += sign * pod.nz_memory
        for name, value in pod.scalar.items():
            self.requested_scalar[name] = self.requested_scalar.get(name, 0) + sign * value
        for ip, protocol, port in pod.host_ports:
            self._account_port(ip, protocol, port, sign)

    def _account_port(self, ip: str, protocol: str, port: int, sign: int) -> None:
        users = self.ports.setdefault((protocol, port), {})
        count = users.get(ip, 0) + sign
        if count > 0:
            users[ip] = count
        else:
            users.pop(ip, None)
            if not users:
                del self.ports[(protocol, port)]

    def port_conflict(self, wanted: HostPort) -> bool:
        """Whether `wanted` overlaps a host port in use (SCH-6)."""
        ip, protocol, port = wanted
        users = self.ports.get((protocol, port))
        if not users:
            return False
        return ip == ANY_IP or ip in users or ANY_IP in users
