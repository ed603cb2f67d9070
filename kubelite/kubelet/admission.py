"""Kubelet admission: does a pod fit on this node beside the pods already admitted (SCH-10)?

Contract: a pod's requests are `kubelite.api.resources.pod_requests(spec)`, the same function the
scheduler uses (SCH-5: the larger of the app containers' and sidecars' sum and the peak of the init
containers, each with the sidecars started before it, plus overhead; a request defaults to the
limit), as integers (milli-units for cpu, plain units otherwise). `Admission(allocatable)` keeps the
requests of admitted pods by UID; `admit(pod)` returns None and records the pod when it fits, or a
`Rejection` with upstream's reason (`OutOfcpu`, `OutOfmemory`, `OutOfpods`, `OutOf<resource>`) and
message ("Node didn't have enough resource: cpu, requested: 2000, used: 0, capacity: 1000").
`release(uid)` forgets a pod (terminal or gone).
"""

from __future__ import annotations

from dataclasses import dataclass

from kubelite.api.core import Pod
from kubelite.api.resources import pod_requests, resource_list


@dataclass(frozen=True, slots=True)
class Rejection:
    reason: str
    message: str


class Admission:
    def __init__(self, allocatable: dict[str, str]) -> None:
        self._capacity = resource_list(allocatable)
        self._admitted: dict[str, dict[str, int]] = {}
        self._used: dict[str, int] = {}

    def __contains__(self, uid: str) -> bool:
        return uid in self._admitted

    def admit(self, pod: Pod, *, already_running: bool = False) -> Rejection | None:
        """Admit `pod` if it fits. `already_running` (a pod this node ran before a kubelet
        restart) is recorded without a check: admission never fails a pod that was accepted."""
        uid = pod.metadata.uid
        if uid in self._admitted:
            return None
        wanted = pod_requests(pod.spec)
        if already_running:
            self._record(uid, wanted)
            return None
        pods_cap = self._capacity.get("pods")
        if pods_cap is not None and len(self._admitted) + 1 > pods_cap:
            return self._reject("pods", 1, len(self._admitted), pods_cap)
        for name, amount in sorted(wanted.items()):
            capacity = self._capacity.get(name)
            used = self._used.get(name, 0)
            if amount > 0 and capacity is not None and used + amount > capacity:
                return self._reject(name, amount, used, capacity)
        self._record(uid, wanted)
        return None

    def _record(self, uid: str, wanted: dict[str, int]) -> None:
        self._admitted[uid] = wanted
        for name, amount in wanted.items():
            self._used[name] = self._used.get(name, 0) + amount

    def release(self, uid: str) -> None:
        for name, amount in self._admitted.pop(uid, {}).items():
            self._used[name] -= amount

    @staticmethod
    def _reject(resource: str, requested: int, used: int, capacity: int) -> Rejection:
        message = (
            f"Node didn't have enough resource: {resource}, requested: {requested}, used: {used}, "
            f"capacity: {capacity}"
        )
        return Rejection(reason=f"OutOf{resource}", message=message)
