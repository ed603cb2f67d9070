"""What every pod worker of one kubelet shares: the node's settings, clients and runtime.

Contract: plain holder, built by `Kubelet`. `record(pod, type, reason, message)` emits an Event
about a pod from this kubelet. `runtime_name` is the CRI runtime's name (container IDs are shown
as `<runtime_name>://<id>`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kubelite.api.core import ConfigMap, Pod, Secret
from kubelite.client import Client, EventRecorder
from kubelite.client.errors import NotFound
from kubelite.clock import Clock
from kubelite.cri import RuntimeService
from kubelite.kubelet.admission import Admission
from kubelite.kubelet.backoff import Backoff
from kubelite.kubelet.config import KubeletConfig
from kubelite.kubelet.env import Fetch
from kubelite.kubelet.images import ImageManager
from kubelite.kubelet.prober import NetworkProber
from kubelite.kubelet.volumes import VolumeManager


@dataclass(slots=True)
class NodeContext:
    config: KubeletConfig
    client: Client
    runtime: RuntimeService
    runtime_name: str
    clock: Clock
    recorder: EventRecorder
    network: NetworkProber
    volumes: VolumeManager
    images: ImageManager
    crash_backoff: Backoff
    admission: Admission
    wakers: dict[str, Callable[[], None]] = field(default_factory=dict)
    """Sandbox id → the wake() of the pod worker that owns it (container events are routed here)."""

    def record(self, pod: Pod, type: str, reason: str, message: str) -> None:
        self.recorder.event(pod, type, reason, message)

    def container_id(self, raw: str) -> str:
        return f"{self.runtime_name}://{raw}"


def fetcher(client: Client, namespace: str) -> Fetch:
    """A `kubelite.kubelet.env.Fetch` reading ConfigMaps and Secrets of `namespace`."""

    async def fetch(kind: str, name: str) -> ConfigMap | Secret | None:
        try:
            if kind == "configmap":
                return await client.get(ConfigMap, name, namespace)
            return await client.get(Secret, name, namespace)
        except NotFound:
            return None

    return fetch
