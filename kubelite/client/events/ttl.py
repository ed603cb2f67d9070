"""`EventTTLSweeper`: Events expire `ttl` seconds (default 1 h) after they last changed.

Upstream gives every Event write an etcd lease of `--event-ttl` (1 h), so an Event disappears an hour
after its last update. Here a sweeper does the same on the injected clock: every `interval` seconds it
lists Events in all namespaces and deletes each whose lastTimestamp (else eventTime, else
creationTimestamp) is `ttl` or more seconds old. An Event updated meanwhile (its newer timestamp) is
kept. A sweep that fails is logged and retried at the next interval; `run()` stops only when cancelled.
"""

from __future__ import annotations

import anyio
import anyio.abc
import structlog

from kubelite.api.core import Event
from kubelite.api.errors import NotFound
from kubelite.client.interface import Client
from kubelite.clock import Clock, parse_rfc3339

log = structlog.get_logger("kubelite.events.ttl")

DEFAULT_TTL = 3600.0
DEFAULT_INTERVAL = 60.0


def last_change(event: Event) -> float | None:
    """When `event` last changed, in seconds since the epoch (None when it carries no time)."""
    stamp = event.last_timestamp or event.event_time or event.metadata.creation_timestamp
    return parse_rfc3339(stamp) if stamp else None


class EventTTLSweeper:
    """Deletes expired Events."""

    def __init__(
        self, client: Client, clock: Clock, *, ttl: float = DEFAULT_TTL, interval: float = DEFAULT_INTERVAL
    ) -> None:
        if ttl <= 0 or interval <= 0:
            raise ValueError(f"ttl and interval must be > 0, got {ttl} and {interval}")
        self._client = client
        self._clock = clock
        self.ttl = ttl
        self._interval = interval

    async def sweep(self) -> int:
        """Delete every expired Event now; returns how many were deleted."""
        now = self._clock.now()
        deleted = 0
        for event in (await self._client.list(Event)).items:
            changed = last_change(event)
            if changed is None or now - changed < self.ttl:
                continue
            try:
                await self._client.delete(Event, event.metadata.name, event.metadata.namespace)
                deleted += 1
            except NotFound:
                continue
        return deleted

    async def run(self, *, task_status: anyio.abc.TaskStatus[None] = anyio.TASK_STATUS_IGNORED) -> None:
        """Sweep every `interval` seconds until cancelled."""
        task_status.started()
        while True:
            await self._clock.sleep(self._interval)
            try:
                deleted = await self.sweep()
            except Exception as exc:  # transient: a failed sweep is retried at the next interval
                log.warning("event_ttl_sweep_failed", error=str(exc))
                continue
            if deleted:
                log.debug("event_ttl_swept", deleted=deleted)
