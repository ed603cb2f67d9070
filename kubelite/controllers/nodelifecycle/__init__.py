"""The node lifecycle controller: node health (NODE-4..7), condition and cordon taints (NODE-8, 9, 13)
and taint eviction (NODE-11). `NodeLifecycleController` registers it on a `Manager`; the pure parts
(conditions, taints, tolerations, zones, rate limit) are importable for tests and tools. Pod GC,
which NODE-12 also needs, is `kubelite.controllers.podgc`."""

from kubelite.controllers.nodelifecycle.controller import NodeLifecycleController
from kubelite.controllers.nodelifecycle.settings import NodeLifecycleSettings

__all__ = ["NodeLifecycleController", "NodeLifecycleSettings"]
