"""Event recorder metrics, on a caller-supplied Prometheus registry.

- `kubelite_events_dropped_total{component,reason}`: events recorded but never written, by reason:
  `spam_filtered` (the correlator's per-object token bucket was empty), `buffer_full` (more distinct
  events were waiting than the recorder's buffer holds), `write_failed` (the API refused the write).
  Repeats folded into an existing Event's `count` are not drops.

Build one `EventMetrics` per registry and share it between recorders (a second one on the same
registry fails with prometheus_client's duplicate-name error). Nothing goes in the global registry.
"""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter

DROP_REASONS = ("buffer_full", "spam_filtered", "write_failed")


@dataclass(frozen=True, slots=True)
class EventMetrics:
    dropped: Counter

    @classmethod
    def create(cls, registry: CollectorRegistry) -> EventMetrics:
        return cls(
            dropped=Counter(
                "kubelite_events_dropped_total",
                "Events recorded but never written, by reason",
                ["component", "reason"],
                registry=registry,
            )
        )
