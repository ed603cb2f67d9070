"""The node agent: registers a Node, renews its Lease, runs the pods bound to it through CRI.

`Kubelet` is one node's agent; many may share a process (fake nodes), fed by one
`PodDispatcher` over a shared Pod informer. `KubeletConfig` holds its settings.
"""

from kubelite.kubelet.config import KubeletConfig
from kubelite.kubelet.dispatch import PodDispatcher
from kubelite.kubelet.kubelet import Kubelet
from kubelite.kubelet.prober import FakeNetworkProber, NetworkProber, SocketProber

__all__ = ["FakeNetworkProber", "Kubelet", "KubeletConfig", "NetworkProber", "PodDispatcher", "SocketProber"]
