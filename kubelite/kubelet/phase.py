"""A pod's phase from its container states (KUB-7, the kubelet's getPhase).

Contract: pure. `pod_phase(restart_policy, init, app)` takes the API container statuses the kubelet
just computed (init containers in order, then app containers). A waiting container that has a
`lastState.terminated` has run before and counts as stopped, as upstream counts it. Succeeded and
Failed are final: callers never feed a terminal pod back through this function.
"""

from __future__ import annotations

from collections.abc import Sequence

from kubelite.api.core import ContainerStatus

PENDING, RUNNING, SUCCEEDED, FAILED = "Pending", "Running", "Succeeded", "Failed"
TERMINAL = frozenset({SUCCEEDED, FAILED})


def init_failed(statuses: Sequence[ContainerStatus]) -> bool:
    """Whether an init container has exited non-zero (now, or before its pending restart)."""
    for status in statuses:
        ended = status.state.terminated
        if ended is None and status.state.waiting is not None:
            ended = status.last_state.terminated
        if ended is not None and ended.exit_code != 0:
            return True
    return False


def init_done(statuses: Sequence[ContainerStatus]) -> bool:
    return all(s.state.terminated is not None and s.state.terminated.exit_code == 0 for s in statuses)


def pod_phase(restart_policy: str, init: Sequence[ContainerStatus], app: Sequence[ContainerStatus]) -> str:
    if init_failed(init) and restart_policy == "Never":
        return FAILED
    if not init_done(init):
        return PENDING
    running = waiting = stopped = succeeded = 0
    for status in app:
        state = status.state
        if state.running is not None:
            running += 1
        elif state.terminated is not None:
            stopped += 1
            succeeded += state.terminated.exit_code == 0
        elif status.last_state.terminated is not None:
            stopped += 1
        else:
            waiting += 1
    if waiting:
        return PENDING
    if running:
        return RUNNING
    if not stopped:
        return PENDING
    if restart_policy == "Always":
        return RUNNING
    if stopped == succeeded:
        return SUCCEEDED
    return FAILED if restart_policy == "Never" else RUNNING


def terminated_phase(app: Sequence[ContainerStatus]) -> str:
    """The phase of a deleted pod whose containers have all stopped: Succeeded iff all exited 0."""
    ok = all(s.state.terminated is not None and s.state.terminated.exit_code == 0 for s in app)
    return SUCCEEDED if ok else FAILED
