"""`SchedulerSettings`: the scheduler's knobs, with upstream's defaults."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SchedulerSettings:
    scheduler_name: str = "default-scheduler"
    """Pods whose `spec.schedulerName` is this (or empty) are scheduled here (SCH-1)."""
    percentage_of_nodes_to_score: int = 0
    """Stop searching once this percentage of nodes is feasible; 0 is upstream's adaptive rule."""
    parallel_writes: int = 128
    """Worker tasks for binds and status writes; the scheduling loop waits when all are busy."""
    cycles_per_yield: int = 32
    """At most this many scheduling cycles run back to back before the loop yields to binds and
    informers (a batch of binds commits together)."""
    yield_after: float = 0.01
    """Seconds of back-to-back scheduling after which the loop yields even before
    `cycles_per_yield`, so other tasks on the event loop are not starved."""
    initial_backoff: float = 1.0
    """Seconds a pod waits after its first failed attempt; doubles per attempt (SCH-9)."""
    max_backoff: float = 10.0
    """Upper bound of a pod's backoff, in seconds (SCH-9)."""
    max_unschedulable: float = 300.0
    """An unschedulable pod is retried at least this often, in seconds, with no event (SCH-9)."""
    backoff_flush_interval: float = 1.0
    """How often pods whose backoff expired move to the active queue."""
    unschedulable_flush_interval: float = 30.0
    """How often pods parked longer than `max_unschedulable` are retried."""
    restart_delay: float = 1.0
    """Seconds before a crashed loop is restarted."""
    record_scheduled_events: bool = True
    """Write a `Scheduled` event for every bound pod, as upstream does."""
