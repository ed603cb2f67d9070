"""The writes of the node lifecycle controller, each a small function over the `Client`.

- `update_taints(client, node, change)`: write `change(node)` as the node's taints (a spec update
  with the cached resourceVersion); on a conflict, re-read the node and try again (up to 5 times, as
  upstream's RetryOnConflict). `change` returns None when nothing needs to change: then nothing is
  written. Returns the node as stored.
- `set_pod_condition(client, pod, condition)`: a status update adding or replacing one condition;
  nothing is written when it is already so.
Errors other than the retried conflicts propagate (the `kubelite.client.errors` tree).
"""

from __future__ import annotations

from collections.abc import Callable

import anyio.lowlevel
import msgspec

from kubelite.api.core import Node, Pod, PodCondition, Taint
from kubelite.client import Client
from kubelite.client.errors import Conflict
from kubelite.controllers.nodelifecycle.conditions import with_pod_condition

CONFLICT_RETRIES = 5
TaintChange = Callable[[Node], list[Taint] | None]


async def update_taints(client: Client, node: Node, change: TaintChange) -> Node:
    for attempt in range(CONFLICT_RETRIES):
        taints = change(node)
        if taints is None:
            return node
        updated = msgspec.structs.replace(node, spec=msgspec.structs.replace(node.spec, taints=taints))
        try:
            return await client.update(updated)
        except Conflict:
            await anyio.lowlevel.checkpoint()  # let a write accepted but not yet committed land
            if attempt == CONFLICT_RETRIES - 1:
                raise
            node = await client.get(Node, node.metadata.name)
    raise AssertionError("unreachable")


async def set_pod_condition(client: Client, pod: Pod, condition: PodCondition) -> Pod:
    status = with_pod_condition(pod.status, condition)
    if status is None:
        return pod
    return await client.update_status(msgspec.structs.replace(pod, status=status))
