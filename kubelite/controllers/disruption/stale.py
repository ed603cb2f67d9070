"""Stale `DisruptionTarget` conditions (upstream's disruption controller, second queue).

An eviction (or the taint manager) marks a pod `DisruptionTarget=True` just before deleting it. If
the delete then fails, the pod keeps running with a condition that says it is about to go. Two
minutes (`STALE_TIMEOUT`) after the condition's transition, a pod that still has it True, is not
terminating, is not in a terminal phase and was not marked by the kubelet (reason
`TerminationByKubelet`) gets the condition set to False (no reason, no message, a new transition
time), as upstream does.

- `stale_after(pod, now, timeout)`: None when the pod's condition is not (or cannot become) stale,
  else the seconds left until it is (0: now). Pure.
- `StaleDisruptionController(manager, client)`: the reconciler `disruption-stale-pod`, keyed by
  pod, fed by every pod event; it waits out the time left with a requeue on the injected clock and
  writes the pod's status with its resourceVersion (a conflict retries the sync).
"""

from __future__ import annotations

import msgspec

from kubelite.api.core import Pod, PodCondition
from kubelite.api.errors import NotFound
from kubelite.client import Client
from kubelite.clock import parse_rfc3339, rfc3339
from kubelite.controllers.runtime import Manager, Request, Result

STALE_TIMEOUT = 120.0
"""Seconds after which a DisruptionTarget=True on a live pod is reset (upstream 2 min)."""
DISRUPTION_TARGET = "DisruptionTarget"
KUBELET_REASON = "TerminationByKubelet"


def stale_after(pod: Pod, now: float, timeout: float = STALE_TIMEOUT) -> float | None:
    if pod.metadata.deletion_timestamp is not None or pod.status.phase in ("Succeeded", "Failed"):
        return None
    cond = next((c for c in pod.status.conditions if c.type == DISRUPTION_TARGET), None)
    if cond is None or cond.status != "True" or cond.reason == KUBELET_REASON:
        return None
    try:
        since = parse_rfc3339(cond.last_transition_time or "")
    except ValueError:
        return 0.0
    return max(0.0, since + timeout - now)


def reset(pod: Pod, now: float) -> Pod:
    """`pod` with its DisruptionTarget condition False (a copy)."""
    cleared = PodCondition(type=DISRUPTION_TARGET, status="False", last_transition_time=rfc3339(now))
    conditions = [cleared if c.type == DISRUPTION_TARGET else c for c in pod.status.conditions]
    return msgspec.structs.replace(pod, status=msgspec.structs.replace(pod.status, conditions=conditions))


class StaleDisruptionController:
    def __init__(self, manager: Manager, client: Client, timeout: float = STALE_TIMEOUT) -> None:
        self._client, self._clock, self._timeout = client, manager.clock, timeout
        self._pods = manager.factory.lister(Pod)
        builder = manager.controller("disruption-stale-pod", self)
        builder.watches(Pod, self._marked)

    def _marked(self, pod: Pod) -> list[Request]:
        if stale_after(pod, self._clock.now(), self._timeout) is None:
            return []
        return [Request(pod.metadata.namespace, pod.metadata.name)]

    async def reconcile(self, request: Request) -> Result | None:
        pod = self._pods.get(request.name, request.namespace)
        if pod is None:
            return None
        now = self._clock.now()
        left = stale_after(pod, now, self._timeout)
        if left is None:
            return None
        if left > 0:
            return Result(requeue_after=left)
        try:
            await self._client.update_status(reset(pod, now))
        except NotFound:
            return None
        return None
