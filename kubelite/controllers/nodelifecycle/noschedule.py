"""`NoScheduleTainter`: keeps each node's NoSchedule condition taints in line (NODE-8, NODE-13).

A reconciler keyed by node name, run on every Node change. It adds the taints the node's conditions
and `spec.unschedulable` call for, with `timeAdded`, and removes the ones whose cause has cleared.
Other keys and other effects are never touched; a node already in line is not written (C-2).
"""

from __future__ import annotations

from kubelite.api.core import Node
from kubelite.client import Client
from kubelite.clock import Clock
from kubelite.controllers.nodelifecycle.taints import no_schedule_taints
from kubelite.controllers.nodelifecycle.writes import update_taints
from kubelite.controllers.runtime import Request, Result
from kubelite.informers import Lister


class NoScheduleTainter:
    def __init__(self, client: Client, nodes: Lister[Node], clock: Clock) -> None:
        self._client = client
        self._nodes = nodes
        self._clock = clock

    async def reconcile(self, request: Request) -> Result | None:
        node = self._nodes.get(request.name)
        if node is None:
            return None
        await update_taints(
            self._client, node, lambda current: no_schedule_taints(current, self._clock.now())
        )
        return None
