"""A pod's phase from its container states (KUB-7, the kubelet's getPhase).

Contract: pure. `pod_phase(restart_policy, init, app, sidecars=names)` takes the API container
statuses the kubelet just computed (init containers in order, then app containers) and the names
of the sidecars (init containers with `restartPolicy: Always`). A waiting container that has a
`lastState.terminated` has run before and counts as stopped, as upstream counts it.

- A regular init container that failed under `Never` → Failed; one not yet exited 0 → Pending.
- A sidecar that is not running-and-started, and has never run, keeps the pod Pending until an app
  container has started; a running sidecar counts as running (so the pod stays Running while its
  sidecars run); a stopped sidecar does not count (it is restarted, or stopped for good once the
  app containers are done).
- Then upstream's rules over the app containers (and running sidecars): any waiting → Pending; any
  running → Running; all stopped → Running under `Always`, Succeeded if all exited 0, Failed under
  `Never`, else Running (`OnFailure` restarts).

Succeeded and Failed are final: callers never feed a terminal pod back through this function.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

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


def has_run(status: ContainerStatus) -> bool:
    """Whether the container runs or has run (in this sandbox)."""
    state = status.state
    return (
        state.running is not None or state.terminated is not None or status.last_state.terminated is not None
    )


@dataclass(slots=True)
class _Counts:
    running: int = 0
    waiting: int = 0
    stopped: int = 0
    succeeded: int = 0
    pending_sidecars: int = 0

    def app(self, status: ContainerStatus) -> None:
        state = status.state
        if state.running is not None:
            self.running += 1
        elif state.terminated is not None:
            self.stopped += 1
            self.succeeded += state.terminated.exit_code == 0
        elif status.last_state.terminated is not None:
            self.stopped += 1
        else:
            self.waiting += 1

    def sidecar(self, status: ContainerStatus) -> None:
        if status.state.running is not None:
            self.running += 1
            self.pending_sidecars += not status.started
        elif not has_run(status):
            self.waiting += 1
            self.pending_sidecars += 1


def pod_phase(
    restart_policy: str,
    init: Sequence[ContainerStatus],
    app: Sequence[ContainerStatus],
    *,
    sidecars: Collection[str] = (),
) -> str:
    regular = [s for s in init if s.name not in sidecars]
    if init_failed(regular) and restart_policy == "Never":
        return FAILED
    if not init_done(regular):
        return PENDING
    counts = _Counts()
    for status in init:
        if status.name in sidecars:
            counts.sidecar(status)
    for status in app:
        counts.app(status)
    if counts.pending_sidecars and not any(has_run(s) for s in app):
        return PENDING
    return _from_counts(restart_policy, counts)


def _from_counts(restart_policy: str, counts: _Counts) -> str:
    if counts.waiting:
        return PENDING
    if counts.running:
        return RUNNING
    if not counts.stopped:
        return PENDING
    if restart_policy == "Always":
        return RUNNING
    if counts.stopped == counts.succeeded:
        return SUCCEEDED
    return FAILED if restart_policy == "Never" else RUNNING


def terminated_phase(app: Sequence[ContainerStatus]) -> str:
    """The phase of a deleted pod whose containers have all stopped: Succeeded iff all exited 0."""
    ok = all(s.state.terminated is not None and s.state.terminated.exit_code == 0 for s in app)
    return SUCCEEDED if ok else FAILED
