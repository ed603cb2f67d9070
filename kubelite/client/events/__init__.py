"""core/v1 Events: the recorder, its correlator (spam filter, aggregation, counting), its drop
metrics, and the TTL sweeper that expires old Events."""

from kubelite.client.events.correlator import EventCorrelator
from kubelite.client.events.metrics import EventMetrics
from kubelite.client.events.recorder import EventRecorder, reference_to
from kubelite.client.events.ttl import EventTTLSweeper

__all__ = ["EventCorrelator", "EventMetrics", "EventRecorder", "EventTTLSweeper", "reference_to"]
