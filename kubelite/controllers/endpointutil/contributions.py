"""`Contributions`: what each pod contributed to a Service at its previous sync, kept so that a
sync plans only the pods that changed.

`of(service, pods, plan)` returns `plan(service, pod)` for every pod, in order, reusing the value
of the previous sync of that Service for a pod that is the very same object (the `PodMemo` hands
out the same object until the pod's encoding changes; the memo holds it, so its identity cannot be
reused by another object) while the Service's spec is equal to the one it was planned with. A
changed pod, a pod deleted and recreated under the same name (a new object) or any change to the
Service's spec is planned again; `plan` must depend only on the Service's name, namespace and
spec and on the pod. Only the pods of the latest sync are kept; `forget(namespace, name)` drops a
deleted Service. The values are shared between syncs: callers must not mutate them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from kubelite.api.core import Pod, Service, ServiceSpec

V = TypeVar("V")


class Contributions(Generic[V]):
    def __init__(self) -> None:
        self._by_service: dict[tuple[str, str], tuple[ServiceSpec, dict[str, tuple[Pod, V]]]] = {}

    def of(self, service: Service, pods: list[Pod], plan: Callable[[Service, Pod], V]) -> list[V]:
        key = (service.metadata.namespace, service.metadata.name)
        held = self._by_service.get(key)
        previous = held[1] if held is not None and held[0] == service.spec else {}
        fresh: dict[str, tuple[Pod, V]] = {}
        for pod in pods:
            before = previous.get(pod.metadata.name)
            value = before[1] if before is not None and before[0] is pod else plan(service, pod)
            fresh[pod.metadata.name] = (pod, value)
        self._by_service[key] = (service.spec, fresh)
        return [value for _, value in fresh.values()]

    def forget(self, namespace: str, name: str) -> None:
        self._by_service.pop((namespace, name), None)
