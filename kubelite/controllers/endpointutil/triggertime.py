"""`TriggerTimeTracker`: the `endpoints.kubernetes.io/last-change-trigger-time` value (EP-8).

`compute(service, pods)` is called on every sync of a Service (written or not) with the pods its
selector matches. A pod's trigger time is its Ready condition's lastTransitionTime, the Service's
is its creationTimestamp. For a Service the tracker has not seen (a new one, or after a restart)
the result is the Service's creationTimestamp; afterwards it is the earliest trigger time that
moved since the previous sync, or None (no change: the annotation is cleared when written).
`forget(namespace, name)` drops a deleted Service. Values are RFC 3339 in UTC with as many
fractional digits as needed (Go's RFC3339Nano). Not safe for two concurrent syncs of one Service
(the workqueue never runs them); memory is one timestamp per selected pod.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from kubelite.api.core import Pod, Service
from kubelite.clock import parse_rfc3339
from kubelite.controllers.endpointutil.pods import ready_transition_time


def rfc3339_nano(seconds: float) -> str:
    text = datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f").rstrip("0").rstrip(".")
    return f"{text}Z"


def _later(new: str, old: str | None) -> bool:
    return old is None or (new != old and parse_rfc3339(new) > parse_rfc3339(old))


@dataclass(slots=True)
class _State:
    pods: dict[str, str] = field(default_factory=dict)
    service: str | None = None


class TriggerTimeTracker:
    def __init__(self) -> None:
        self._states: dict[tuple[str, str], _State] = {}

    def compute(self, service: Service, pods: Iterable[Pod]) -> str | None:
        key = (service.metadata.namespace, service.metadata.name)
        previous = self._states.get(key)
        state = _State(service=service.metadata.creation_timestamp)
        changed: list[str] = []
        for pod in pods:
            time = ready_transition_time(pod)
            if time is None:
                continue
            state.pods[pod.metadata.name] = time
            if previous is not None and _later(time, previous.pods.get(pod.metadata.name)):
                changed.append(time)
        self._states[key] = state
        if previous is None:
            changed = [state.service] if state.service else []
        elif state.service and _later(state.service, previous.service):
            changed.append(state.service)
        return rfc3339_nano(min(parse_rfc3339(time) for time in changed)) if changed else None

    def forget(self, namespace: str, name: str) -> None:
        self._states.pop((namespace, name), None)
